#pragma once

#include "core/error.h"
#include "core/search/shards.h"
#include "core/search_types.h"

#include <xapian.h>

#include <chrono>
#include <cstddef>
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

/// The open index: one database, or the shards of a list searched as one Xapian database.
/// A shard that cannot be opened, or fails with a Xapian::NetworkError, is left out and tried
/// again every retry_interval, on a request. Not thread-safe, like Xapian::Database.
class IndexHandle {
public:
    /// One database of the index specification.
    struct Shard {
        ShardSpec spec;
        Xapian::Database db;
        bool up = false;
        bool aux = false;  ///< the aux database of a sharded index (no documents)
        std::string error; ///< why it is down
    };

    /// Opens the index read-only; throws kb::Error naming the path when it cannot (for a
    /// list of shards: when none of them can be opened).
    IndexHandle(const std::string& index_spec, SearcherOptions options);
    /// An already open database (an in-memory one in tests).
    explicit IndexHandle(Xapian::Database db) : db_(std::move(db)) {}

    /// The shards that are up, as one database (kept up to date by retries and refresh).
    Xapian::Database& db() { return db_; }
    const Xapian::Database& db() const { return db_; }
    /// The index specification, "" for a database given directly.
    const std::string& path() const { return path_; }
    /// Every shard of the specification; empty for a database given directly.
    const std::vector<Shard>& shards() const { return shards_; }
    /// Indexes into shards() in the order they were added to db(); empty for one database.
    const std::vector<std::size_t>& combined() const { return combined_; }
    /// True when some shard of the specification is remote (tcp:).
    bool any_remote() const;
    /// Shards with documents that are up (the aux database is not counted).
    unsigned document_databases() const;

    /// Which shards are answering now.
    ShardStatus shard_status() const;
    /// Moves to the latest committed version of the index (cheap when nothing changed).
    void refresh();

    /// Runs `f` against db(). A writer committing while we read can invalidate our snapshot:
    /// reopen and retry once. A remote shard that stops answering is left out, and `f` run
    /// again on the others.
    template <typename F> auto with_retry(F&& f);

private:
    /// Opens (or reopens) a shard; false (with the reason kept) when it cannot be.
    bool open_shard(Shard& shard);
    /// db_ = the shards that are up, as one database.
    void combine();
    /// After a NetworkError: finds which remote shards stopped answering and leaves them out.
    void drop_failed_shards();
    /// Tries the shards that are down again, if retry_interval has passed.
    void retry_down_shards();
    /// The Unavailable error of a request no shard can answer.
    static Error unavailable(const std::string& why);

    std::string path_;
    SearcherOptions options_;
    std::vector<Shard> shards_;
    std::vector<std::size_t> combined_;
    std::chrono::steady_clock::time_point last_retry_{};
    Xapian::Database db_;
};

template <typename F> auto IndexHandle::with_retry(F&& f) {
    retry_down_shards();
    if (!shards_.empty() && shard_status().available == 0)
        throw unavailable("no shard of the index answers (tried again every " +
                          std::to_string(options_.retry_interval.count()) + " ms)");
    try {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError&) {
            db_.reopen();
            return f();
        }
    } catch (const Xapian::NetworkError& e) {
        if (shards_.empty())
            throw;
        drop_failed_shards();
        if (shard_status().available == 0)
            throw unavailable("no shard of the index answers (" + e.get_description() + ")");
        try {
            return f();
        } catch (const Xapian::NetworkError& again) {
            drop_failed_shards();
            throw unavailable("the index's shards do not answer (" + again.get_description() + ")");
        }
    }
}

} // namespace kb
