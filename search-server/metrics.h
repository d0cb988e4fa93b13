#pragma once

#include "core/search/result_cache.h"
#include "core/search_types.h"

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace kb::http {

/// Request counters and latency histograms per route and status, in Prometheus text format.
class Metrics {
public:
    /// Records one answered request; `route` is the route's pattern (bounded cardinality).
    void record(const std::string& route, int status, double seconds);
    /// Reports this cache's hits, misses and size too.
    void watch_cache(std::shared_ptr<const ResultCache> cache) { cache_ = std::move(cache); }
    /// The exposition text, with the index gauges given by the caller.
    std::string render(unsigned long long documents, unsigned long long index_bytes,
                       const ShardStatus& shards = {}) const;

private:
    static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,  0.1,    0.25,  0.5,  1.0};
    struct Histogram {
        std::array<unsigned long long, kBuckets.size()> buckets{};
        unsigned long long count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, unsigned long long> requests_;
    std::map<std::string, Histogram> latency_;
    std::shared_ptr<const ResultCache> cache_;
};

} // namespace kb::http
