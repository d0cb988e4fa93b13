#include "search-server/auth/key_routes.h"

#include "core/error.h"
#include "search-server/auth/api_keys.h"

#include <string>

namespace kb::http {
namespace {

const char* const kJson = "application/json; charset=utf-8";

[[noreturn]] void bad(const std::string& code, const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, code, message);
}

// ?offset=&limit= (Meilisearch's defaults: 0 and 20).
unsigned number_param(const Request& request, const std::string& name, unsigned fallback,
                      unsigned max) {
    unsigned value = fallback;
    bool seen = false;
    for (const auto& [k, v] : request.params) {
        if (k != name) {
            if (k != "offset" && k != "limit")
                bad("bad_request",
                    "unknown parameter '" + k.substr(0, 60) + "' (accepted: offset, limit)");
            continue;
        }
        if (seen)
            bad("bad_request", "parameter '" + name + "' is given more than once");
        seen = true;
        if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
            bad("invalid_api_key_" + name, "parameter '" + name + "' must be a whole number");
        value = static_cast<unsigned>(std::stoul(v));
        if (value > max)
            bad("invalid_api_key_" + name,
                "parameter '" + name + "' must be at most " + std::to_string(max));
    }
    return value;
}

void no_params(const Request& request) {
    if (!request.params.empty())
        bad("bad_request", "this route takes no query parameter");
}

Error not_found(const std::string& id) {
    return Error(ErrorKind::NotFound, "api_key_not_found",
                 "API key `" + id.substr(0, 80) + "` not found");
}

} // namespace

Response handle_list_keys(const Request& request, Context& context, const RouteMatch&) {
    const unsigned offset = number_param(request, "offset", 0, 1000000);
    const unsigned limit = number_param(request, "limit", 20, 1000);
    const std::vector<ApiKey> keys = context.keys.list();
    std::string body = "{\"results\":[";
    for (std::size_t i = offset, n = 0; i < keys.size() && n < limit; ++i, ++n)
        body += (n ? "," : "") + key_json(keys[i]);
    body += "],\"offset\":" + std::to_string(offset) + ",\"limit\":" + std::to_string(limit) +
            ",\"total\":" + std::to_string(keys.size()) + "}";
    return {200, kJson, body, {}};
}

Response handle_get_key(const Request& request, Context& context, const RouteMatch& match) {
    no_params(request);
    const auto key = context.keys.find(match.id);
    if (!key)
        throw not_found(match.id);
    return {200, kJson, key_json(*key), {}};
}

Response handle_create_key(const Request& request, Context& context, const RouteMatch&) {
    no_params(request);
    return {201, kJson, key_json(context.keys.create(request.body)), {}};
}

Response handle_update_key(const Request& request, Context& context, const RouteMatch& match) {
    no_params(request);
    return {200, kJson, key_json(context.keys.update(match.id, request.body)), {}};
}

Response handle_delete_key(const Request& request, Context& context, const RouteMatch& match) {
    no_params(request);
    if (!context.keys.remove(match.id))
        throw not_found(match.id);
    return {204, "text/plain", "", {}};
}

} // namespace kb::http
