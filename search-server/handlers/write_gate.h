#pragma once

#include "core/indexing/index_writer.h"
#include "core/record.h"
#include "search-server/handlers/vector_refresher.h"

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace kb::http {

/// What a write request did.
struct WriteSummary : WriteTally {
    /// "refreshing" when the index has vectors (rebuilt in the background), else "none".
    std::string vectors = "none";
};

/// Serialises the server's writes to the index through the indexer's own kb::IndexWriter:
/// one transaction per request, committed atomically; readers see it on their next request.
class WriteGate {
public:
    explicit WriteGate(std::string index_path)
        : index_path_(std::move(index_path)), vectors_(index_path_) {}

    /// Adds or replaces records; throws kb::Error(Unavailable) when another writer (an
    /// indexing run) holds the index.
    WriteSummary write(const std::vector<Record>& records);
    /// The same for the records `build` returns, called under the write lock: what it reads
    /// of the index (the stored records a partial update merges with) no other write of this
    /// server changes before these records are committed.
    WriteSummary write_built(const std::function<std::vector<Record>()>& build);
    /// Deletes a document; false when there was none.
    bool remove(const std::string& id);
    /// Deletes the documents whose ids `find` returns (called under the write lock, as for
    /// write_built) in one commit; returns how many of them existed.
    std::size_t remove_found(const std::function<std::vector<std::string>()>& find);
    /// The background rebuild of the vectors that follows each write.
    const VectorRefresher& vectors() const { return vectors_; }
    const std::string& index_path() const { return index_path_; }

private:
    WriteSummary write_locked(const std::vector<Record>& records); // mutex_ held
    std::string index_path_;
    std::mutex mutex_;
    VectorRefresher vectors_;
};

} // namespace kb::http
