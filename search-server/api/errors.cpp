#include "search-server/api/errors.h"

#include "search-server/json/json_writer.h"

namespace kb::http {
namespace {

const char* const kJson = "application/json; charset=utf-8";

// "error": {"code", "message"}: Passerelle's error object, in both shapes.
void write_error_member(JsonWriter& w, const std::string& code, const std::string& message) {
    w.Key("error");
    w.StartObject();
    field(w, "code", code);
    field(w, "message", message);
    w.EndObject();
}

} // namespace

int status_for(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InvalidRequest:
        return 400;
    case ErrorKind::NotFound:
        return 404;
    case ErrorKind::Conflict:
        return 409;
    case ErrorKind::Unavailable:
        return 503;
    case ErrorKind::Internal:
        return 500;
    }
    return 500;
}

std::string error_json(const std::string& code, const std::string& message) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    write_error_member(w, code, message);
    w.EndObject();
    return json_text(buffer);
}

Response error_response(int status, const std::string& code, const std::string& message) {
    return {status, kJson, error_json(code, message), {}};
}

Response error_response(const Error& e) {
    const int status = status_for(e.kind());
    if (status >= 500 && status != 503)
        return error_response(status, e.code(), kInternalErrorMessage);
    return error_response(status, e.code(), e.message());
}

Response internal_error_response() {
    return error_response(500, "internal", kInternalErrorMessage);
}

Response meili_error_response(const Error& e, const std::string& prefix) {
    const std::string message = prefix + e.message(); // whole, even past a NUL
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    field(w, "message", message);
    field(w, "code", e.code());
    field(w, "type", "invalid_request");
    field(w, "link", "https://docs.meilisearch.com/errors#" + e.code());
    write_error_member(w, e.code(), message);
    w.EndObject();
    return {status_for(e.kind()), kJson, json_text(buffer), {}};
}

} // namespace kb::http
