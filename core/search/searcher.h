#pragma once

#include "core/analysis/analyzer.h"
#include "core/record.h"
#include "core/search/index_handle.h"
#include "core/search/search_context.h"
#include "core/search/time_budget.h"
#include "core/search/vectors.h"
#include "core/search_types.h"

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

class ResultCache;

/// Answers searches and document look-ups on one index. Like Xapian::Database it is not
/// thread-safe: the server keeps one per worker thread.
///
/// The index may be a list of shards (see parse_index_spec): each is opened on its own and
/// they are searched as one Xapian database. A shard that cannot be opened, or fails with a
/// Xapian::NetworkError during a request, is left out: answers come from the others and say
/// so (SearchResult::shards); it is tried again every retry_interval, on a request.
///
/// A facade: the work is done by index_handle (shards, retries), lexical, semantic, fusion,
/// facet_counting, similar, suggest, cache_key and lookups.
class Searcher {
public:
    /// Opens the index read-only; throws kb::Error naming the path when it cannot (for a
    /// list of shards: when none of them can be opened).
    explicit Searcher(const std::string& index_spec, SearcherOptions options = {})
        : index_(index_spec, options) {}
    /// Searches an already open database (an in-memory one in tests).
    explicit Searcher(Xapian::Database db) : index_(std::move(db)) {}

    /// Runs a validated request: parse through the analysis chain, match, relax, snippet; in
    /// semantic or hybrid mode (request.mode, else the configured default) also the vectors.
    /// Throws kb::Error(Conflict, "no_vectors" / "vectors_stale") when a vector mode is asked
    /// of an index without vectors or with vectors older than its documents.
    SearchResult search(const SearchRequest& request);
    /// Documents like this one, without it: by its most telling terms (Xapian relevance
    /// feedback), by its vector's nearest passages, or both fused (RRF). Throws
    /// kb::Error(NotFound) for an unknown id, kb::Error(Conflict) as search() for vectors.
    SearchResult similar(const std::string& id, unsigned size,
                         SimilarMethod method = SimilarMethod::Terms);

    /// Hybrid fusion, weights and the default mode.
    void set_ranking(const RankingSettings& ranking) { ranking_ = ranking; }
    const RankingSettings& ranking() const { return ranking_; }
    /// "ready", "none" (the index has no vectors) or "stale" (built from another revision).
    /// A sharded index is "ready" when every local shard's vectors match that shard, "none"
    /// when no shard has vectors or some shard is remote (tcp: shards have no vectors).
    std::string vector_status() { return vectors_.status(index_); }
    /// Autocomplete for a search box: facet values, titles and frequent words that start with
    /// what was typed (accent- and case-insensitive), best first.
    std::vector<Suggestion> suggest(std::string_view typed, unsigned limit,
                                    const FacetFilters& filters = {});
    /// Ids of the records in the same near-duplicate cluster (other sources, same text).
    std::vector<std::string> duplicates_of(const std::string& id);
    /// The stored record with this id, or nothing.
    std::optional<Record> document(const std::string& id);
    /// The theme, actor, country and region values the record `id` is tagged with.
    std::vector<NamedConcept> facets_of(const std::string& id);
    /// Sets how matches are weighted for every later search.
    void set_scoring(const RankingParams& scoring) { scoring_ = scoring; }
    /// How matches are weighted.
    const RankingParams& scoring() const { return scoring_; }
    /// Moves to the latest committed version of the index (cheap when nothing changed).
    void refresh() { index_.refresh(); }
    /// Answers repeated lexical searches from `cache` (shared by the server's searchers);
    /// nullptr: none.
    void set_result_cache(std::shared_ptr<ResultCache> cache) { cache_ = std::move(cache); }
    /// What identifies `request`'s page on the index as this searcher sees it now: every
    /// request field, the ranking settings and each database's uuid and revision. Nothing
    /// when the page must not be cached: vector modes (their vectors follow writes on their
    /// own), remote shards (no revision to key on) or shards down (partial answers).
    std::optional<std::string> cache_key(const SearchRequest& request);

    /// Number of records (passages are not counted).
    Xapian::doccount document_count() const;
    /// Where a record's passages start: {passage number, page, byte offset}.
    std::vector<PassageInfo> passages(const std::string& id);
    /// True when some document has this facet value.
    bool knows(Facet facet, const std::string& id) const;
    /// ISO 8601 time of the last indexing commit, or "" for an index that has none.
    std::string last_commit() const;
    /// Which shards are answering now.
    ShardStatus shard_status() const { return index_.shard_status(); }

private:
    SearchContext context() { return {index_, vectors_, analyzer_, ranking_, scoring_, budget_}; }
    /// search() without the cache.
    SearchResult compute(const SearchRequest& request);

    IndexHandle index_;
    IndexVectors vectors_;
    Analyzer analyzer_;
    RankingSettings ranking_;
    RankingParams scoring_;
    TimeBudget budget_;
    std::shared_ptr<ResultCache> cache_;
};

} // namespace kb
