#define BOOST_TEST_MODULE hostile
// Hostile and malformed requests against the real server: each gets a 4xx with a JSON body
// (or, where Poco closes the connection itself, that is said below), and the server keeps
// answering. Raw Poco::Net::StreamSocket writes where an HTTP client would refuse to send
// the request; cpprestsdk elsewhere.
//
// What Poco 1.11 does by itself, before our handler sees anything (kb-search-server's own
// connection loop, search-server/main.cpp, turns each into a JSON error):
//   request line over 16 KiB (HTTPRequest::MAX_URI_LENGTH)       -> 414 uri_too_long
//   more than 100 header fields (MessageHeader::DFL_FIELD_LIMIT)  -> 431 headers_too_large
//   a header value over 8 KiB (MessageHeader::MAX_VALUE_LENGTH)   -> 431 headers_too_large
//   method over 32 bytes, unparsable header line                  -> 400 bad_request
//   a request not complete within --timeout (slowloris)           -> 408, then closed
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"
#include "tests/socket_support.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>

#include <atomic>
#include <chrono>
#include <thread>

using web::http::methods;

namespace {

const char* const kKey = "hostile-key-5d1e";

struct Server : kb::test::SeedServer {
    Poco::UInt16 port = 0;

    Server()
        : SeedServer(std::string("api.keys = ") + kKey +
                     "\ncors.origins = https://partner.example\n"
                     "limits.requests_per_minute = 0\n"
                     "server.timeout_seconds = 2\n") {
        port = static_cast<Poco::UInt16>(
            std::stoi(server->url().substr(server->url().rfind(':') + 1)));
    }
};

Server& server() {
    static Server instance;
    return instance;
}

struct Reply {
    int status = 0; ///< 0: the connection closed without an answer
    std::string head;
    std::string body;
    bool json() const {
        return head.find("application/json") != std::string::npos &&
               body.rfind("{\"error\"", 0) == 0;
    }
    bool has_header(const std::string& name) const {
        std::string lower = head;
        for (char& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return lower.find("\r\n" + name + ":") != std::string::npos;
    }
};

Reply parse(const std::string& text) {
    Reply r;
    const auto end = text.find("\r\n\r\n");
    if (text.rfind("HTTP/1.", 0) != 0 || end == std::string::npos)
        return r;
    r.status = std::stoi(text.substr(9, 3));
    r.head = text.substr(0, end + 2);
    r.body = text.substr(end + 4);
    return r;
}

// Sends bytes as they are (ignoring a reset while sending: the server may stop reading) and
// reads until the server closes the connection.
Reply raw(const std::string& request, int read_seconds = 15) {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server().port));
    kb::test::send_all(s, request);
    return parse(kb::test::read_until_closed(s, read_seconds));
}

std::string get_line(const std::string& target, const std::string& method = "GET") {
    return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
}

Reply raw_get(const std::string& target, const std::string& extra_headers = "",
              const std::string& method = "GET") {
    return raw(get_line(target, method) + extra_headers + "\r\n");
}

using ClientReply = kb::test::HttpReply;

ClientReply send(const web::http::method& method, const std::string& path,
                 const std::vector<std::pair<std::string, std::string>>& headers = {},
                 const std::string& body = "") {
    return kb::test::http_send(server().server->url(), method, path, headers, body);
}

bool is_json_error(const std::string& body) { return body.rfind("{\"error\"", 0) == 0; }

} // namespace

BOOST_AUTO_TEST_CASE(invalid_utf8_and_nul_bytes) {
    Reply r = raw_get("/search?q=%C3%28");
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.json());
    BOOST_TEST(r.body.find("invalid_utf8") != std::string::npos, r.body);
    r = raw_get("/search?q=caf\xe9\xff");
    BOOST_TEST(r.status == 400, r.status);
    BOOST_TEST(r.json());
    r = raw_get("/search?q=%FF%FE");
    BOOST_TEST(r.status == 400);

    r = raw_get("/search?q=jumelage%00coop%C3%A9ration");
    BOOST_TEST(r.status == 400, r.status << " " << r.body.substr(0, 200));
    BOOST_TEST(r.json());
    r = raw_get("/search?q%00=eau");
    BOOST_TEST(r.status == 400);
    r = raw_get("/documents/abc%00def"); // ids refuse control characters
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.json());
    r = raw_get(std::string("/search?q=a\0b", 13)); // a raw NUL in the request line
    BOOST_TEST(r.status == 400, r.status);
    BOOST_TEST(r.json());
}

BOOST_AUTO_TEST_CASE(huge_query_string_and_many_parameters) {
    Reply r = raw_get("/search?q=" + std::string(1 << 20, 'a'));
    BOOST_TEST(r.status == 414, r.status << " " << r.body.substr(0, 200));
    BOOST_TEST(r.json());

    std::string many = "/search?q=eau";
    for (int i = 0; i < 10000; ++i)
        many += "&p" + std::to_string(i) + "=1";
    r = raw_get(many); // ~90 KB: over the request-line limit before any parameter is read
    BOOST_TEST(r.status == 414);
    BOOST_TEST(r.json());

    std::string under = "/search?q=eau";
    for (int i = 0; i < 2000; ++i)
        under += "&q=1";
    r = raw_get(under); // 8 KB, 2,001 parameters: repeated parameters are an error
    BOOST_TEST(r.status == 400, r.status << " " << r.body.substr(0, 200));
    BOOST_TEST(r.json());
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_bodies) {
    const std::string deep(100000, '[');
    ClientReply r = send(methods::POST, "/search", {}, deep);
    BOOST_TEST(r.status == 400, r.status);
    BOOST_TEST(is_json_error(r.body), r.body.substr(0, 200));
    // The Meilisearch-compatible routes answer in Meilisearch's error format.
    for (const std::string path : {"/multi-search", "/indexes/documents/search"}) {
        r = send(methods::POST, path, {}, deep);
        BOOST_TEST(r.status == 400, path << ": " << r.status);
        BOOST_TEST(r.body.find("\"code\":\"malformed_payload\"") != std::string::npos,
                   path << ": " << r.body.substr(0, 200));
    }
    const std::string filter = "{\"q\":\"eau\",\"filter\":" + std::string(50000, '[') + "]}";
    r = send(methods::POST, "/indexes/documents/search", {}, filter);
    BOOST_TEST(r.status == 400, r.status);
    BOOST_TEST(send(methods::GET, "/health").status == 200);
}

BOOST_AUTO_TEST_CASE(path_traversal_in_ids) {
    for (const std::string path :
         {"/documents/..%2F..%2Fetc%2Fpasswd", "/documents/%2e%2e/%2e%2e",
          "/documents/%2e%2e/%2e%2e/etc/passwd", "/web/../../../etc/passwd",
          "/web/..%2F..%2F..%2Fetc%2Fpasswd", "/documents/..%5C..%5Cetc%5Cpasswd"}) {
        // 400 invalid_id for ids with a "." or ".." segment, 404 for paths no route has.
        Reply r = raw_get(path);
        BOOST_TEST((r.status == 400 || r.status == 404), path << ": " << r.status);
        BOOST_TEST(r.json(), path);
        BOOST_TEST(r.body.find("root:") == std::string::npos, path);
    }
}

BOOST_AUTO_TEST_CASE(slowloris_is_cut_off_while_others_are_served) {
    server();
    const std::string request =
        "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaa\r\n\r\n";
    Poco::Net::StreamSocket slow(Poco::Net::SocketAddress("127.0.0.1", server().port));
    const auto started = std::chrono::steady_clock::now();
    std::atomic<bool> cut{false};
    std::thread trickle([&] {
        try {
            for (char c : request) { // one byte every 0.5 s: ~30 s for the whole request
                if (slow.sendBytes(&c, 1) <= 0)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
                if (cut)
                    break;
            }
        } catch (const Poco::Exception&) {
        }
    });
    // Meanwhile other clients are answered at once.
    for (int i = 0; i < 5; ++i) {
        const auto t = std::chrono::steady_clock::now();
        BOOST_TEST(send(methods::GET, "/search?q=jumelage").status == 200);
        BOOST_TEST((std::chrono::steady_clock::now() - t < std::chrono::seconds(1)));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    slow.setReceiveTimeout(Poco::Timespan(20, 0));
    std::string text;
    char buf[4096];
    try {
        for (int n; (n = slow.receiveBytes(buf, sizeof buf)) > 0;)
            text.append(buf, n);
    } catch (const Poco::Exception&) {
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    cut = true;
    trickle.join();
    BOOST_TEST_MESSAGE("slowloris cut after " << std::chrono::duration<double>(elapsed).count()
                                              << " s: " << text.substr(0, text.find("\r\n")));
    BOOST_TEST((elapsed < std::chrono::seconds(6))); // --timeout 2 s, checked every 0.2 s
    BOOST_TEST(parse(text).status == 408);
    BOOST_TEST(parse(text).json());
}

BOOST_AUTO_TEST_CASE(huge_and_too_many_headers) {
    Reply r = raw_get("/health", "X-Big: " + std::string(1 << 20, 'x') + "\r\n");
    BOOST_TEST(r.status == 431, r.status);
    BOOST_TEST(r.json());
    std::string many;
    for (int i = 0; i < 2000; ++i)
        many += "X-H" + std::to_string(i) + ": v\r\n";
    r = raw_get("/health", many);
    BOOST_TEST(r.status == 431, r.status);
    BOOST_TEST(r.json());
    r = raw_get("/health", std::string(300, 'N') + ": v\r\n"); // name over 256 bytes
    BOOST_TEST(r.status == 431, r.status);
}

BOOST_AUTO_TEST_CASE(method_tampering) {
    for (const std::string method : {"TRACE", "PATCH", "FOO", "get", "PUT", "DELETE"}) {
        Reply r = raw_get("/search?q=eau", "", method);
        BOOST_TEST(r.status == 405, method << ": " << r.status);
        BOOST_TEST(r.json(), method);
        BOOST_TEST(r.has_header("allow"), method);
    }
    Reply r = raw("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    BOOST_TEST(r.status / 100 == 4, r.status);
    BOOST_TEST(r.json());
    r = raw_get("/search", "", std::string(40, 'G')); // over Poco's 32-byte method limit
    BOOST_TEST(r.status == 400, r.status);
    BOOST_TEST(r.json());

    // X-HTTP-Method-Override is not honoured: the request keeps its own method.
    ClientReply c =
        send(methods::GET, "/documents/cuf-internationalisation-attractivite-rayonnement",
             {{"X-HTTP-Method-Override", "DELETE"}});
    BOOST_TEST(c.status == 200);
    c = send(methods::POST, "/search", {{"X-HTTP-Method-Override", "DELETE"}}, R"({"q":"eau"})");
    BOOST_TEST(c.status == 200);
    c = send(methods::GET, "/documents/cuf-internationalisation-attractivite-rayonnement");
    BOOST_TEST(c.status == 200); // still there
}

BOOST_AUTO_TEST_CASE(api_keys_on_writes) {
    const std::string doc = R"([{"id":"h1","title":"Titre","text":"Un texte."}])";
    ClientReply r = send(methods::POST, "/documents", {}, doc);
    BOOST_TEST(r.status == 401);
    BOOST_TEST(is_json_error(r.body));
    BOOST_TEST(r.headers.has("WWW-Authenticate"));
    r = send(methods::POST, "/documents", {{"Authorization", "Bearer wrong-key"}}, doc);
    BOOST_TEST(r.status == 401);
    r = send(methods::POST, "/documents", {{"Authorization", std::string("Basic ") + kKey}}, doc);
    BOOST_TEST(r.status == 401);
    r = send(methods::POST, "/documents", {{"Authorization", "Bearer "}}, doc);
    BOOST_TEST(r.status == 401);
    r = send(methods::DEL, "/documents/cuf-internationalisation-attractivite-rayonnement",
             {{"Authorization", "Bearer hostile-key-5d1"}}); // a prefix of the key
    BOOST_TEST(r.status == 401);
}

BOOST_AUTO_TEST_CASE(cors_from_a_disallowed_origin) {
    ClientReply r = send(methods::GET, "/search?q=eau", {{"Origin", "https://evil.example"}});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(!r.headers.has("Access-Control-Allow-Origin"));
    r = send(methods::OPTIONS, "/search",
             {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
    BOOST_TEST(!r.headers.has("Access-Control-Allow-Origin"));
    r = send(methods::GET, "/search?q=eau", {{"Origin", "https://partner.example"}});
    BOOST_TEST(r.headers["Access-Control-Allow-Origin"] == "https://partner.example");
}

BOOST_AUTO_TEST_CASE(content_length_larger_than_the_body) {
    const auto t = std::chrono::steady_clock::now();
    Reply r = raw("POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  "Content-Length: 100\r\n\r\n{\"q\":\"eau\"}");
    BOOST_TEST((r.status == 408 || r.status == 400), r.status << " " << r.body);
    BOOST_TEST(r.json());
    BOOST_TEST((std::chrono::steady_clock::now() - t < std::chrono::seconds(8)));
    r = raw("POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n");
    BOOST_TEST(r.status / 100 == 4, r.status);
    r = raw("POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999\r\n\r\n");
    BOOST_TEST(r.status == 413, r.status);
    BOOST_TEST(r.json());
}

BOOST_AUTO_TEST_CASE(garbage_request_lines) {
    for (const std::string& line :
         {std::string("\x01\x02\x03\xff garbage\r\n\r\n"), std::string("hello world\r\n\r\n"),
          std::string("GET\r\n\r\n"), std::string("GET / HTTP/9.9.9.9.9\r\n\r\n"),
          std::string("GET http://[::1/ HTTP/1.1\r\n\r\n")}) {
        Reply r = raw(line, 8);
        BOOST_TEST(r.status / 100 == 4, "'" << line.substr(0, 20) << "': " << r.status);
        BOOST_TEST(r.json(), "'" << line.substr(0, 20) << "'");
    }
}

// Issue 23 #3, #4, #13: what a write could leave in the index to break later searches (a
// passage number that is not one, terms over Xapian's 245 bytes, impossible dates, ids that
// change on the way in, NULs) is refused with a 400 naming the field; nothing is written.
BOOST_AUTO_TEST_CASE(records_that_would_poison_the_index_are_refused) {
    const std::vector<std::pair<std::string, std::string>> auth = {
        {"Authorization", std::string("Bearer ") + kKey}};
    const std::string long_id(300, 'i');
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"id":"p1","text":"t","passage":"abc"})", "passage"},
        {R"({"id":"p2","text":"t","begin":"0"})", "begin"},
        {R"({"id":"p3","text":"t","page":"x"})", "page"},
        {R"({"id":"p4","text":"t","page":"0"})", "page"},
        {R"({"id":")" + long_id + R"(","text":"t"})", "200 bytes"},
        {R"({"id":"p5","text":"t","type":")" + std::string(300, 'x') + R"("})", "type"},
        {R"({"id":"p6","text":"t","language":")" + std::string(300, 'f') + R"("})", "language"},
        {R"({"id":"p7","text":"t","date":"2024-13-45"})", "2024-13-45"},
        {R"({"id":"p8","text":"t","date":"2023-02-29"})", "2023-02-29"},
        {R"({"id":1.5,"text":"t"})", "id"},
        {"{\"id\":\"p9\",\"text\":\"t\",\"themes\":[\"eau\\u0000mali\"]}", "NUL"},
        {"{\"id\":\"p10\",\"text\":\"eau\\u0000mali\"}", "NUL"},
        {"{\"id\":\"p11\",\"text\":\"t\",\"title\":\"a\\u0000b\"}", "NUL"},
    };
    for (const auto& [body, why] : cases) {
        ClientReply r = send(methods::POST, "/documents", auth, body);
        BOOST_TEST(r.status == 400, body.substr(0, 60) << ": " << r.status << " " << r.body);
        BOOST_TEST(is_json_error(r.body));
        BOOST_TEST(r.body.find(why) != std::string::npos, why << " not in " << r.body);
    }
    BOOST_TEST(send(methods::GET, "/documents/p1").status == 404);
    BOOST_TEST(send(methods::GET, "/search?q=t").status == 200);

    // A word far over Xapian's term limit is indexed (cut and hashed), and found again.
    std::string blob;
    while (blob.size() < 600)
        blob += "ZGVjZW50cmFsaXNlZQ";
    ClientReply w = send(methods::POST, "/documents", auth,
                         R"({"id":"long-word","text":"Une pièce jointe )" + blob + R"( fin."})");
    BOOST_TEST(w.status == 200, w.body);
    ClientReply found = send(methods::GET, "/search?q=" + blob);
    BOOST_TEST(found.status == 200);
    BOOST_TEST(found.body.find("\"long-word\"") != std::string::npos, found.body.substr(0, 300));
    BOOST_TEST(send(methods::DEL, "/documents/long-word", auth).status == 200);
    // Integer ids stay as typed; a 200-byte id fits.
    w = send(methods::POST, "/documents", auth,
             R"([{"id":42,"text":"t"},{"id":")" + std::string(200, 'j') + R"(","text":"t"}])");
    BOOST_TEST(w.status == 200, w.body);
    BOOST_TEST(send(methods::GET, "/documents/42").status == 200);
    BOOST_TEST(send(methods::DEL, "/documents/42", auth).status == 200);
    BOOST_TEST(send(methods::DEL, "/documents/" + std::string(200, 'j'), auth).status == 200);
}

BOOST_AUTO_TEST_CASE(meilisearch_amplification_is_bounded) {
    // Issue 23 #6: a 60 KB `IN [...]` of 20,000 repeats of one value held a worker for 20 s.
    // Repeats are dropped before the engine sees them: an answer (200, or a 400 for a cap),
    // and the server answers the next request.
    std::string values;
    for (int i = 0; i < 20000; ++i)
        values += i ? ",SN" : "SN";
    const std::string in = "country IN [" + values + "]";
    BOOST_TEST(in.size() >= 60000u);
    for (const std::string& filter : {"\"" + in + "\"", "[\"" + in + "\"]"}) {
        ClientReply r = send(methods::POST, "/indexes/documents/search", {},
                             R"({"q":"eau","filter":)" + filter + "}");
        BOOST_TEST((r.status == 200 || r.status == 400), r.status << " " << r.body.substr(0, 200));
        BOOST_TEST(send(methods::GET, "/health").status == 200);
    }
    // Issue 23 #7: 100 queries of offset 999 + limit 1000 with whole texts (a 10 KB request
    // that returned 84 MB): refused as a whole, or at worst a bounded body.
    std::string queries;
    for (int i = 0; i < 100; ++i)
        queries += std::string(i ? "," : "") +
                   R"({"indexUid":"documents","q":"","offset":999,"limit":1000,)"
                   R"("attributesToRetrieve":["text","title"]})";
    ClientReply r = send(methods::POST, "/multi-search", {}, R"({"queries":[)" + queries + "]}");
    BOOST_TEST((r.status == 400 || (r.status == 200 && r.body.size() <= (8u << 20))),
               r.status << " " << r.body.size());
    BOOST_TEST(r.body.find("invalid_multi_search_queries") != std::string::npos,
               r.body.substr(0, 300));
    BOOST_TEST(send(methods::GET, "/health").status == 200);
}

BOOST_AUTO_TEST_CASE(nul_in_json_bodies_is_refused_everywhere) {
    // Issue 23 #9: one rule for every entry, as for GET parameters.
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
             {"/search", R"({"q":"eau\u0000mali"})"},
             {"/indexes/documents/search", R"({"q":"eau\u0000mali"})"},
             {"/multi-search", R"({"queries":[{"indexUid":"documents","q":"eau\u0000mali"}]})"},
             {"/indexes/documents/facet-search",
              R"({"facetName":"country","facetQuery":"s\u0000n"})"}}) {
        ClientReply r = send(methods::POST, path, {}, body);
        BOOST_TEST(r.status == 400, path << ": " << r.status << " " << r.body.substr(0, 200));
        BOOST_TEST(r.body.find("which no text may contain") != std::string::npos,
                   path << ": " << r.body.substr(0, 300));
    }
}

BOOST_AUTO_TEST_CASE(still_serving_after_the_catalogue) {
    BOOST_TEST(send(methods::GET, "/health").status == 200);
    ClientReply r = send(methods::GET, "/search?q=jumelage&size=3");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find("\"hits\"") != std::string::npos);
}
