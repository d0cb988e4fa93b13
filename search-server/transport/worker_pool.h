#pragma once

// The listener's worker threads: complete requests queue up as jobs, each worker takes the
// next one fairly (see take()), runs the handler and queues the serialised answer for the
// event loop, which it wakes through `on_done`.

#include "search-server/transport/http_wire.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace kb::http {

struct Response;

/// One complete request of connection `id`.
struct Job {
    std::uint64_t id;
    WireRequest request;
    std::string client;
};

/// A job's answer as bytes for the wire; empty when it could not be serialised.
struct Completion {
    std::uint64_t id;
    std::string bytes;
    bool keep_alive;
};

class WorkerPool {
public:
    using Handler = std::function<Response(WireRequest& request, const std::string& client)>;

    /// `on_done` runs on a worker after each completion is queued (it wakes the loop).
    WorkerPool(unsigned workers, Handler handler, std::function<void()> on_done);
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void start();
    bool started() const { return !threads_.empty(); }
    void submit(Job job);
    /// The completions queued since the last call.
    std::deque<Completion> take_completions();
    /// Drops the jobs not started, lets running ones finish until `deadline`, stops the
    /// threads. False when some handler was still running then (its thread is detached).
    bool stop(std::chrono::steady_clock::time_point deadline);

private:
    std::deque<Job>::iterator fair_next();
    void work();

    unsigned workers_;
    Handler handler_;
    std::function<void()> on_done_;

    std::mutex jobs_mutex_;
    std::condition_variable jobs_ready_, jobs_idle_;
    std::deque<Job> jobs_;
    unsigned running_ = 0;
    std::unordered_map<std::string, unsigned> running_by_client_;
    bool stop_ = false;

    std::mutex done_mutex_;
    std::deque<Completion> done_;

    std::vector<std::thread> threads_;
};

} // namespace kb::http
