#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kb::http {

/// A request as handlers see it: decoded path and parameters, independent of Poco.
struct Request {
    std::string method;
    std::string path; ///< percent-decoded
    std::vector<std::pair<std::string, std::string>> params; ///< decoded, in order
    std::string body;
};

/// What a handler answers; the Poco adapter writes it out.
struct Response {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

} // namespace kb::http
