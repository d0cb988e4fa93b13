#pragma once

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace kb {

/// Runs `work` on `threads` threads, the caller's among them, and once all have ended
/// rethrows the first exception any of them threw: an exception that escaped a std::thread
/// would end the whole process (std::terminate).
template <typename Work> void run_on_threads(unsigned threads, Work&& work) {
    threads = std::max(1u, threads);
    std::vector<std::exception_ptr> errors(threads);
    auto guarded = [&](unsigned t) {
        try {
            work();
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(guarded, t);
    guarded(0);
    for (std::thread& t : pool)
        t.join();
    for (const std::exception_ptr& e : errors)
        if (e)
            std::rethrow_exception(e);
}

} // namespace kb
