#pragma once

#include "core/search/result_cache.h"
#include "search-server/api/http_types.h"
#include "search-server/auth/api_keys.h"
#include "search-server/handlers/write_gate.h"
#include "search-server/meili/settings_store.h"
#include "search-server/meili/task_log.h"
#include "search-server/metrics.h"
#include "search-server/settings.h"
#include "search-server/transport/http_wire.h"
#include "search-server/transport/rate_limiter.h"
#include "search-server/transport/static_files.h"

#include <memory>
#include <string>

namespace kb::http {

/// Everything the worker threads share (each has its own Searcher besides).
struct ServerConfig {
    std::string index_path;
    /// Where /keys stores the API keys ("" keeps them in memory: they do not survive a restart).
    std::string keys_path;
    /// Where the Meilisearch settings routes store the index settings ("" keeps them in memory).
    std::string settings_path;
    std::shared_ptr<const StaticFiles> files;
    Settings settings;
    bool access_log = true;
};

/// The client a request is counted against: the peer, or — when the peer is a trusted proxy —
/// the right-most X-Forwarded-For address no trusted proxy added.
std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted);

/// Turns a request read off the wire into kb::http::Request (path, decoded parameters,
/// headers), dispatches it on this thread's own Searcher (Xapian databases are not
/// thread-safe), records its metrics and logs it. Called by HttpListener's workers.
class RequestProcessor {
public:
    explicit RequestProcessor(ServerConfig config);

    /// The response to one request; never throws (a 500 is logged and answered).
    Response handle(WireRequest& in, const std::string& client);

    Metrics& metrics() { return metrics_; }

private:
    ServerConfig config_;
    Metrics metrics_;
    RateLimiter limiter_;
    WriteGate writer_;
    KeyStore keys_;
    meili::TaskLog tasks_;
    meili::SettingsStore index_settings_;
    /// Result pages, shared by every worker's Searcher (nullptr: search.cache_mb 0).
    std::shared_ptr<ResultCache> cache_;
};

} // namespace kb::http
