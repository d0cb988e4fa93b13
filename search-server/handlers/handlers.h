#pragma once

#include "search-server/api/router.h"

#include <cstdint>
#include <string>

namespace kb::http {

// One free function per route (see the table in router.cpp).
Response handle_search(const Request& request, Context& context, const RouteMatch& match);
Response handle_search_post(const Request& request, Context& context, const RouteMatch& match);
Response handle_search_cite(const Request& request, Context& context, const RouteMatch& match);
Response handle_suggest(const Request& request, Context& context, const RouteMatch& match);
Response handle_facets(const Request& request, Context& context, const RouteMatch& match);
Response handle_document(const Request& request, Context& context, const RouteMatch& match);
Response handle_similar(const Request& request, Context& context, const RouteMatch& match);
Response handle_cite(const Request& request, Context& context, const RouteMatch& match);
Response handle_cite_ids(const Request& request, Context& context, const RouteMatch& match);
Response handle_cite_ids_post(const Request& request, Context& context, const RouteMatch& match);
Response handle_add_documents(const Request& request, Context& context, const RouteMatch& match);
Response handle_delete_document(const Request& request, Context& context, const RouteMatch& match);
Response handle_health(const Request& request, Context& context, const RouteMatch& match);
Response handle_metrics(const Request& request, Context& context, const RouteMatch& match);
Response handle_openapi(const Request& request, Context& context, const RouteMatch& match);
Response handle_opensearch(const Request& request, Context& context, const RouteMatch& match);
Response handle_static(const Request& request, Context& context, const RouteMatch& match);

/// Rejects ids that are empty, too long, or contain control characters or ".." segments.
void validate_document_id(const std::string& id);

/// Bytes of the files under `path` (0 when it is not a directory: a remote index).
std::uintmax_t directory_bytes(const std::string& path);

} // namespace kb::http
