#include "search_params.h"

#include "error.h"

#include <set>

namespace kb::http {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, "invalid_parameter", message);
}

unsigned parse_positive(const std::string& name, const std::string& value, unsigned max) {
    if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != value.npos)
        invalid("parameter '" + name + "' must be a whole number, got '" + value.substr(0, 40) + "'");
    const unsigned long n = std::stoul(value);
    if (n < 1 || n > max)
        invalid("parameter '" + name + "' must be between 1 and " + std::to_string(max) +
                ", got " + value);
    return static_cast<unsigned>(n);
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

} // namespace

SearchRequest parse_search_request(const Request& request) {
    static const std::set<std::string> known = {"q", "page", "size"};
    SearchRequest req;
    std::set<std::string> seen;
    for (const auto& [name, value] : request.params) {
        if (!known.count(name))
            invalid("unknown parameter '" + name.substr(0, 60) + "' (accepted: q, page, size)");
        if (!seen.insert(name).second) invalid("parameter '" + name + "' is given more than once");
        if (name == "q") {
            if (code_points(value) > kMaxQueryChars)
                invalid("parameter 'q' is longer than " + std::to_string(kMaxQueryChars) +
                        " characters");
            req.q = value;
        } else if (name == "page") {
            req.page = parse_positive(name, value, kMaxResultDepth);
        } else if (name == "size") {
            req.size = parse_positive(name, value, kMaxPageSize);
        }
    }
    if (static_cast<unsigned long>(req.page - 1) * req.size >= kMaxResultDepth)
        invalid("page " + std::to_string(req.page) + " is beyond the first " +
                std::to_string(kMaxResultDepth) + " results; refine the query instead");
    return req;
}

} // namespace kb::http
