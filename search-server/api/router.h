#pragma once

#include "core/search/searcher.h"
#include "search-server/api/http_types.h"
#include "search-server/auth/api_keys.h"
#include "search-server/handlers/write_gate.h"
#include "search-server/meili/settings_store.h"
#include "search-server/meili/task_log.h"
#include "search-server/metrics.h"
#include "search-server/settings.h"
#include "search-server/transport/rate_limiter.h"
#include "search-server/transport/static_files.h"

#include <string>

namespace kb::http {

/// What a handler may use: this thread's searcher and the server's shared services.
struct Context {
    Searcher& searcher;
    const StaticFiles& files;
    const Settings& settings;
    Metrics& metrics;
    RateLimiter& limiter;
    WriteGate& writer;
    KeyStore& keys;
    meili::TaskLog& tasks; ///< the Meilisearch routes' writes, in memory
    /// The index settings a client may change (synonyms, stop words, faceting, pagination).
    meili::SettingsStore& index_settings;
};

/// What the router matched: the route's pattern (for metrics) and the {id} it captured.
struct RouteMatch {
    std::string pattern;
    std::string id;
};

/// Finds the route for a request and runs its handler, after CORS, rate-limit and API-key
/// checks. Every failure becomes a JSON error with the status of the one table in router.cpp;
/// user input never produces a 500. `matched` receives the route pattern for metrics.
Response dispatch(const Request& request, Context& context, std::string* matched = nullptr);

/// The routes as (method, pattern) pairs, for the OpenAPI test.
std::vector<std::pair<std::string, std::string>> route_list();

} // namespace kb::http
