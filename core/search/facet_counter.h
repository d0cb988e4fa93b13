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
/// Each matching document's schema::kFacetKeySlot value (cluster, parent and every facet slot
/// in one value) is kept once, and the distinct values are split here, after the match. In
/// process a spy of our own keeps them in a hash set. When the match runs in xapian-tcpsrv
/// (remote shards), which can only rebuild Xapian's built-in spies, Xapian's own
/// ValueCountMatchSpy does, merged by Xapian across shards; its ordered map of counts costs
/// more (a faceted query's string compares and allocations on the bundled corpus).
class FacetCounter {
public:
    /// Counts each value of `dedupe_slot` (schema::kParentSlot or kClusterSlot) once;
    /// `remote`: some of the matching runs in xapian-tcpsrv.
    FacetCounter(std::vector<Facet> facets, Xapian::valueno dedupe_slot, bool remote = false);
    ~FacetCounter();
    FacetCounter(const FacetCounter&) = delete;
    FacetCounter& operator=(const FacetCounter&) = delete;

    /// Counts the matches of `enquire`'s next get_mset(); this counter must outlive it.
    void attach(Xapian::Enquire& enquire);
    /// Counts one document found some other way (semantic search's nearest neighbours).
    void add(const Xapian::Document& doc);
    /// Forgets every document seen and the scale; attach() again to count another match.
    void reset();

    /// One facet's counts with labels, most frequent first, at most `limit`; scaled by
    /// scale_by()'s factor when the counter saw only a sample of the matches.
    std::vector<FacetCount> result(Facet facet, std::size_t limit) const;
    /// Distinct records (or clusters) seen.
    std::size_t documents() const;
    /// Documents (records and passages) the spy was shown, before deduplication.
    Xapian::doccount seen() const;
    /// Makes result() estimate the counts from a sample: each count is multiplied by `factor`
    /// (rounded, never below 1 for a value that was seen).
    void scale_by(double factor) { scale_ = factor; }

private:
    void tally() const;

    class DistinctKeys; // the in-process spy
    void make_spy();

    std::vector<Facet> facets_;
    Xapian::valueno dedupe_slot_;
    bool remote_;
    std::unique_ptr<DistinctKeys> local_spy_;                // in process
    std::unique_ptr<Xapian::ValueCountMatchSpy> remote_spy_; // with remote shards
    double scale_ = 1.0;
    mutable bool tallied_ = false;
    mutable std::size_t documents_ = 0;
    using Counts = std::map<std::string, unsigned long long, std::less<>>;
    mutable std::map<Facet, Counts> counts_;
};

} // namespace kb
