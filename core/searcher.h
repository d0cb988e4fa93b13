#pragma once

#include "analysis/analyzer.h"
#include "record.h"
#include "search_types.h"
#include "shards.h"

#include <xapian.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kb {

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
    explicit Searcher(const std::string &index_spec, SearcherOptions options = {});
    /// Searches an already open database (an in-memory one in tests).
    explicit Searcher(Xapian::Database db) : db_(std::move(db)) {}

    /// Runs a validated request: parse through the analysis chain, match, relax, snippet.
    SearchResult search(const SearchRequest &request);
    /// Documents like this one (Xapian relevance feedback: its most telling terms), without it.
    /// Throws kb::Error(NotFound) for an unknown id.
    SearchResult similar(const std::string &id, unsigned size);
    /// Autocomplete for a search box: facet values, titles and frequent words that start with
    /// what was typed (accent- and case-insensitive), best first.
    std::vector<Suggestion> suggest(std::string_view typed, unsigned limit);
    /// Ids of the records in the same near-duplicate cluster (other sources, same text).
    std::vector<std::string> duplicates_of(const std::string &id);
    /// The stored record with this id, or nothing.
    std::optional<Record> document(const std::string &id);
    /// Moves to the latest committed version of the index (cheap when nothing changed).
    void refresh();

    /// Number of records (passages are not counted).
    Xapian::doccount document_count() const;
    /// Where a record's passages start: {passage number, page, byte offset}.
    std::vector<PassageInfo> passages(const std::string &id);
    /// True when some document has this facet value.
    bool knows(Facet facet, const std::string &id) const;
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
    bool open_shard(Shard &shard);
    /// db_ = the shards that are up, as one database.
    void combine();
    /// After a NetworkError: finds which remote shards stopped answering and leaves them out.
    void drop_failed_shards();
    /// Tries the shards that are down again, if retry_interval has passed.
    void retry_down_shards();

    template <typename F> auto with_retry(F &&f);
    /// Matches `query` (the user's or a correction) into `result`, relaxing if needed.
    void run(const std::string &query, const SearchRequest &request, SearchResult &result);
    /// The query with unknown words replaced by spelling suggestions, or "" when none.
    std::string spelling_correction(const std::string &query);

    std::string path_;
    SearcherOptions options_;
    std::vector<Shard> shards_;
    std::chrono::steady_clock::time_point last_retry_{};
    Xapian::Database db_;
    Analyzer analyzer_;
};

} // namespace kb
