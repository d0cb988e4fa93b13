#pragma once

// What every Meilisearch route shares: its JSON answer, its errors (InvalidRequest, NotFound)
// in Meilisearch's shape (any other error goes on to the router, which maps it to a status),
// a write's task answer, and the refusals of what a request must not carry.

#include "core/error.h"
#include "search-server/api/errors.h"
#include "search-server/api/http_types.h"
#include "search-server/json/json_input.h"
#include "search-server/json/json_writer.h"
#include "search-server/meili/task_log.h"

namespace kb::http::meili {

inline const char* const kJsonType = "application/json; charset=utf-8";
/// Client JSON errors under Meilisearch's codes.
constexpr JsonErrorCodes kJsonCodes{"malformed_payload", "The json payload provided is malformed",
                                    "bad_request"};

/// Refuses a request with query parameters (bad_request), for routes that take none.
inline void no_params(const Request& request) {
    if (!request.params.empty())
        throw Error(ErrorKind::InvalidRequest, "bad_request",
                    "Unknown parameter `" + request.params.front().first.substr(0, 60) +
                        "`: this route takes none");
}

/// The JSON `buffer` holds, answered with `status`.
inline Response json_answer(const rapidjson::StringBuffer& buffer, int status = 200) {
    return Response{status, kJsonType, json_text(buffer), {}};
}

/// A write's answer: 202 and the task's summary (Meilisearch's status for an enqueued task;
/// here the task has already finished).
inline Response task_response(const Task& task) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    write_task_summary(w, task);
    return json_answer(buffer, 202);
}

/// Runs `f`; its InvalidRequest, NotFound and Conflict (no_vectors: a hybrid search of an
/// index without vectors) errors answer in Meilisearch's shape.
template <typename F> Response meili_answer(F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::InvalidRequest && e.kind() != ErrorKind::NotFound &&
            e.kind() != ErrorKind::Conflict)
            throw;
        return meili_error_response(e);
    }
}

} // namespace kb::http::meili
