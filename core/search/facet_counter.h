#pragma once

#include "core/schema/facet.h"
#include "core/search_types.h"

#include <xapian.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kb {

/// Counts the values of several facets at once on the matches of an Enquire. A record that
/// matches through itself and its passages counts once, and so does a near-duplicate cluster
/// when results are collapsed on it (its members' facet values are united).
///
/// Counting is done by Xapian's own ValueCountMatchSpy over schema::kFacetKeySlot (cluster,
/// parent and every facet slot in one value), so it runs wherever the matching runs: inside
/// xapian-tcpsrv for remote shards (which can only rebuild Xapian's built-in spies), merged
/// by Xapian across shards. The distinct values are split here, after the match.
class FacetCounter {
public:
    /// Counts each value of `dedupe_slot` (schema::kParentSlot or kClusterSlot) once.
    FacetCounter(std::vector<Facet> facets, Xapian::valueno dedupe_slot);

    /// Counts the matches of `enquire`'s next get_mset(); this counter must outlive it.
    void attach(Xapian::Enquire& enquire) { enquire.add_matchspy(spy_.get()); }
    /// Counts one document found some other way (semantic search's nearest neighbours).
    void add(const Xapian::Document& doc) {
        (*spy_)(doc, 1.0);
        tallied_ = false;
    }
    /// Forgets every document seen and the scale; attach() again to count another match.
    void reset();

    /// One facet's counts with labels, most frequent first, at most `limit`; scaled by
    /// scale_by()'s factor when the counter saw only a sample of the matches.
    std::vector<FacetCount> result(Facet facet, std::size_t limit) const;
    /// Distinct records (or clusters) seen.
    std::size_t documents() const;
    /// Documents (records and passages) the spy was shown, before deduplication.
    Xapian::doccount seen() const { return spy_->get_total(); }
    /// Makes result() estimate the counts from a sample: each count is multiplied by `factor`
    /// (rounded, never below 1 for a value that was seen).
    void scale_by(double factor) { scale_ = factor; }

private:
    void tally() const;

    std::vector<Facet> facets_;
    Xapian::valueno dedupe_slot_;
    std::unique_ptr<Xapian::ValueCountMatchSpy> spy_;
    double scale_ = 1.0;
    mutable bool tallied_ = false;
    mutable std::size_t documents_ = 0;
    using Counts = std::map<std::string, unsigned long long, std::less<>>;
    mutable std::map<Facet, Counts> counts_;

    static Xapian::valueno schema_slot();
};

} // namespace kb
