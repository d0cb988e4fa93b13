#pragma once

#include "core/search_types.h"

#include <string>
#include <vector>

namespace kb::http {

/// Server behaviour that operators configure (config file < environment < command line).
struct Settings {
    /// Keys accepted in "Authorization: Bearer …" for write endpoints (and reads, if keyed).
    std::vector<std::string> api_keys;
    /// The master key (api.master_key, $KB_MASTER_KEY): every action, /keys included.
    std::string master_key;
    /// Proxies (addresses) whose X-Forwarded-For names the client, for rate limiting.
    std::vector<std::string> trusted_proxies;
    /// Whether read endpoints need a key too (default: public).
    bool read_requires_key = false;
    /// Origins allowed to call the API from a browser; "*" allows any origin for reads.
    std::vector<std::string> cors_origins = {"*"};
    /// Requests per minute and client address; 0 disables the limit.
    unsigned rate_limit_per_minute = 1200;
    /// Largest accepted request body.
    std::size_t max_body_bytes = 1 << 20;
    /// Public base URL used in OpenSearch and OpenAPI documents ("" = from an allowed Host).
    std::string public_url;
    /// Host names (without port) whose Host header may name the server in those documents
    /// when public_url is not set; any other Host gets `listen_url`. A client's Host header is
    /// never reflected otherwise (a cache in front would serve it to everyone).
    std::vector<std::string> allowed_hosts = {"localhost", "127.0.0.1", "[::1]"};
    /// The address the server listens on, as a URL (set at start-up).
    std::string listen_url = "http://localhost";
    /// Longest wait for a remote shard (connect, or one request), in milliseconds.
    unsigned remote_timeout_ms = 5000;
    /// How often a shard that is down is tried again (on a request), in milliseconds.
    unsigned shard_retry_ms = 5000;
    /// Search modes: the default, hybrid fusion and its weight, the facet sample and the time
    /// budget of one request (search.* settings; search.time_limit_ms: ranking.time_limit_ms).
    RankingSettings ranking;
    /// Memory for cached result pages (search.cache_mb; 0: no cache).
    std::size_t cache_bytes = 64ull << 20;
};

} // namespace kb::http
