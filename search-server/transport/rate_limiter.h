#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace kb::http {

/// A token bucket per client address: `per_minute` requests a minute, with bursts of that
/// size. Thread-safe.
class RateLimiter {
public:
    explicit RateLimiter(unsigned per_minute) : per_minute_(per_minute) {}

    /// Takes a token for `client`; when none is left, the seconds to wait before retrying.
    std::optional<unsigned>
    acquire(const std::string& client,
            std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point updated;
    };
    unsigned per_minute_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
    std::chrono::steady_clock::time_point last_sweep_{};
};

} // namespace kb::http
