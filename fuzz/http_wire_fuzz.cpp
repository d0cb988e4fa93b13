// The HTTP/1.1 request parser (search-server/http_wire.h) on arbitrary bytes, as the server's
// event loop feeds it: the input is cut at a point the input itself chooses (its first byte),
// so a request split across reads is parsed like a whole one. Invariants: no exception, no
// crash; a failure carries one of the statuses the listener answers, with a message; a
// complete request has a token method, a target, and a body within the limit; parsing the
// same bytes in one piece or in two gives the same requests.
#include "fuzz/fuzz_support.h"
#include "search-server/transport/http_wire.h"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace {

struct Parsed {
    std::vector<kb::http::WireRequest> requests;
    int status = 0;
};

Parsed parse(const std::string& input, std::size_t cut, const kb::http::WireLimits& limits) {
    Parsed out;
    kb::http::RequestParser parser(limits);
    std::string buffer;
    for (const std::string& piece : {input.substr(0, cut), input.substr(cut)}) {
        buffer += piece;
        for (;;) {
            const auto state = parser.feed(buffer);
            if (state == kb::http::RequestParser::State::Complete) {
                out.requests.push_back(parser.take(buffer));
                continue;
            }
            if (state == kb::http::RequestParser::State::Failed) {
                out.status = parser.error().status;
                if (parser.error().message.empty())
                    kb::fuzz::fail("a failure without a message");
                return out;
            }
            break;
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
    kb::http::WireLimits limits;
    limits.max_body = 4096; // small, so the fuzzer reaches the limits
    limits.max_request_line = 512;
    limits.max_field_line = 256;
    limits.max_fields = 16;
    limits.max_header_bytes = 2048;
    try {
        const Parsed whole = parse(input, input.size(), limits);
        const Parsed split = parse(input, data[0] % (input.size() + 1), limits);
        static const std::set<int> statuses = {0, 400, 413, 414, 431, 505};
        if (!statuses.count(whole.status))
            kb::fuzz::fail("unexpected status " + std::to_string(whole.status));
        if (whole.status != split.status || whole.requests.size() != split.requests.size())
            kb::fuzz::fail("split input parsed differently");
        for (std::size_t i = 0; i < whole.requests.size(); ++i) {
            const auto& r = whole.requests[i];
            if (r.method.empty() || r.target.empty() || r.body.size() > limits.max_body)
                kb::fuzz::fail("a complete request without method or target, or over the limit");
            if (r.body != split.requests[i].body || r.target != split.requests[i].target)
                kb::fuzz::fail("split input gave another request");
        }
        (void)kb::http::serialize_response({200, "text/plain", input, {{"X", input}}}, 1, false,
                                           true);
    } catch (...) {
        kb::fuzz::unexpected_exception("RequestParser");
    }
    return 0;
}
