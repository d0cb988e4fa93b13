#pragma once

#include "facets/facet.h"
#include "search_types.h"

#include <xapian.h>

#include <map>
#include <string>
#include <unordered_set>
#include <vector>

namespace kb {

/// A Xapian match spy counting the values of several facets at once (multi-valued slots hold
/// ids joined by schema::kListSeparator; Xapian's ValueCountMatchSpy counts whole slot strings
/// only). A record that matches through itself and its passages is counted once.
class FacetCounter : public Xapian::MatchSpy {
public:
    /// Counts each value of `dedupe_slot` once (a record and its passages; with duplicates
    /// collapsed, a near-duplicate cluster).
    FacetCounter(std::vector<Facet> facets, Xapian::valueno dedupe_slot);
    void operator()(const Xapian::Document& doc, double weight) override;

    /// One facet's counts with labels, most frequent first, at most `limit`.
    std::vector<FacetCount> result(Facet facet, std::size_t limit) const;
    const std::vector<Facet>& facets() const { return facets_; }
    /// Distinct records seen.
    std::size_t documents() const { return seen_.size(); }

private:
    std::vector<Facet> facets_;
    Xapian::valueno dedupe_slot_;
    std::map<Facet, std::map<std::string, unsigned long long>> counts_;
    std::unordered_set<std::string> seen_; ///< parent ids already counted
};

} // namespace kb
