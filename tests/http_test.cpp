#define BOOST_TEST_MODULE http
#include "document_builder.h"
#include "error.h"
#include "router.h"
#include "search_params.h"

#include <boost/test/unit_test.hpp>

using kb::http::Request;
using kb::http::Response;

namespace {

// An in-memory index of two records and the real web files, shared by the cases.
struct Fixture {
    Fixture() : files(KB_SOURCE_DIR "/web"), searcher(make_db()), context{searcher, files} {}

    static Xapian::Database make_db() {
        Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
        kb::Analyzer analyzer;
        kb::Record a;
        a.id = "seeds/cuf.md";
        a.title = "Le rayonnement au service de l’attractivité";
        a.text = "Les villes moyennes et la coopération décentralisée.";
        db.add_document(kb::build_document(a, analyzer));
        kb::Record b;
        b.id = "cgct/L1115-6";
        b.title = "Article L1115-6";
        b.text = "Il est créé une Commission nationale de la coopération décentralisée.";
        db.add_document(kb::build_document(b, analyzer));
        return db;
    }

    Response get(const std::string& path,
                 std::vector<std::pair<std::string, std::string>> params = {},
                 const std::string& method = "GET") {
        return kb::http::dispatch(Request{method, path, std::move(params), ""}, context);
    }

    kb::http::StaticFiles files;
    kb::Searcher searcher;
    kb::http::Context context;
};

bool is_error(const Response& r, int status, const std::string& code) {
    return r.status == status && r.body.find("\"code\":\"" + code + "\"") != std::string::npos &&
           r.content_type.rfind("application/json", 0) == 0;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(routes, Fixture)

BOOST_AUTO_TEST_CASE(search_answers_json_with_hits) {
    const Response r = get("/search", {{"q", "coopération décentralisée"}, {"size", "5"}});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find("\"total\":2") != std::string::npos, r.body);
    BOOST_TEST(r.body.find("\"size\":5") != std::string::npos);
    BOOST_TEST(r.body.find("<mark>coopération</mark>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_400_with_a_json_error) {
    BOOST_TEST(is_error(get("/search", {{"size", "0"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"size", "101"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"size", "ten"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"size", "-1"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"page", "0"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"page", "2.5"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"page", "99999999999"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"page", "5000"}, {"size", "100"}}), 400,
                        "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"qq", "x"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"q", "a"}, {"q", "b"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"q", std::string(1001, 'a')}}), 400, "invalid_parameter"));
    BOOST_TEST(get("/search", {{"q", std::string(1000, 'a')}}).status == 200);
    // 1,000 accented characters are 2,000 bytes but still within the limit.
    std::string accented;
    for (int i = 0; i < 1000; ++i) accented += "é";
    BOOST_TEST(get("/search", {{"q", accented}}).status == 200);
    BOOST_TEST(is_error(get("/search", {{"q", "caf\xe9"}}), 400, "invalid_utf8"));
    BOOST_TEST(is_error(get("/search", {{"q\xff", "x"}}), 400, "invalid_utf8"));
}

BOOST_AUTO_TEST_CASE(documents_are_found_or_404) {
    const Response r = get("/documents/cgct/L1115-6");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find("\"title\":\"Article L1115-6\"") != std::string::npos);
    BOOST_TEST(is_error(get("/documents/unknown"), 404, "document_not_found"));
    BOOST_TEST(is_error(get("/documents/../../etc/passwd"), 400, "invalid_id"));
    BOOST_TEST(is_error(get("/documents/a\x01" "b"), 400, "invalid_id"));
    BOOST_TEST(is_error(get("/documents/cgct/L1115-6", {{"x", "1"}}), 400, "invalid_parameter"));
}

BOOST_AUTO_TEST_CASE(unknown_routes_and_methods) {
    BOOST_TEST(is_error(get("/nope"), 404, "not_found"));
    BOOST_TEST(is_error(get("/documents/"), 404, "not_found"));
    const Response r = get("/search", {}, "DELETE");
    BOOST_TEST(is_error(r, 405, "method_not_allowed"));
    BOOST_TEST_REQUIRE(r.headers.size() == 1u);
    BOOST_TEST(r.headers[0].second == "GET");
    BOOST_TEST(is_error(get("/\xc3"), 400, "invalid_utf8"));
}

BOOST_AUTO_TEST_CASE(health_and_page) {
    const Response health = get("/health");
    BOOST_TEST(health.status == 200);
    BOOST_TEST(health.body.find("\"documents\":2") != std::string::npos);
    const Response page = get("/");
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.content_type.rfind("text/html", 0) == 0);
    BOOST_TEST(page.body.find("lang=\"fr\"") != std::string::npos);
    BOOST_TEST(get("/web/app.js").status == 200);
    BOOST_TEST(is_error(get("/web/../CMakeLists.txt"), 404, "not_found"));
}

BOOST_AUTO_TEST_SUITE_END()
