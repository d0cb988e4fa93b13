#include "search-server/metrics.h"

#include <sstream>

namespace kb::http {

void Metrics::record(const std::string& route, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_[{route, status}];
    Histogram& h = latency_[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i])
            ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::render(unsigned long long documents, unsigned long long index_bytes,
                            const ShardStatus& shards) const {
    std::ostringstream out;
    std::lock_guard<std::mutex> lock(mutex_);
    out << "# HELP kb_http_requests_total HTTP requests answered, by route and status.\n"
        << "# TYPE kb_http_requests_total counter\n";
    for (const auto& [key, n] : requests_)
        out << "kb_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
            << "\"} " << n << "\n";
    out << "# HELP kb_http_request_duration_seconds Time to answer a request, by route.\n"
        << "# TYPE kb_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        for (std::size_t i = 0; i < kBuckets.size(); ++i)
            out << "kb_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
                << kBuckets[i] << "\"} " << h.buckets[i] << "\n";
        out << "kb_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
            << h.count << "\n"
            << "kb_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
            << "kb_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count
            << "\n";
    }
    out << "# HELP kb_index_documents Documents in the index.\n# TYPE kb_index_documents gauge\n"
        << "kb_index_documents " << documents << "\n"
        << "# HELP kb_index_size_bytes Size of the index files on disk.\n"
        << "# TYPE kb_index_size_bytes gauge\nkb_index_size_bytes " << index_bytes << "\n"
        << "# HELP kb_index_shards Shards of the index (1 for a single database).\n"
        << "# TYPE kb_index_shards gauge\nkb_index_shards " << shards.total << "\n"
        << "# HELP kb_index_shards_available Shards answering (fewer than kb_index_shards: "
           "answers are partial).\n"
        << "# TYPE kb_index_shards_available gauge\nkb_index_shards_available " << shards.available
        << "\n";
    if (cache_) {
        const ResultCache::Stats s = cache_->stats();
        out << "# HELP kb_search_cache_requests_total Searches looked up in the result cache, "
               "by outcome.\n"
            << "# TYPE kb_search_cache_requests_total counter\n"
            << "kb_search_cache_requests_total{outcome=\"hit\"} " << s.hits << "\n"
            << "kb_search_cache_requests_total{outcome=\"miss\"} " << s.misses << "\n"
            << "# HELP kb_search_cache_evictions_total Pages dropped to stay within the budget.\n"
            << "# TYPE kb_search_cache_evictions_total counter\nkb_search_cache_evictions_total "
            << s.evictions << "\n"
            << "# HELP kb_search_cache_entries Result pages in the cache.\n"
            << "# TYPE kb_search_cache_entries gauge\nkb_search_cache_entries " << s.entries << "\n"
            << "# HELP kb_search_cache_bytes Approximate memory of the cached pages.\n"
            << "# TYPE kb_search_cache_bytes gauge\nkb_search_cache_bytes " << s.bytes << "\n"
            << "# HELP kb_search_cache_max_bytes The cache's budget (search.cache_mb).\n"
            << "# TYPE kb_search_cache_max_bytes gauge\nkb_search_cache_max_bytes " << s.max_bytes
            << "\n";
    }
    return out.str();
}

} // namespace kb::http
