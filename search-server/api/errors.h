#pragma once

// The one place errors become HTTP answers: the table from error kinds to statuses, and the
// error bodies — Passerelle's {"error":{"code","message"}}, and for the Meilisearch routes
// Meilisearch's {message, code, type, link} together with Passerelle's. The router, the
// Meilisearch layer and the transport all answer through it.

#include "core/error.h"
#include "search-server/api/http_types.h"

#include <string>

namespace kb::http {

/// What a client is told of an internal error (its details go to the log).
inline const char* const kInternalErrorMessage = "internal error; see the server log";

/// The HTTP status of an error kind: InvalidRequest 400, NotFound 404, Conflict 409,
/// Unavailable 503, Internal 500.
int status_for(ErrorKind kind);

/// {"error":{"code":…,"message":…}}
std::string error_json(const std::string& code, const std::string& message);

/// A JSON error answer with `status`.
Response error_response(int status, const std::string& code, const std::string& message);

/// The answer for `e`: its kind's status and message; a 5xx other than 503 says only
/// kInternalErrorMessage (the caller logs the details).
Response error_response(const Error& e);

/// 500 internal, kInternalErrorMessage.
Response internal_error_response();

/// A Meilisearch route's answer for `e` (InvalidRequest or NotFound): its status, and both
/// error shapes; `prefix` goes before the message ("Inside `.queries[2]`: ").
Response meili_error_response(const Error& e, const std::string& prefix = "");

} // namespace kb::http
