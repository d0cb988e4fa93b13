#include "search-server/handlers/write_gate.h"

#include "core/indexing/index_writer.h"

namespace kb::http {

WriteSummary WriteGate::write(const std::vector<Record>& records) {
    std::lock_guard<std::mutex> lock(mutex_);
    IndexWriter writer(index_path_);
    WriteSummary summary;
    for (const Record& r : records)
        summary.count(writer.write(r));
    writer.commit();
    if (vectors_.request())
        summary.vectors = "refreshing";
    return summary;
}

bool WriteGate::remove(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    IndexWriter writer(index_path_);
    const bool existed = writer.remove(id);
    writer.commit();
    if (existed)
        vectors_.request();
    return existed;
}

} // namespace kb::http
