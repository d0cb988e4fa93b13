// The /search parameter validation on arbitrary input, as GET and POST /search use it:
// - the input split into decoded parameters ("&" between them, the first "=" in each) goes to
//   kb::http::parse_search_request;
// - the input as a JSON body goes to kb::http::parse_search_body (the same field parsers after
//   the JSON types are checked).
// User input must never produce a 500: only kb::Error(InvalidRequest) may escape.

#include "core/error.h"
#include "fuzz/fuzz_support.h"
#include "search-server/api/search_params.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

// The request's page and size within the caps, whichever entry read it.
void check(const kb::SearchRequest& r, const char* what) {
    if (r.page < 1 || r.size < 1 || r.size > kb::http::kMaxPageSize)
        kb::fuzz::fail(std::string(what) + ": accepted page " + std::to_string(r.page) + " size " +
                       std::to_string(r.size));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);

    kb::http::Request get;
    get.method = "GET";
    get.path = "/search";
    get.segments = {"search"};
    for (std::size_t start = 0; start <= input.size();) {
        std::size_t amp = input.find('&', start);
        if (amp == std::string::npos)
            amp = input.size();
        const std::string_view pair = std::string_view(input).substr(start, amp - start);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos)
            get.params.emplace_back(std::string(pair), "");
        else
            get.params.emplace_back(std::string(pair.substr(0, eq)),
                                    std::string(pair.substr(eq + 1)));
        start = amp + 1;
    }
    kb::fuzz::only_invalid_request("parse_search_request (GET parameters)", [&] {
        check(kb::http::parse_search_request(get), "parse_search_request");
    });
    kb::fuzz::only_invalid_request("parse_search_body (POST body)", [&] {
        check(kb::http::parse_search_body(input), "parse_search_body");
    });
    return 0;
}
