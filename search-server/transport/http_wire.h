#pragma once

#include "search-server/api/http_types.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace kb::http {

/// A request as it came off the wire, framed by RFC 9112 and not yet interpreted.
struct WireRequest {
    std::string method;
    std::string target;    ///< the request target as sent (origin or absolute form)
    int minor_version = 1; ///< HTTP/1.<minor>
    std::vector<std::pair<std::string, std::string>> headers; ///< names in lower case
    std::string body;                                         ///< de-chunked
    bool keep_alive = true;
    bool expect_continue = false;
};

/// Limits of one request; beyond them the parser answers 414, 431 or 413.
struct WireLimits {
    std::size_t max_request_line = std::size_t{16} * 1024;
    std::size_t max_field_line = std::size_t{8} * 1024;
    std::size_t max_fields = 100;
    std::size_t max_header_bytes = std::size_t{64} * 1024;
    std::size_t max_body = 1 << 20;
};

/// Why a request cannot be read: the status to answer, then the connection is closed.
struct WireError {
    int status = 400;
    std::string code;
    std::string message;
};

/// An incremental HTTP/1.x request parser (RFC 9112): request line, header fields, then a
/// body framed by Content-Length or chunked Transfer-Encoding, nothing else. Whatever
/// framing could be read two ways (two lengths, a length and a transfer coding, a coding that
/// is not exactly "chunked", white space before a colon, obsolete line folding) is an error,
/// so no byte of one request can be taken as the start of the next. Pure: no sockets, so it
/// is unit-tested and fuzzed on its own.
class RequestParser {
public:
    enum class State { NeedMore, Complete, Failed };

    explicit RequestParser(WireLimits limits = {}) : limits_(limits) {}

    /// Reads as much of `buffer` as belongs to the current request. On Complete, take() the
    /// request; its bytes are then erased from `buffer` (pipelined bytes stay).
    State feed(std::string& buffer);
    /// The request read, and a fresh state for the next one on the connection.
    WireRequest take(std::string& buffer);
    const WireError& error() const { return error_; }

    /// Whether any byte of a request has arrived (a silent keep-alive connection has none).
    bool started() const { return started_; }
    /// The header is complete and the client asked for "100 Continue" before its body.
    bool awaiting_body_continue() const {
        return request_.expect_continue && (stage_ == Stage::Body || stage_ == Stage::ChunkSize);
    }

private:
    enum class Stage { RequestLine, Fields, Body, ChunkSize, ChunkData, ChunkEnd, Trailers, Done };

    State fail(int status, std::string code, std::string message);
    State request_line(std::string_view line);
    State field_line(std::string_view line);
    State end_of_fields();
    State chunk_size_line(std::string_view line);
    /// The next line from pos_ (CRLF or bare LF), or false when it has not all arrived.
    bool next_line(const std::string& buffer, std::string_view& line, std::size_t limit,
                   bool& too_long);

    WireLimits limits_;
    WireRequest request_;
    WireError error_;
    Stage stage_ = Stage::RequestLine;
    std::size_t pos_ = 0;       ///< bytes of the buffer consumed by this request
    std::size_t remaining_ = 0; ///< body or chunk bytes still to come
    std::size_t header_bytes_ = 0;
    bool started_ = false;
    bool chunked_ = false;
    bool has_length_ = false;
};

/// The bytes of a response: status line, the headers every answer carries (type, length,
/// connection, and the security headers of HTML pages), the handler's own, then the body
/// unless the request was HEAD (or the status has none).
std::string serialize_response(const Response& response, int minor_version, bool head,
                               bool keep_alive);

} // namespace kb::http
