#pragma once

// /keys: list, read, create, update (name, description) and delete API keys, as Meilisearch
// answers them. The router lets only keys with the matching keys.* action (or the master and
// server keys) reach these handlers.

#include "search-server/api/router.h"

namespace kb::http {

Response handle_list_keys(const Request& request, Context& context, const RouteMatch& match);
Response handle_get_key(const Request& request, Context& context, const RouteMatch& match);
Response handle_create_key(const Request& request, Context& context, const RouteMatch& match);
Response handle_update_key(const Request& request, Context& context, const RouteMatch& match);
Response handle_delete_key(const Request& request, Context& context, const RouteMatch& match);

} // namespace kb::http
