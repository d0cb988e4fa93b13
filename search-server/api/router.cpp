#include "search-server/api/router.h"

#include "core/error.h"
#include "core/utf8.h"
#include "search-server/api/errors.h"
#include "search-server/auth/authorisation.h"
#include "search-server/auth/key_routes.h"
#include "search-server/handlers/handlers.h"
#include "search-server/meili/meili_admin.h"
#include "search-server/meili/meili_compat.h"
#include "search-server/meili/meili_documents.h"
#include "search-server/meili/meili_settings.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <functional>

namespace kb::http {
namespace {

using Handler = std::function<Response(const Request&, Context&, const RouteMatch&)>;

struct Route {
    const char* method;
    const char* pattern; ///< "{id}" spans one or more path segments
    Access access;       ///< Public, Read (keyed with read_requires_key) or Keyed
    const char* action;  ///< the Meilisearch key action it needs ("" for Public)
    /// Its answers are searches that apply a tenant token's scope: tokens are accepted here.
    bool scoped;
    Handler handler;
};

constexpr bool kScoped = true, kUnscoped = false;

// The route table: one line per route. Longer patterns first, so "/documents/{id}/similar"
// wins over "/documents/{id}" for ".../similar". A route that answers documents by id (not by
// a search) is unscoped: a tenant token, limited to what its filters let it find, has no use
// there.
const std::vector<Route>& routes() {
    using A = Access;
    static const std::vector<Route> table = {
        {"GET", "/search", A::Read, "search", kScoped, handle_search},
        {"POST", "/search", A::Read, "search", kScoped, handle_search_post},
        {"GET", "/search/cite", A::Read, "search", kScoped, handle_search_cite},
        {"GET", "/cite", A::Read, "documents.get", kUnscoped, handle_cite_ids},
        {"POST", "/cite", A::Read, "documents.get", kUnscoped, handle_cite_ids_post},
        {"GET", "/suggest", A::Read, "search", kScoped, handle_suggest},
        {"GET", "/facets", A::Read, "search", kScoped, handle_facets},
        {"GET", "/documents/{id}/similar", A::Read, "search", kUnscoped, handle_similar},
        {"GET", "/documents/{id}/cite", A::Read, "documents.get", kUnscoped, handle_cite},
        {"GET", "/documents/{id}", A::Read, "documents.get", kUnscoped, handle_document},
        {"DELETE", "/documents/{id}", A::Keyed, "documents.delete", kUnscoped,
         handle_delete_document},
        {"POST", "/documents", A::Keyed, "documents.add", kUnscoped, handle_add_documents},
        {"GET", "/keys/{id}", A::Keyed, "keys.get", kUnscoped, handle_get_key},
        {"PATCH", "/keys/{id}", A::Keyed, "keys.update", kUnscoped, handle_update_key},
        {"DELETE", "/keys/{id}", A::Keyed, "keys.delete", kUnscoped, handle_delete_key},
        {"GET", "/keys", A::Keyed, "keys.get", kUnscoped, handle_list_keys},
        {"POST", "/keys", A::Keyed, "keys.create", kUnscoped, handle_create_key},
        {"GET", "/health", A::Public, "", kUnscoped, handle_health},
        {"GET", "/metrics", A::Public, "", kUnscoped, handle_metrics},
        {"GET", "/openapi.json", A::Public, "", kUnscoped, handle_openapi},
        {"GET", "/opensearch.xml", A::Public, "", kUnscoped, handle_opensearch},
        {"GET", "/", A::Public, "", kUnscoped, handle_static},
        {"GET", "/index.html", A::Public, "", kUnscoped, handle_static},
        {"GET", "/web/app.js", A::Public, "", kUnscoped, handle_static},
        {"GET", "/web/js/{id}", A::Public, "", kUnscoped, handle_static},
        {"GET", "/web/style.css", A::Public, "", kUnscoped, handle_static},
        {"GET", "/widget.js", A::Public, "", kUnscoped, handle_static},
        // Meilisearch documents, settings, tasks and the rest (meili_documents.h,
        // meili_settings.h, meili_admin.h), before "/indexes/{id}", which would take their paths.
        // {uid} is one segment, so a document id may hold '/'; ids "fetch", "delete" and
        // "delete-batch" are read through GET /documents/{id}.
        {"POST", "/indexes/{id}/documents/fetch", A::Read, "documents.get", kUnscoped,
         handle_meili_fetch_documents},
        {"POST", "/indexes/{id}/documents/delete-batch", A::Keyed, "documents.delete", kUnscoped,
         handle_meili_delete_batch},
        {"POST", "/indexes/{id}/documents/delete", A::Keyed, "documents.delete", kUnscoped,
         handle_meili_delete_by_filter},
        {"GET", "/indexes/{uid}/documents/{id}", A::Read, "documents.get", kUnscoped,
         handle_meili_document},
        {"DELETE", "/indexes/{uid}/documents/{id}", A::Keyed, "documents.delete", kUnscoped,
         handle_meili_delete_document},
        {"GET", "/indexes/{id}/documents", A::Read, "documents.get", kUnscoped,
         handle_meili_documents},
        {"POST", "/indexes/{id}/documents", A::Keyed, "documents.add", kUnscoped,
         handle_meili_add_documents},
        {"PUT", "/indexes/{id}/documents", A::Keyed, "documents.add", kUnscoped,
         handle_meili_update_documents},
        {"DELETE", "/indexes/{id}/documents", A::Keyed, "documents.delete", kUnscoped,
         handle_meili_delete_all},
        {"GET", "/indexes/{uid}/settings/{id}", A::Read, "settings.get", kUnscoped,
         handle_meili_setting},
        {"PUT", "/indexes/{uid}/settings/{id}", A::Keyed, "settings.update", kUnscoped,
         handle_meili_setting_update},
        {"PATCH", "/indexes/{uid}/settings/{id}", A::Keyed, "settings.update", kUnscoped,
         handle_meili_setting_update},
        {"DELETE", "/indexes/{uid}/settings/{id}", A::Keyed, "settings.update", kUnscoped,
         handle_meili_setting_update},
        {"GET", "/indexes/{id}/settings", A::Read, "settings.get", kUnscoped,
         handle_meili_settings},
        {"PATCH", "/indexes/{id}/settings", A::Keyed, "settings.update", kUnscoped,
         handle_meili_settings_update},
        {"DELETE", "/indexes/{id}/settings", A::Keyed, "settings.update", kUnscoped,
         handle_meili_settings_update},
        {"GET", "/indexes/{id}/stats", A::Read, "stats.get", kUnscoped, handle_meili_index_stats},
        {"GET", "/indexes", A::Read, "indexes.get", kUnscoped, handle_meili_indexes},
        {"GET", "/stats", A::Read, "stats.get", kUnscoped, handle_meili_stats},
        {"GET", "/version", A::Read, "version", kUnscoped, handle_meili_version},
        // The task log tells what the writes did: it needs a key, as they do.
        {"GET", "/tasks/{id}", A::Keyed, "tasks.get", kUnscoped, handle_meili_task},
        {"GET", "/tasks", A::Keyed, "tasks.get", kUnscoped, handle_meili_tasks},
        // Meilisearch-compatible search (meili_compat.h), for InstantSearch.js.
        {"POST", "/indexes/{id}/search", A::Read, "search", kScoped, handle_meili_search},
        {"POST", "/indexes/{id}/facet-search", A::Read, "search", kScoped,
         handle_meili_facet_search},
        {"GET", "/indexes/{id}", A::Read, "indexes.get", kUnscoped, handle_meili_index},
        {"POST", "/multi-search", A::Read, "search", kScoped, handle_meili_multi_search},
    };
    return table;
}

// Matches path segments against a pattern; fills `id` for "{id}". "{uid}" is any one segment
// (the handler reads it from Request::segments).
bool match(const std::string& pattern, const std::vector<std::string>& segments, std::string& id) {
    const std::vector<std::string> p = split_path(pattern);
    std::size_t hole = p.size();
    for (std::size_t i = 0; i < p.size(); ++i)
        if (p[i] == "{id}")
            hole = i;
    if (hole == p.size())
        return p == segments;
    const std::size_t after = p.size() - hole - 1;
    if (segments.size() < p.size())
        return false;
    for (std::size_t i = 0; i < hole; ++i)
        if (p[i] != segments[i] && p[i] != "{uid}")
            return false;
    for (std::size_t i = 0; i < after; ++i)
        if (p[p.size() - 1 - i] != segments[segments.size() - 1 - i])
            return false;
    id.clear();
    for (std::size_t i = hole; i < segments.size() - after; ++i)
        id += (i > hole ? "/" : "") + segments[i];
    return true;
}

// A route that changes something: its CORS answers name origins, never "*".
bool is_write(const Route& r) {
    return r.access == Access::Keyed && std::string(r.method) != "GET";
}

// CORS: reads may come from any allowed origin ("*" by default); writes only from origins
// listed by name. Credentials are never allowed.
void add_cors(const Request& request, const Settings& settings, bool write, Response& r) {
    const std::string origin = request.header("origin");
    if (origin.empty())
        return;
    bool listed = false, any = false;
    for (const std::string& o : settings.cors_origins) {
        listed = listed || o == origin;
        any = any || o == "*";
    }
    if (listed) {
        r.headers.emplace_back("Access-Control-Allow-Origin", origin);
        r.headers.emplace_back("Vary", "Origin");
    } else if (any && !write) {
        r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    }
}

bool origin_allowed(const Request& request, const Settings& settings, bool write) {
    const std::string origin = request.header("origin");
    for (const std::string& o : settings.cors_origins)
        if (o == origin || (o == "*" && !write))
            return true;
    return false;
}

Response run(const Request& request, Context& context, std::string* matched) {
    if (!is_valid_utf8(request.path))
        return error_response(400, "invalid_utf8", "the request path is not valid UTF-8");
    for (const auto& [name, value] : request.params)
        if (!is_valid_utf8(name) || !is_valid_utf8(value))
            return error_response(400, "invalid_utf8",
                                  "a query parameter is not valid UTF-8 (percent-encode UTF-8)");

    // The first pattern matching the path decides the resource; its methods the Allow list.
    const char* pattern = nullptr;
    std::string id;
    for (const Route& route : routes())
        if (match(route.pattern, request.segments, id)) {
            pattern = route.pattern;
            break;
        }
    if (!pattern)
        return error_response(404, "not_found", "no such endpoint: " + request.path.substr(0, 200));
    if (matched)
        *matched = pattern;

    std::string allowed;
    const Route* chosen = nullptr;
    bool write_resource = false;
    for (const Route& route : routes()) {
        if (std::string(route.pattern) != pattern)
            continue;
        allowed += std::string(allowed.empty() ? "" : ", ") + route.method;
        write_resource = write_resource || is_write(route);
        if (request.method == route.method ||
            (request.method == "HEAD" && std::string(route.method) == "GET"))
            chosen = &route;
    }
    allowed += ", OPTIONS";

    if (request.method == "OPTIONS") { // CORS preflight
        Response r{204, "text/plain", "", {}};
        if (!request.header("origin").empty() &&
            origin_allowed(request, context.settings, write_resource)) {
            add_cors(request, context.settings, write_resource, r);
            r.headers.emplace_back("Access-Control-Allow-Methods", allowed);
            r.headers.emplace_back("Access-Control-Allow-Headers",
                                   "Content-Type, Authorization, X-Meilisearch-Client");
            r.headers.emplace_back("Access-Control-Max-Age", "600");
        }
        r.headers.emplace_back("Allow", allowed);
        return r;
    }
    if (!chosen) {
        Response r = error_response(405, "method_not_allowed",
                                    "method " + request.method.substr(0, 20) +
                                        " is not allowed here (allowed: " + allowed + ")");
        r.headers.emplace_back("Allow", allowed);
        return r;
    }
    if (chosen->access != Access::Public) {
        if (auto wait = context.limiter.acquire(request.client)) {
            Response r = error_response(429, "rate_limited",
                                        "too many requests from this address; retry in " +
                                            std::to_string(*wait) + " s");
            r.headers.emplace_back("Retry-After", std::to_string(*wait));
            return r;
        }
    }
    const Authorisation auth = authorise(request, context.settings, context.keys, chosen->access,
                                         chosen->action, chosen->scoped);
    if (auth.status) {
        Response r = error_response(auth.status, auth.code, auth.message);
        if (auth.status == 401)
            r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
    if (auth.scope) { // a tenant token: its scope goes with the request into every search
        Request scoped = request;
        scoped.scope = auth.scope;
        Response r = chosen->handler(scoped, context, RouteMatch{pattern, id});
        add_cors(request, context.settings, is_write(*chosen), r);
        return r;
    }
    Response r = chosen->handler(request, context, RouteMatch{pattern, id});
    add_cors(request, context.settings, is_write(*chosen), r);
    return r;
}

} // namespace

std::vector<std::string> split_path(const std::string& raw_path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= raw_path.size()) {
        std::size_t slash = raw_path.find('/', start);
        std::string raw =
            raw_path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!raw.empty()) {
            std::string decoded;
            Poco::URI::decode(raw, decoded);
            segments.push_back(std::move(decoded));
        }
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    return segments;
}

std::vector<std::pair<std::string, std::string>> route_list() {
    std::vector<std::pair<std::string, std::string>> list;
    for (const Route& r : routes())
        list.emplace_back(r.method, r.pattern);
    return list;
}

Response dispatch(const Request& request, Context& context, std::string* matched) {
    try {
        return run(request, context, matched);
    } catch (const Error& e) {
        if (status_for(e.kind()) >= 500)
            Poco::Logger::get("kb").error("%s %s: %s", request.method, request.path,
                                          std::string(e.what()));
        return error_response(e);
    } catch (const std::exception& e) {
        Poco::Logger::get("kb").error("%s %s: %s", request.method, request.path,
                                      std::string(e.what()));
        return internal_error_response();
    }
}

} // namespace kb::http
