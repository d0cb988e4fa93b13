#include "search-server/transport/rate_limiter.h"

#include <cmath>

namespace kb::http {

std::optional<unsigned> RateLimiter::acquire(const std::string& client,
                                             std::chrono::steady_clock::time_point now) {
    if (per_minute_ == 0)
        return std::nullopt;
    const double rate = per_minute_ / 60.0; // tokens per second
    std::lock_guard<std::mutex> lock(mutex_);
    // Forget idle clients now and then so the table cannot grow without bound.
    if (now - last_sweep_ > std::chrono::minutes(5)) {
        for (auto it = buckets_.begin(); it != buckets_.end();)
            it = now - it->second.updated > std::chrono::minutes(2) ? buckets_.erase(it) : ++it;
        last_sweep_ = now;
    }
    auto [it, fresh] = buckets_.try_emplace(client, Bucket{double(per_minute_), now});
    Bucket& b = it->second;
    if (!fresh) {
        const double elapsed = std::chrono::duration<double>(now - b.updated).count();
        b.tokens = std::min<double>(per_minute_, b.tokens + elapsed * rate);
        b.updated = now;
    }
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return std::nullopt;
    }
    return static_cast<unsigned>(std::ceil((1 - b.tokens) / rate));
}

} // namespace kb::http
