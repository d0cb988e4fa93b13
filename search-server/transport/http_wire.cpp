#include "search-server/transport/http_wire.h"

#include "core/ascii.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kb::http {
namespace {

constexpr std::size_t kMaxFieldName = 256;

// RFC 9110 §5.6.2: the characters of a token (method, field name).
bool is_tchar(unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return is_tchar(static_cast<unsigned char>(c));
    });
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Whether the comma-separated list `value` holds `token` (case-insensitive).
bool has_token(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        if (ascii_lower(trim_ows(value.substr(0, comma))) == token)
            return true;
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

bool no_body(int status) { return status < 200 || status == 204 || status == 304; }

} // namespace

RequestParser::State RequestParser::fail(int status, std::string code, std::string message) {
    error_ = {status, std::move(code), std::move(message)};
    stage_ = Stage::Done;
    return State::Failed;
}

bool RequestParser::next_line(const std::string& buffer, std::string_view& line, std::size_t limit,
                              bool& too_long) {
    too_long = false;
    const std::size_t nl = buffer.find('\n', pos_);
    if (nl == std::string::npos) {
        too_long = buffer.size() - pos_ > limit;
        return false;
    }
    std::size_t end = nl;
    if (end > pos_ && buffer[end - 1] == '\r')
        --end;
    line = std::string_view(buffer).substr(pos_, end - pos_);
    too_long = line.size() > limit;
    pos_ = nl + 1;
    return true;
}

RequestParser::State RequestParser::request_line(std::string_view line) {
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return fail(400, "bad_request",
                    "the request line must be 'METHOD target HTTP/1.1' with single spaces");
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!is_token(method) || method.size() > 32)
        return fail(400, "bad_request", "the request method is not a token of up to 32 letters");
    if (target.empty() ||
        std::any_of(target.begin(), target.end(),
                    [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }) ||
        !(target.front() == '/' || target == "*" || ascii_lower(target.substr(0, 7)) == "http://" ||
          ascii_lower(target.substr(0, 8)) == "https://"))
        return fail(400, "bad_request", "the request target must be a path starting with '/'");
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !std::isdigit(version[5]) ||
        version[6] != '.' || !std::isdigit(version[7]))
        return fail(400, "bad_request", "the request line does not end with HTTP/1.0 or HTTP/1.1");
    if (version[5] != '1')
        return fail(505, "http_version_not_supported", "only HTTP/1.0 and HTTP/1.1 are served");
    request_.method = method;
    request_.target = target;
    request_.minor_version = version[7] - '0';
    request_.keep_alive = request_.minor_version >= 1; // 1.0 closes unless it asks
    stage_ = Stage::Fields;
    return State::NeedMore;
}

RequestParser::State RequestParser::field_line(std::string_view line) {
    if (request_.headers.size() >= limits_.max_fields)
        return fail(431, "headers_too_large",
                    "the request has more than " + std::to_string(limits_.max_fields) +
                        " header fields");
    if (line.front() == ' ' || line.front() == '\t')
        return fail(400, "bad_request", "obsolete line folding in a header field");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return fail(400, "bad_request", "a header line has no ':'");
    const std::string_view name = line.substr(0, colon);
    if (name.size() > kMaxFieldName)
        return fail(431, "headers_too_large",
                    "a header name is over " + std::to_string(kMaxFieldName) + " bytes");
    if (!is_token(name))
        return fail(400, "bad_request",
                    name.find_first_of(" \t") != std::string_view::npos
                        ? "white space between a header name and its ':'"
                        : "a header name is empty or not a token");
    const std::string_view value = trim_ows(line.substr(colon + 1));
    for (char c : value)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
            return fail(400, "bad_request", "a header value contains a control character");
    std::string key = ascii_lower(name);
    if (key == "content-length") {
        if (has_length_)
            return fail(400, "bad_request", "more than one Content-Length header");
        if (value.empty() ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return fail(400, "bad_request",
                        "Content-Length must be a decimal number, got '" +
                            std::string(value.substr(0, 40)) + "'");
        has_length_ = true;
        // Beyond 18 digits it is over any limit; the 413 is decided with the other fields.
        remaining_ = value.size() > 18 ? static_cast<std::size_t>(-1) : 0;
        if (value.size() <= 18)
            std::from_chars(value.data(), value.data() + value.size(), remaining_);
    } else if (key == "transfer-encoding") {
        if (chunked_ || ascii_lower(value) != "chunked")
            return fail(400, "bad_request",
                        "Transfer-Encoding must be exactly 'chunked', got '" +
                            std::string(value.substr(0, 40)) + "'");
        chunked_ = true;
    } else if (key == "connection") {
        if (has_token(value, "close"))
            request_.keep_alive = false;
        else if (has_token(value, "keep-alive") && request_.minor_version == 0)
            request_.keep_alive = true;
    } else if (key == "expect") {
        request_.expect_continue =
            ascii_lower(value) == "100-continue" && request_.minor_version >= 1;
    }
    request_.headers.emplace_back(std::move(key), std::string(value));
    return State::NeedMore;
}

RequestParser::State RequestParser::end_of_fields() {
    if (chunked_ && has_length_)
        return fail(400, "bad_request", "both Content-Length and Transfer-Encoding are present");
    if (chunked_ && request_.minor_version == 0)
        return fail(400, "bad_request", "Transfer-Encoding in an HTTP/1.0 request");
    if (chunked_) {
        stage_ = Stage::ChunkSize;
        return State::NeedMore;
    }
    if (has_length_ && remaining_ > limits_.max_body)
        return fail(413, "body_too_large",
                    "request body is over the limit of " + std::to_string(limits_.max_body) +
                        " bytes");
    // No Content-Length and no Transfer-Encoding: no body (RFC 9112 §6.3), whatever the method.
    stage_ = has_length_ && remaining_ > 0 ? Stage::Body : Stage::Done;
    if (stage_ == Stage::Body)
        request_.body.reserve(remaining_);
    return State::NeedMore;
}

RequestParser::State RequestParser::chunk_size_line(std::string_view line) {
    std::size_t size = 0;
    const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
    std::string_view rest(end, static_cast<std::size_t>(line.data() + line.size() - end));
    rest = trim_ows(rest);
    if (end == line.data() || ec != std::errc() || line.front() == '+' || line.front() == '-' ||
        (!rest.empty() && rest.front() != ';'))
        return fail(400, "bad_request", "malformed chunk size in a chunked body");
    if (size > limits_.max_body - request_.body.size())
        return fail(413, "body_too_large",
                    "request body is over the limit of " + std::to_string(limits_.max_body) +
                        " bytes");
    remaining_ = size;
    stage_ = size == 0 ? Stage::Trailers : Stage::ChunkData;
    return State::NeedMore;
}

RequestParser::State RequestParser::feed(std::string& buffer) {
    if (pos_ < buffer.size())
        started_ = true;
    bool too_long = false;
    std::string_view line;
    for (;;) {
        switch (stage_) {
        case Stage::RequestLine:
            // A line over the limit fails whether or not its end has arrived.
            if (!next_line(buffer, line, limits_.max_request_line, too_long) || too_long)
                return too_long ? fail(414, "uri_too_long",
                                       "the request line is over the limit of 16 KiB")
                                : State::NeedMore;
            if (line.empty())
                continue; // RFC 9112 §2.2: empty lines before a request are ignored
            if (request_line(line) == State::Failed)
                return State::Failed;
            break;
        case Stage::Fields:
        case Stage::Trailers:
            if (!next_line(buffer, line, limits_.max_field_line, too_long) || too_long)
                return too_long ? fail(431, "headers_too_large",
                                       "a header field is over the limit of 8 KiB")
                                : State::NeedMore;
            header_bytes_ += line.size() + 2;
            if (header_bytes_ > limits_.max_header_bytes)
                return fail(431, "headers_too_large", "the request header is over 64 KiB");
            if (stage_ == Stage::Trailers) {
                if (line.empty())
                    stage_ = Stage::Done; // trailer fields are read and ignored
                break;
            }
            if ((line.empty() ? end_of_fields() : field_line(line)) == State::Failed)
                return State::Failed;
            break;
        case Stage::Body:
        case Stage::ChunkData: {
            const std::size_t n = std::min(remaining_, buffer.size() - pos_);
            request_.body.append(buffer, pos_, n);
            pos_ += n;
            remaining_ -= n;
            if (remaining_ > 0)
                return State::NeedMore;
            stage_ = stage_ == Stage::Body ? Stage::Done : Stage::ChunkEnd;
            break;
        }
        case Stage::ChunkSize:
            if (!next_line(buffer, line, 1024, too_long) || too_long)
                return too_long ? fail(400, "bad_request", "a chunk size line is over 1 KiB")
                                : State::NeedMore;
            if (chunk_size_line(line) == State::Failed)
                return State::Failed;
            break;
        case Stage::ChunkEnd:
            if (!next_line(buffer, line, 2, too_long))
                return too_long ? fail(400, "bad_request", "a chunk is longer than its size")
                                : State::NeedMore;
            if (!line.empty())
                return fail(400, "bad_request", "a chunk is longer than its size");
            stage_ = Stage::ChunkSize;
            break;
        case Stage::Done:
            return error_.code.empty() ? State::Complete : State::Failed;
        }
    }
}

WireRequest RequestParser::take(std::string& buffer) {
    buffer.erase(0, pos_);
    WireRequest out = std::move(request_);
    *this = RequestParser(limits_);
    return out;
}

std::string serialize_response(const Response& response, int minor_version, bool head,
                               bool keep_alive) {
    const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                      Poco::Net::HTTPResponse::getReasonForStatus(status) + "\r\n";
    auto header = [&out](std::string_view name, std::string_view value) {
        out.append(name).append(": ");
        for (char c : value) // a value can never end the header (response splitting)
            out.push_back(c == '\r' || c == '\n' ? ' ' : c);
        out.append("\r\n");
    };
    header("Date",
           Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT));
    const bool body = !no_body(response.status);
    if (body) {
        header("Content-Type", response.content_type);
        header("Content-Length", std::to_string(response.body.size()));
    }
    if (!keep_alive)
        header("Connection", "close");
    else if (minor_version == 0)
        header("Connection", "keep-alive");
    header("X-Content-Type-Options", "nosniff");
    header("Referrer-Policy", "no-referrer");
    if (response.content_type.rfind("text/html", 0) == 0) {
        header("Content-Security-Policy",
               "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
               "frame-ancestors 'self'");
        header("X-Frame-Options", "SAMEORIGIN");
    }
    for (const auto& [name, value] : response.headers)
        header(name, value);
    out += "\r\n";
    if (body && !head)
        out += response.body;
    return out;
}

} // namespace kb::http
