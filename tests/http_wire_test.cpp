#define BOOST_TEST_MODULE http_wire
// The request parser on its own (RFC 9112 framing): what is a request, where it ends, and
// every framing that could be read two ways refused, so no byte of one request is ever taken
// as the start of the next (issue 23 #8). The same cases on raw sockets: hostile_test.
#include "search-server/transport/http_wire.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using kb::http::RequestParser;
using kb::http::WireRequest;

namespace {

struct Outcome {
    RequestParser::State state = RequestParser::State::NeedMore;
    std::vector<WireRequest> requests;
    int status = 0; ///< of the error, when Failed
    std::string message;
};

// Feeds `bytes` whole, then (to check that where bytes arrive never matters) one at a time.
Outcome parse(const std::string& bytes, kb::http::WireLimits limits = {}) {
    Outcome whole;
    for (int pass = 0; pass < 2; ++pass) {
        Outcome out;
        RequestParser parser(limits);
        std::string buffer;
        auto run = [&] {
            for (;;) {
                out.state = parser.feed(buffer);
                if (out.state != RequestParser::State::Complete)
                    return;
                out.requests.push_back(parser.take(buffer));
            }
        };
        if (pass == 0) {
            buffer = bytes;
            run();
        } else {
            for (char c : bytes) {
                buffer.push_back(c);
                run();
                if (out.state == RequestParser::State::Failed)
                    break;
            }
        }
        if (out.state == RequestParser::State::Failed) {
            out.status = parser.error().status;
            out.message = parser.error().message;
        }
        if (pass == 0) {
            whole = out;
        } else {
            BOOST_TEST((out.state == whole.state), "byte by byte differs for: " << bytes);
            BOOST_TEST(out.requests.size() == whole.requests.size(), bytes);
            BOOST_TEST(out.status == whole.status, bytes);
        }
    }
    return whole;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_get_then_a_pipelined_post) {
    const Outcome o = parse("GET /search?q=eau HTTP/1.1\r\nHost: x\r\n\r\n"
                            "POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n"
                            "{\"q\":\"eau\"}"
                            "GET /health HTTP/1.0\r\n\r\n");
    BOOST_TEST_REQUIRE(o.requests.size() == 3u);
    BOOST_TEST(o.requests[0].method == "GET");
    BOOST_TEST(o.requests[0].target == "/search?q=eau");
    BOOST_TEST(o.requests[0].keep_alive);
    BOOST_TEST(o.requests[1].body == "{\"q\":\"eau\"}");
    BOOST_TEST(o.requests[2].minor_version == 0);
    BOOST_TEST(!o.requests[2].keep_alive); // HTTP/1.0 closes unless asked otherwise
    BOOST_TEST((o.state == RequestParser::State::NeedMore));
}

BOOST_AUTO_TEST_CASE(no_length_and_no_coding_means_no_body) {
    // A body-less PUT is complete at its blank line (it used to wait for the timeout).
    const Outcome o = parse("PUT /x HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\n\r\n");
    BOOST_TEST_REQUIRE(o.requests.size() == 2u);
    BOOST_TEST(o.requests[0].body.empty());
    BOOST_TEST(o.requests[1].target == "/health");
}

BOOST_AUTO_TEST_CASE(a_body_on_a_get_is_read_as_its_body_never_as_a_request) {
    const std::string smuggled = "GET /admin HTTP/1.1\r\n\r\n";
    const Outcome o =
        parse("GET /health HTTP/1.1\r\nContent-Length: " + std::to_string(smuggled.size()) +
              "\r\n\r\n" + smuggled);
    BOOST_TEST_REQUIRE(o.requests.size() == 1u);
    BOOST_TEST(o.requests[0].body == smuggled);
}

BOOST_AUTO_TEST_CASE(chunked_bodies_with_extensions_and_trailers) {
    const Outcome o = parse("POST /documents HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
                            "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
                            "GET / HTTP/1.1\r\n\r\n");
    BOOST_TEST_REQUIRE(o.requests.size() == 2u);
    BOOST_TEST(o.requests[0].body == "hello world");
}

BOOST_AUTO_TEST_CASE(leading_blank_lines_and_bare_line_feeds) {
    const Outcome o = parse("\r\n\r\nGET /health HTTP/1.1\nHost: x\n\n");
    BOOST_TEST_REQUIRE(o.requests.size() == 1u);
    BOOST_TEST(o.requests[0].headers.at(0).first == "host");
}

BOOST_AUTO_TEST_CASE(connection_and_expect_headers) {
    Outcome o = parse("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n");
    BOOST_TEST_REQUIRE(o.requests.size() == 1u);
    BOOST_TEST(!o.requests[0].keep_alive);
    o = parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    BOOST_TEST(o.requests.at(0).keep_alive);
    RequestParser p;
    std::string b = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
    BOOST_TEST((p.feed(b) == RequestParser::State::NeedMore));
    BOOST_TEST(p.awaiting_body_continue());
    b += "abc";
    BOOST_TEST((p.feed(b) == RequestParser::State::Complete));
}

// Each of these could be framed two ways (or not at all): 400 (or the status named), and the
// listener closes the connection after answering.
const std::vector<std::pair<std::string, int>> kRefused = {
    {"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400},
    {"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400},
    {"POST / HTTP/1.1\r\nContent-Length: 11, 11\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nContent-Length: 0x0b\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello", 400},
    {"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello", 400},
    {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
    {"GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n", 400},
    {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400},
    {"GET / HTTP/1.1\r\n: empty name\r\n\r\n", 400},
    {"GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", 400},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n", 400},
    {"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413},
    {"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", 413},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n", 413},
    {"GET  / HTTP/1.1\r\n\r\n", 400},
    {"GET / HTTP/1.1 \r\n\r\n", 400},
    {"GET / HTTP/9.9.9.9.9\r\n\r\n", 400},
    {"GET / HTTP/2.0\r\n\r\n", 505},
    {"GET relative HTTP/1.1\r\n\r\n", 400},
    {"G(T / HTTP/1.1\r\n\r\n", 400},
    {"\x01\x02\x03\xff garbage\r\n\r\n", 400},
    {"GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n", 414},
    {"GET / HTTP/1.1\r\nX-Big: " + std::string(9000, 'x') + "\r\n\r\n", 431},
    {"GET / HTTP/1.1\r\n" + std::string(300, 'N') + ": v\r\n\r\n", 431},
};

BOOST_DATA_TEST_CASE(ambiguous_or_broken_framing_is_refused,
                     boost::unit_test::data::xrange(kRefused.size())) {
    const auto& [bytes, status] = kRefused[sample];
    const Outcome o = parse(bytes);
    BOOST_TEST((o.state == RequestParser::State::Failed), bytes.substr(0, 80));
    BOOST_TEST(o.status == status, bytes.substr(0, 80) << " -> " << o.message);
    BOOST_TEST(o.requests.empty());
    BOOST_TEST(!o.message.empty());
}

BOOST_AUTO_TEST_CASE(too_many_header_fields) {
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 101; ++i)
        many += "X-H" + std::to_string(i) + ": v\r\n";
    const Outcome o = parse(many + "\r\n");
    BOOST_TEST(o.status == 431);
}

BOOST_AUTO_TEST_CASE(responses_say_their_length_and_never_split) {
    kb::http::Response r{200, "text/html; charset=utf-8", "<p>x</p>", {{"X-Evil", "a\r\nSet: b"}}};
    const std::string bytes = kb::http::serialize_response(r, 1, false, true);
    BOOST_TEST(bytes.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, bytes);
    BOOST_TEST(bytes.find("Content-Length: 8\r\n") != std::string::npos);
    BOOST_TEST(bytes.find("Content-Security-Policy") != std::string::npos);
    BOOST_TEST(bytes.find("\r\nSet: b") == std::string::npos, bytes);
    BOOST_TEST(bytes.substr(bytes.size() - 8) == "<p>x</p>");
    const std::string head = kb::http::serialize_response(r, 1, true, false);
    BOOST_TEST(head.find("Connection: close\r\n") != std::string::npos);
    BOOST_TEST(head.substr(head.size() - 4) == "\r\n\r\n"); // HEAD: the length, no body
    const std::string none = kb::http::serialize_response({204, "", "", {}}, 1, false, true);
    BOOST_TEST(none.find("Content-Length") == std::string::npos, none);
}
