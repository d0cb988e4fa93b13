#pragma once

#include "metrics.h"
#include "rate_limiter.h"
#include "result_cache.h"
#include "settings.h"
#include "static_files.h"
#include "write_gate.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <memory>
#include <string>

namespace kb::http {

/// Everything the worker threads share (each has its own Searcher besides).
struct ServerConfig {
    std::string index_path;
    std::shared_ptr<const StaticFiles> files;
    Settings settings;
    bool access_log = true;
};

/// Poco's router: wraps each request into kb::http::Request, dispatches it on this thread's
/// own Searcher (Xapian databases are not thread-safe) and writes the Response.
class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(ServerConfig config);
    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

    struct Shared {
        explicit Shared(ServerConfig c)
            : config(std::move(c)), limiter(config.settings.rate_limit_per_minute),
              writer(config.index_path),
              cache(config.settings.cache_bytes
                        ? std::make_shared<ResultCache>(config.settings.cache_bytes)
                        : nullptr) {
            if (cache)
                metrics.watch_cache(cache);
        }
        ServerConfig config;
        Metrics metrics;
        RateLimiter limiter;
        WriteGate writer;
        /// Result pages, shared by every worker's Searcher (nullptr: search.cache_mb 0).
        std::shared_ptr<ResultCache> cache;
    };

private:
    std::shared_ptr<Shared> shared_;
};

} // namespace kb::http
