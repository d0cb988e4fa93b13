#pragma once

#include <stdexcept>
#include <string>

namespace kb {

/// What went wrong, in the terms the two boundaries (indexer main, HTTP layer) translate.
/// Conflict: the request is valid but the index cannot answer it in its current state (a
/// vector search on an index without vectors, or with vectors older than its documents).
enum class ErrorKind { InvalidRequest, NotFound, Conflict, Unavailable, Internal };

/// The one exception type of the project; `code` is a stable machine-readable identifier.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string code, const std::string& message)
        : std::runtime_error(message), kind_(kind), code_(std::move(code)), message_(message) {}

    /// The category that decides the HTTP status or exit code.
    ErrorKind kind() const { return kind_; }
    /// A stable identifier such as "invalid_parameter" or "malformed_front_matter".
    const std::string& code() const { return code_; }
    /// The whole message: what() is a C string, cut at a NUL the message may quote.
    const std::string& message() const { return message_; }

private:
    ErrorKind kind_;
    std::string code_;
    std::string message_;
};

} // namespace kb
