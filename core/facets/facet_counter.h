#pragma once

#include "facets/facet.h"
#include "search_types.h"

#include <xapian.h>

#include <map>
#include <unordered_set>
#include <string>

namespace kb {

/// A Xapian match spy counting every value of a multi-valued facet slot (ids joined by
/// schema::kListSeparator); Xapian's ValueCountMatchSpy counts whole slot strings only.
class FacetCounter : public Xapian::MatchSpy {
public:
    explicit FacetCounter(Facet facet);
    void operator()(const Xapian::Document& doc, double weight) override;

    /// The counts as FacetCount values with labels, most frequent first, at most `limit`.
    std::vector<FacetCount> result(std::size_t limit) const;
    Facet facet() const { return facet_; }
    /// Distinct records seen (a record and its passages count once).
    std::size_t documents() const { return seen_.size(); }

private:
    Facet facet_;
    Xapian::valueno slot_;
    std::map<std::string, unsigned long long> counts_;
    std::unordered_set<std::string> seen_; ///< parent ids already counted
};

} // namespace kb
