#include "search-server/transport/worker_pool.h"

#include "search-server/api/errors.h"
#include "search-server/api/http_types.h"

#include <algorithm>

namespace kb::http {

WorkerPool::WorkerPool(unsigned workers, Handler handler, std::function<void()> on_done)
    : workers_(std::max(1u, workers)), handler_(std::move(handler)), on_done_(std::move(on_done)) {}

void WorkerPool::start() {
    for (unsigned i = 0; i < workers_; ++i)
        threads_.emplace_back([this] { work(); });
}

void WorkerPool::submit(Job job) {
    {
        std::lock_guard<std::mutex> lock(jobs_mutex_);
        jobs_.push_back(std::move(job));
    }
    jobs_ready_.notify_one();
}

std::deque<Completion> WorkerPool::take_completions() {
    std::deque<Completion> ready;
    std::lock_guard<std::mutex> lock(done_mutex_);
    ready.swap(done_);
    return ready;
}

// The oldest job whose client runs fewer than half the workers; failing that, the
// oldest job while a worker stays free for the others. One address sending costly
// requests cannot take every worker, and a lone client (a proxy) still has most of them.
std::deque<Job>::iterator WorkerPool::fair_next() {
    const unsigned share = std::max(1u, workers_ / 2);
    for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
        const auto r = running_by_client_.find(it->client);
        if (r == running_by_client_.end() || r->second < share)
            return it;
    }
    return !jobs_.empty() && running_ + 1 < workers_ ? jobs_.begin() : jobs_.end();
}

void WorkerPool::work() {
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(jobs_mutex_);
            auto next = jobs_.end();
            jobs_ready_.wait(lock, [&] {
                next = fair_next();
                return stop_ || next != jobs_.end();
            });
            if (stop_)
                return;
            job = std::move(*next);
            jobs_.erase(next);
            ++running_;
            ++running_by_client_[job.client];
        }
        const bool head = job.request.method == "HEAD";
        const int minor = job.request.minor_version;
        const bool keep_alive = job.request.keep_alive;
        Response response;
        try {
            response = handler_(job.request, job.client);
        } catch (...) { // the handler answers its own errors; this is the last net
            response = internal_error_response();
        }
        std::string bytes;
        try {
            bytes = serialize_response(response, minor, head, keep_alive);
        } catch (...) {
            bytes.clear();
        }
        const bool keep = keep_alive && !bytes.empty();
        {
            std::lock_guard<std::mutex> lock(done_mutex_);
            done_.push_back({job.id, std::move(bytes), keep});
        }
        on_done_();
        {
            std::lock_guard<std::mutex> lock(jobs_mutex_);
            --running_;
            if (auto it = running_by_client_.find(job.client); --it->second == 0)
                running_by_client_.erase(it);
        }
        jobs_idle_.notify_all();
        jobs_ready_.notify_all(); // a job its client's share held back may go now
    }
}

bool WorkerPool::stop(std::chrono::steady_clock::time_point deadline) {
    bool all_done = true;
    {
        std::unique_lock<std::mutex> lock(jobs_mutex_);
        jobs_.clear(); // not started: their connections are gone with the loop
        all_done = jobs_idle_.wait_until(lock, deadline, [&] { return running_ == 0; });
        stop_ = true;
    }
    jobs_ready_.notify_all();
    for (std::thread& t : threads_) {
        if (all_done)
            t.join();
        else
            t.detach(); // still inside a handler; the caller exits the process
    }
    threads_.clear();
    return all_done;
}

} // namespace kb::http
