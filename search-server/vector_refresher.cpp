#include "vector_refresher.h"

#include "embedding/sharded_vectors.h"
#include "embedding/vector_store.h"
#include "error.h"

#include <iostream>

namespace kb::http {

VectorRefresher::VectorRefresher(std::string index_path, unsigned threads)
    : index_path_(std::move(index_path)), threads_(std::max(1u, threads)),
      thread_([this] { loop(); }) {}

VectorRefresher::~VectorRefresher() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

bool VectorRefresher::request() {
    if (!has_vectors(index_path_))
        return false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_ = true;
    }
    changed_.notify_all();
    return true;
}

std::string VectorRefresher::state() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return running_ ? "running" : pending_ ? "pending" : "idle";
}

std::string VectorRefresher::last_error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_error_;
}

void VectorRefresher::wait_idle() const {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return stopping_ || (!pending_ && !running_); });
}

void VectorRefresher::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return stopping_ || pending_; });
        if (stopping_)
            return;
        pending_ = false;
        running_ = true;
        lock.unlock();
        std::string error;
        try {
            VectorBuildOptions options;
            options.threads = threads_;
            options.reuse_model_only = true;
            options.training.threads = threads_;
            options.cancelled = [this] {
                std::lock_guard<std::mutex> guard(mutex_);
                return stopping_;
            };
            const VectorBuildSummary s = build_vectors(index_path_, options);
            if (!s.up_to_date)
                std::cerr << "kb-search-server: vectors rebuilt after a write: " << s.vectors
                          << " vectors in " << s.embed_seconds + s.ann_seconds << " s\n";
        } catch (const Error& e) {
            if (e.code() != "vectors_cancelled")
                error = e.what();
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (!error.empty())
            std::cerr << "kb-search-server: vectors not rebuilt after a write (semantic search "
                         "stays unavailable until kb-indexer runs): "
                      << error << "\n";
        lock.lock();
        running_ = false;
        last_error_ = error;
        changed_.notify_all();
    }
}

} // namespace kb::http
