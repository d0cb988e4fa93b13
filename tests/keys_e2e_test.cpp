#define BOOST_TEST_MODULE keys_e2e
// API keys with actions and expiry, managed through /keys by the master key and kept across
// restarts, and tenant tokens whose search rules the server adds to every search: the real
// server over HTTP, on corpus/seeds, with reads keyed (api.read_requires_key).
#include "search-server/auth/api_keys.h"
#include "search-server/transport/request_processor.h"
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"
#include "tests/tenant_token_support.h"

#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>

#include <chrono>
#include <sstream>
#include <thread>

using web::http::methods;

namespace {

using kb::test::tenant_token;

const char* const kMaster = "master-key-5d1e";
const char* const kServerKey = "server-key-77aa";

struct Keyed : kb::test::SeedServer {
    Keyed()
        : SeedServer(std::string("api.master_key = ") + kMaster + "\napi.keys = " + kServerKey +
                     "\napi.read_requires_key = true\nlimits.requests_per_minute = 100000\n") {}
};

Keyed& server() {
    static Keyed instance;
    return instance;
}

using Reply = kb::test::HttpReply;

Reply send(const web::http::method& method, const std::string& path, const std::string& key,
           const std::string& body = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty())
        headers.emplace_back("Authorization", "Bearer " + key);
    return kb::test::http_send(server().server->url(), method, path, headers, body);
}

// A key created by the master key; returns {uid, key}.
std::pair<std::string, std::string> create_key(const std::string& actions,
                                               const std::string& expires = "null") {
    Reply r = send(methods::POST, "/keys", kMaster,
                   R"({"name":"test","actions":)" + actions +
                       R"(,"indexes":["documents"],"expiresAt":)" + expires + "}");
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    const auto j = r.json();
    return {j.at("uid").as_string(), j.at("key").as_string()};
}

long long total(const Reply& r) {
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    return r.json().at("total").as_number().to_int64();
}

} // namespace

BOOST_AUTO_TEST_CASE(keys_have_actions_and_are_managed_by_the_master_key) {
    BOOST_TEST(send(methods::GET, "/keys", "").status == 401);
    BOOST_TEST(send(methods::GET, "/keys", "wrong").status == 401);
    const auto [uid, key] = create_key(R"(["search"])");
    BOOST_TEST(key.size() == 64u);
    // Listed (newest first), read by uid or by key, renamed; other fields are immutable.
    Reply list = send(methods::GET, "/keys", kMaster);
    BOOST_TEST_REQUIRE(list.status == 200);
    const auto listed = list.json();
    BOOST_TEST(listed.at("results").as_array().at(0).at("uid").as_string() == uid);
    BOOST_TEST(send(methods::GET, "/keys/" + uid, kServerKey).status == 200);
    BOOST_TEST(send(methods::GET, "/keys/" + key, kMaster).json().at("uid").as_string() == uid);
    Reply renamed = send(methods::PATCH, "/keys/" + uid, kMaster, R"({"name":"partenaire"})");
    BOOST_TEST(renamed.json().at("name").as_string() == "partenaire");
    Reply immutable = send(methods::PATCH, "/keys/" + uid, kMaster, R"({"actions":["*"]})");
    BOOST_TEST(immutable.status == 400);
    BOOST_TEST(immutable.body.find("immutable_api_key_actions") != std::string::npos);
    // Bad bodies name the field.
    Reply unknown = send(methods::POST, "/keys", kMaster,
                         R"({"actions":["fly"],"indexes":["*"],"expiresAt":null})");
    BOOST_TEST(unknown.status == 400);
    BOOST_TEST(unknown.body.find("invalid_api_key_actions") != std::string::npos);
    BOOST_TEST(send(methods::POST, "/keys", kMaster, R"({"actions":["search"],"indexes":["*"]})")
                   .body.find("missing_api_key_expires_at") != std::string::npos);

    // A search key searches and reads, but neither writes nor manages keys.
    BOOST_TEST(send(methods::GET, "/search?q=jumelage", "").status == 401);
    BOOST_TEST(send(methods::GET, "/search?q=jumelage", key).status == 200);
    BOOST_TEST(send(methods::GET, "/keys", key).status == 403);
    const std::string doc =
        R"({"id":"keys/test","title":"Essai","text":"Un jumelage à Tombouctou."})";
    Reply refused = send(methods::POST, "/documents", key, doc);
    BOOST_TEST(refused.status == 403);
    BOOST_TEST(refused.body.find("documents.add") != std::string::npos);
    const auto writer = create_key(R"(["documents.*"])");
    BOOST_TEST(send(methods::POST, "/documents", writer.second, doc).status == 200);
    BOOST_TEST(send(methods::DEL, "/documents/keys%2Ftest", writer.second).status == 200);
    // documents.* does not include search.
    BOOST_TEST(send(methods::GET, "/search?q=jumelage", writer.second).status == 403);

    // Deleted: refused at once.
    BOOST_TEST(send(methods::DEL, "/keys/" + uid, kMaster).status == 204);
    BOOST_TEST(send(methods::GET, "/search?q=jumelage", key).status == 401);
    BOOST_TEST(send(methods::DEL, "/keys/" + uid, kMaster).status == 404);
}

BOOST_AUTO_TEST_CASE(a_key_expires) {
    const auto now = std::chrono::system_clock::now() + std::chrono::seconds(2);
    const auto [uid, key] =
        create_key(R"(["search"])", "\"" + kb::http::format_rfc3339(now) + "\"");
    BOOST_TEST(send(methods::GET, "/search?q=jumelage", key).status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(3100));
    Reply expired = send(methods::GET, "/search?q=jumelage", key);
    BOOST_TEST(expired.status == 401);
    BOOST_TEST(expired.body.find("api_key_expired") != std::string::npos);
    BOOST_TEST(send(methods::POST, "/keys", kMaster,
                    R"({"actions":["search"],"indexes":["*"],"expiresAt":"2001-01-01T00:00:00Z"})")
                   .status == 400);
}

BOOST_AUTO_TEST_CASE(tenant_tokens_keep_every_search_inside_their_rules) {
    const auto [uid, key] = create_key(R"(["search"])");
    const std::string rules = R"({"documents":{"filter":"type = \"étude\""}})";
    const std::string token = tenant_token(uid, key, rules);
    const long long studies = total(send(methods::GET, "/search?q=&type=%C3%A9tude", kMaster));
    const long long all = total(send(methods::GET, "/search?q=", kMaster));
    BOOST_TEST_REQUIRE(studies > 0);
    BOOST_TEST_REQUIRE(all > studies);
    // Every search route answers inside the rules.
    BOOST_TEST(total(send(methods::GET, "/search?q=", token)) == studies);
    BOOST_TEST(total(send(methods::POST, "/search", token, R"({"q":""})")) == studies);
    Reply meili = send(methods::POST, "/indexes/documents/search", token, R"({"q":""})");
    BOOST_TEST_REQUIRE(meili.status == 200, meili.body);
    BOOST_TEST(meili.json().at("estimatedTotalHits").as_number().to_int64() == studies);
    // Widening is not possible: another type gives nothing, facet counts stay inside.
    BOOST_TEST(total(send(methods::GET, "/search?q=&type=colloque", token)) == 0);
    Reply wider = send(methods::POST, "/indexes/documents/search", token,
                       R"({"q":"","filter":"type = colloque OR type = \"étude\""})");
    BOOST_TEST_REQUIRE(wider.status == 200, wider.body);
    BOOST_TEST(wider.json().at("estimatedTotalHits").as_number().to_int64() == studies);
    Reply facets = send(methods::GET, "/facets", token);
    BOOST_TEST_REQUIRE(facets.status == 200, facets.body);
    const auto counted = facets.json();
    for (const auto& t : counted.at("facets").at("type").as_array())
        BOOST_TEST(t.at("id").as_string() == "etude", t.serialize());
    // Not for reading documents by id, and nothing but a well-signed, unexpired token.
    BOOST_TEST(send(methods::GET, "/documents/x", token).status == 403);
    BOOST_TEST(send(methods::GET, "/search?q=", tenant_token(uid, key, rules, -10)).status == 401);
    BOOST_TEST(send(methods::GET, "/search?q=", tenant_token(uid, "not-the-key", rules)).status ==
               401);
    Reply no_index =
        send(methods::GET, "/search?q=", tenant_token(uid, key, R"({"other":{"filter":""}})"));
    BOOST_TEST(no_index.status == 401);
    BOOST_TEST(no_index.body.find("documents") != std::string::npos);
    BOOST_TEST(total(send(methods::GET, "/search?q=", tenant_token(uid, key, R"(["*"])"))) == all);
    // A token signed by a key without search is refused; its key deleted, so is the token.
    const auto writer = create_key(R"(["documents.add"])");
    BOOST_TEST(
        send(methods::GET, "/search?q=", tenant_token(writer.first, writer.second, rules)).status ==
        401);
    BOOST_TEST(send(methods::DEL, "/keys/" + uid, kMaster).status == 204);
    BOOST_TEST(send(methods::GET, "/search?q=", token).status == 401);
}

BOOST_AUTO_TEST_CASE(keys_survive_a_restart) {
    const auto [uid, key] = create_key(R"(["search"])");
    server().server.reset();
    server().server = std::make_unique<kb::test::ServerProcess>(
        server().index,
        std::vector<std::string>{"--config", (server().dir.path() / "server.properties").string()});
    BOOST_TEST(send(methods::GET, "/search?q=jumelage", key).status == 200);
    BOOST_TEST(send(methods::GET, "/keys/" + uid, kMaster).status == 200);
}

BOOST_AUTO_TEST_CASE(the_client_behind_a_trusted_proxy_is_the_forwarded_one) {
    using kb::http::client_address;
    const std::vector<std::string> proxies = {"10.0.0.1", "10.0.0.2"};
    BOOST_TEST(client_address("203.0.113.9", "1.2.3.4", proxies) == "203.0.113.9");
    BOOST_TEST(client_address("10.0.0.1", "", proxies) == "10.0.0.1");
    BOOST_TEST(client_address("10.0.0.1", "198.51.100.7", proxies) == "198.51.100.7");
    // What the client wrote itself (left) is not believed past the last untrusted hop.
    BOOST_TEST(client_address("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", proxies) ==
               "198.51.100.7");
}
