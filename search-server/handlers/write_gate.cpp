#include "search-server/handlers/write_gate.h"

#include "core/indexing/index_writer.h"

namespace kb::http {

WriteSummary WriteGate::write(const std::vector<Record>& records) {
    std::lock_guard<std::mutex> lock(mutex_);
    return write_locked(records);
}

WriteSummary WriteGate::write_built(const std::function<std::vector<Record>()>& build) {
    std::lock_guard<std::mutex> lock(mutex_);
    return write_locked(build());
}

WriteSummary WriteGate::write_locked(const std::vector<Record>& records) {
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
    return remove_found([&] { return std::vector<std::string>{id}; }) > 0;
}

std::size_t WriteGate::remove_found(const std::function<std::vector<std::string>()>& find) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::vector<std::string> ids = find();
    IndexWriter writer(index_path_);
    std::size_t existed = 0;
    for (const std::string& id : ids)
        existed += writer.remove(id) ? 1 : 0;
    writer.commit();
    if (existed)
        vectors_.request();
    return existed;
}

} // namespace kb::http
