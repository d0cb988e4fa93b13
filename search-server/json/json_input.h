#pragma once

// Client JSON, parsed one way for every entry (POST /search, the Meilisearch routes): with
// rapidjson's iterative parser, then walked without recursion to refuse what no search needs
// and the engine must never see.

#include <rapidjson/document.h>

#include <cstddef>
#include <string_view>

namespace kb::http {

/// Deepest nesting of arrays and objects accepted in a client's JSON. The deepest real body
/// (a multi-search query's array filter) nests 5 levels; the cap keeps every later walk, copy
/// or destruction of the document far from the stack's limit.
constexpr std::size_t kMaxJsonDepth = 32;

/// The error codes a layer answers with: `malformed` for text that is not JSON, `invalid` for
/// JSON this server refuses (too deep, a NUL in a string or member name).
struct JsonErrorCodes {
    const char* malformed;
    const char* malformed_message; ///< followed by " (offset N): what rapidjson says"
    const char* invalid;
};

/// Parses `body` (iterative parser, UTF-8 validated) and checks it with check_client_json.
/// Throws kb::Error(InvalidRequest) with the layer's codes; messages give the offset or the
/// path (".queries[2].q") of the problem.
void parse_client_json(rapidjson::Document& doc, std::string_view body, JsonErrorCodes codes);

/// Walks a parsed value without recursion: nesting at most kMaxJsonDepth, and no NUL in any
/// string or member name (a NUL is refused in a query string too: one rule for every entry).
/// Throws kb::Error(InvalidRequest, invalid_code).
void check_client_json(const rapidjson::Value& value, const char* invalid_code);

} // namespace kb::http
