#pragma once

// Documents compiled into the server (generated from builtin_http_data.cpp.in by CMake).

namespace kb::http::builtin_http_data {

/// search-server/openapi.json, the OpenAPI 3 description of every route.
extern const char* const kOpenApi;

} // namespace kb::http::builtin_http_data
