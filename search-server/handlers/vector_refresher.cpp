#include "search-server/handlers/vector_refresher.h"

#include "core/embedding/sharded_vectors.h"
#include "core/embedding/vector_store.h"
#include "core/error.h"

#include <xapian.h>

#include <chrono>
#include <iostream>

namespace kb::http {

VectorRefresher::VectorRefresher(std::string index_path, unsigned threads, Build build)
    : index_path_(std::move(index_path)), threads_(std::max(1u, threads)),
      build_(build ? std::move(build) : Build(build_vectors)), thread_([this] { loop(); }) {
    // Vectors left stale by a server that stopped before its rebuild ended (or by writes of
    // an earlier run) are rebuilt at start-up; an up-to-date set costs one manifest check.
    request();
}

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
        const std::string error = rebuild();
        if (!error.empty())
            std::cerr << "kb-search-server: vectors not rebuilt after a write (semantic search "
                         "stays unavailable until the next write or kb-indexer run): "
                      << error << "\n";
        lock.lock();
        running_ = false;
        last_error_ = error;
        changed_.notify_all();
    }
}

std::string VectorRefresher::rebuild() {
    // A write committed while the build read the index makes Xapian throw
    // DatabaseModifiedError: the build starts again on the newer revision (it reopens).
    constexpr int kAttempts = 5;
    for (int attempt = 1;; ++attempt) {
        try {
            VectorBuildOptions options;
            options.threads = threads_;
            options.reuse_model_only = true;
            options.training.threads = threads_;
            options.cancelled = [this] {
                std::lock_guard<std::mutex> guard(mutex_);
                return stopping_;
            };
            const VectorBuildSummary s = build_(index_path_, options);
            if (!s.up_to_date)
                std::cerr << "kb-search-server: vectors rebuilt: " << s.vectors << " vectors in "
                          << s.embed_seconds + s.ann_seconds << " s\n";
            return {};
        } catch (const Xapian::DatabaseModifiedError& e) {
            if (attempt == kAttempts)
                return "the index kept changing during the rebuild: " + e.get_description();
            std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
        } catch (const Xapian::Error& e) { // not a std::exception
            return e.get_description();
        } catch (const Error& e) {
            return e.code() == "vectors_cancelled" ? std::string() : std::string(e.what());
        } catch (const std::exception& e) {
            return e.what();
        } catch (...) { // this thread must never end the server
            return "unknown error";
        }
    }
}

} // namespace kb::http
