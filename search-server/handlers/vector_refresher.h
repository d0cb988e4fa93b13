#pragma once

#include "core/embedding/vector_store.h"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace kb::http {

/// Rebuilds an index's vectors in the background after the server wrote to it (POST or
/// DELETE /documents), so semantic and hybrid search catch up without an indexer run. Until
/// the rebuild is committed the vectors are stale: semantic search answers 409
/// `vectors_stale` and default-mode hybrid falls back to lexical. Requests made while a
/// rebuild runs are coalesced into one more rebuild. Indexes without vectors are left alone
/// (the server reuses the model the indexer trained; it never trains one). A sharded index has
/// its shards' vectors refreshed, all with the shared model (embedding/sharded_vectors.h).
class VectorRefresher {
public:
    /// How a rebuild is done: kb::build_vectors, or a stand-in in tests.
    using Build = std::function<VectorBuildSummary(const std::string&, const VectorBuildOptions&)>;
    /// `threads`: embedding threads, kept low so searches keep their cores.
    explicit VectorRefresher(std::string index_path, unsigned threads = 1, Build build = {});
    /// Stops a running rebuild (the previous vectors stay) and joins the thread.
    ~VectorRefresher();
    VectorRefresher(const VectorRefresher&) = delete;
    VectorRefresher& operator=(const VectorRefresher&) = delete;

    /// Asks for a rebuild after a commit; returns at once. False when the index has no
    /// vectors, so there is nothing to refresh.
    bool request();

    /// "idle", "pending" or "running", for /health.
    std::string state() const;
    /// The last rebuild's error, or "" when it succeeded.
    std::string last_error() const;
    /// Blocks until no rebuild is pending or running (tests).
    void wait_idle() const;

private:
    void loop();
    /// One rebuild, retried when a commit lands during it; "" on success, else the reason.
    std::string rebuild();

    const std::string index_path_;
    const unsigned threads_;
    const Build build_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    bool pending_ = false, running_ = false, stopping_ = false;
    std::string last_error_;
    std::thread thread_; // last: starts after the members it reads
};

} // namespace kb::http
