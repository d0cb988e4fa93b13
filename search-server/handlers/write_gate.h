#pragma once

#include "core/indexing/index_writer.h"
#include "core/record.h"
#include "search-server/handlers/vector_refresher.h"

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
    /// Deletes a document; false when there was none.
    bool remove(const std::string& id);
    /// The background rebuild of the vectors that follows each write.
    const VectorRefresher& vectors() const { return vectors_; }
    const std::string& index_path() const { return index_path_; }

private:
    std::string index_path_;
    std::mutex mutex_;
    VectorRefresher vectors_;
};

} // namespace kb::http
