#pragma once

#include "core/analysis/analyzer.h"
#include "core/embedding/vector_store.h"
#include "core/record.h"
#include "core/search_types.h"
#include "core/search/shards.h"

#include <xapian.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kb {

class FacetCounter;
class ResultCache;

/// How a Searcher talks to remote shards.
struct SearcherOptions {
    /// Longest wait for a remote shard to connect or to answer one request, in milliseconds.
    unsigned remote_timeout_ms = 5000;
    /// Shards that failed are tried again on a request at most this often.
    std::chrono::milliseconds retry_interval{5000};
    /// Whether opening fails when no shard answers (false: requests get kb::Error(Unavailable)
    /// until one does, without trying more often than retry_interval).
    bool require_a_shard = true;
};

/// Answers searches and document look-ups on one index. Like Xapian::Database it is not
/// thread-safe: the server keeps one per worker thread.
///
/// The index may be a list of shards (see parse_index_spec): each is opened on its own and
/// they are searched as one Xapian database. A shard that cannot be opened, or fails with a
/// Xapian::NetworkError during a request, is left out: answers come from the others and say
/// so (SearchResult::shards); it is tried again every retry_interval, on a request.
class Searcher {
public:
    /// Opens the index read-only; throws kb::Error naming the path when it cannot (for a
    /// list of shards: when none of them can be opened).
    explicit Searcher(const std::string& index_spec, SearcherOptions options = {});
    /// Searches an already open database (an in-memory one in tests).
    explicit Searcher(Xapian::Database db) : db_(std::move(db)) {}

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
    /// Uses these vectors instead of INDEX/vectors (tests, in-memory databases).
    void set_vectors(std::shared_ptr<const VectorStore> store) {
        vectors_ = std::move(store);
        fixed_vectors_ = true;
    }
    /// "ready", "none" (the index has no vectors) or "stale" (built from another revision).
    /// A sharded index is "ready" when every local shard's vectors match that shard, "none"
    /// when no shard has vectors or some shard is remote (tcp: shards have no vectors).
    std::string vector_status();
    /// Autocomplete for a search box: facet values, titles and frequent words that start with
    /// what was typed (accent- and case-insensitive), best first.
    std::vector<Suggestion> suggest(std::string_view typed, unsigned limit);
    /// Ids of the records in the same near-duplicate cluster (other sources, same text).
    std::vector<std::string> duplicates_of(const std::string& id);
    /// The stored record with this id, or nothing.
    std::optional<Record> document(const std::string& id);
    /// Sets how matches are weighted for every later search.
    void set_scoring(const RankingParams& scoring) { scoring_ = scoring; }
    /// How matches are weighted.
    const RankingParams& scoring() const { return scoring_; }
    /// Moves to the latest committed version of the index (cheap when nothing changed).
    void refresh();
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
    ShardStatus shard_status() const;

private:
    /// One database of the index specification.
    struct Shard {
        ShardSpec spec;
        Xapian::Database db;
        bool up = false;
        bool aux = false;  ///< the aux database of a sharded index (no documents)
        std::string error; ///< why it is down
    };
    /// Opens (or reopens) a shard; false (with the reason kept) when it cannot be.
    bool open_shard(Shard& shard);
    /// db_ = the shards that are up, as one database.
    void combine();
    /// After a NetworkError: finds which remote shards stopped answering and leaves them out.
    void drop_failed_shards();
    /// Tries the shards that are down again, if retry_interval has passed.
    void retry_down_shards();

    template <typename F> auto with_retry(F&& f);
    /// Matches `query` (the user's or a correction) into `result`, relaxing if needed.
    /// Without `snippets` the hits carry no snippet (hybrid mode makes them for its page only).
    void run(const std::string& query, const SearchRequest& request, SearchResult& result,
             bool snippets = true);
    /// Counts the facets of `query`'s matches into `counter`: all of them when they are at
    /// most ranking_.facet_sample (and returns nothing: the counts are exact), else about that
    /// many spread over the index (and returns the factor that scales the sample's counts to
    /// estimates over every match).
    std::optional<double> count_facets(const Xapian::Query& query, FacetCounter& counter);
    /// enquire.get_mset under what is left of the request's time budget (deadline_); sets
    /// timed_out_ when the budget was spent by the end of it.
    Xapian::MSet timed_mset(Xapian::Enquire& enquire, Xapian::doccount first,
                            Xapian::doccount max_items, Xapian::doccount check_at_least);
    /// The query with unknown words replaced by spelling suggestions, or "" when none.
    std::string spelling_correction(const std::string& query);
    /// Loads the vectors matching the open database into vector_parts_; throws
    /// kb::Error(Conflict) when there are none or they are stale.
    void require_vectors();
    /// The model of the vectors (every part shares it), after require_vectors().
    const Embedder& vector_embedder() const;
    unsigned vector_dimension() const;
    /// The stored vector of a document of db_ (by its combined docid), or nullptr.
    const float* vector_of(Xapian::docid docid) const;
    /// Nearest passages of `query_vector` collapsed to one per collapse key, best first, at
    /// most `groups`; documents outside `filter` (when not empty) and `exclude` are skipped.
    struct Neighbour {
        Xapian::docid docid;
        std::string group;
        float similarity;
    };
    std::vector<Neighbour> neighbours(const std::vector<float>& query_vector,
                                      const Xapian::Query& filter, Xapian::valueno collapse_slot,
                                      std::size_t groups,
                                      const std::vector<Xapian::docid>& exclude = {});
    void run_semantic(const SearchRequest& request, SearchResult& result);
    /// Fuses the lexical candidates in `result.hits` with the vector ranking into the page.
    void fuse(const SearchRequest& request, SearchResult& result);
    SearchResult similar_by_terms(const std::string& id, unsigned size);
    SearchResult similar_by_vectors(const std::string& id, unsigned size);
    /// search() without the cache.
    SearchResult compute(const SearchRequest& request);

    std::string path_;
    SearcherOptions options_;
    std::vector<Shard> shards_;
    std::chrono::steady_clock::time_point last_retry_{};
    Xapian::Database db_;
    Analyzer analyzer_;
    RankingSettings ranking_;
    std::shared_ptr<const VectorStore> vectors_;
    bool fixed_vectors_ = false;
    std::shared_ptr<ResultCache> cache_;
    /// The vector stores of db_: one for a single database, one per local shard otherwise.
    /// Xapian 1.4 interleaves the document ids of a database made of n: document `local` of
    /// the database added at `position` (0-based) is (local - 1) * n + position + 1 in db_.
    struct VectorPart {
        std::shared_ptr<const VectorStore> store;
        unsigned position = 0;
    };
    std::vector<VectorPart> vector_parts_;
    unsigned vector_stride_ = 1; ///< n: how many databases db_ is made of
    std::string vector_problem_; ///< why vector_status() is not "ready", for the 409 message
    /// Indexes into shards_ in the order combine() added them to db_.
    std::vector<std::size_t> combined_;
    RankingParams scoring_;
    /// The current request's time budget ends here (unset: no budget); see timed_mset.
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    bool timed_out_ = false;
};

} // namespace kb
