#pragma once

#include "router.h"

#include <string>

namespace kb::http {

// One free function per route; `tail` is the path after the route's prefix.
Response handle_search(const Request& request, Context& context, const std::string& tail);
Response handle_document(const Request& request, Context& context, const std::string& tail);
Response handle_facets(const Request& request, Context& context, const std::string& tail);
Response handle_health(const Request& request, Context& context, const std::string& tail);
Response handle_static(const Request& request, Context& context, const std::string& tail);

/// Rejects ids that are empty, too long, or contain control characters or ".." segments.
void validate_document_id(const std::string& id);

} // namespace kb::http
