#define BOOST_TEST_MODULE http
#include "core/embedding/vector_store.h"
#include "core/error.h"
#include "core/indexing/document_builder.h"
#include "search-server/api/router.h"
#include "search-server/api/search_params.h"
#include "search-server/handlers/vector_refresher.h"
#include "search-server/transport/compression.h"
#include "tests/dispatch_support.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>
#include <rapidjson/document.h>
#include <xapian.h>

#include <atomic>
#include <filesystem>
#include <set>

using kb::http::Request;
using kb::http::Response;

namespace {

// An in-memory index of two records and the real web files, shared by the cases.
struct Fixture : kb::test::DispatchFixture {
    Fixture() : DispatchFixture(make_db()) {}

    static Xapian::Database make_db() {
        Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
        kb::Analyzer analyzer;
        db.add_document(kb::build_document(
            kb::test::titled_record("seeds/cuf.md", "Le rayonnement au service de l’attractivité",
                                    "Les villes moyennes et la coopération décentralisée."),
            analyzer));
        db.add_document(kb::build_document(
            kb::test::titled_record(
                "cgct/L1115-6", "Article L1115-6",
                "Il est créé une Commission nationale de la coopération décentralisée."),
            analyzer));
        return db;
    }

    Response get(const std::string& path,
                 std::vector<std::pair<std::string, std::string>> params = {},
                 const std::string& method = "GET") {
        Request r;
        r.method = method;
        r.path = path;
        r.params = std::move(params);
        return send(std::move(r));
    }
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
    BOOST_TEST(
        is_error(get("/search", {{"page", "5000"}, {"size", "100"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"qq", "x"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"q", "a"}, {"q", "b"}}), 400, "invalid_parameter"));
    BOOST_TEST(is_error(get("/search", {{"q", std::string(1001, 'a')}}), 400, "invalid_parameter"));
    BOOST_TEST(get("/search", {{"q", std::string(1000, 'a')}}).status == 200);
    // 1,000 accented characters are 2,000 bytes but still within the limit.
    std::string accented;
    for (int i = 0; i < 1000; ++i)
        accented += "é";
    BOOST_TEST(get("/search", {{"q", accented}}).status == 200);
    BOOST_TEST(is_error(get("/search", {{"q", "caf\xe9"}}), 400, "invalid_utf8"));
    BOOST_TEST(is_error(get("/search", {{"q\xff", "x"}}), 400, "invalid_utf8"));
}

BOOST_AUTO_TEST_CASE(synonyms_parameter_widens_the_words_typed) {
    // No document says "comité"; mythes-fr lists "commission" first among its synonyms.
    const Response off = get("/search", {{"q", "comité"}});
    BOOST_TEST(off.status == 200);
    BOOST_TEST(off.body.find("\"total\":0") != std::string::npos, off.body);
    const Response on = get("/search", {{"q", "comité"}, {"synonyms", "true"}});
    BOOST_TEST(on.status == 200);
    BOOST_TEST(on.body.find("\"total\":1") != std::string::npos, on.body);
    BOOST_TEST(on.body.find("cgct/L1115-6") != std::string::npos, on.body);
    BOOST_TEST(on.body.find("(synonymes)") != std::string::npos, on.body);
    BOOST_TEST(
        is_error(get("/search", {{"q", "x"}, {"synonyms", "oui"}}), 400, "invalid_parameter"));
}

BOOST_AUTO_TEST_CASE(translate_parameter_turns_english_translation_off) {
    // "grant" is English: its translation « subvention » is listed; translate=false drops it.
    const Response on = get("/search", {{"q", "grant"}});
    BOOST_TEST(on.status == 200);
    BOOST_TEST(on.body.find("(traduction)") != std::string::npos, on.body);
    BOOST_TEST(on.body.find("\"query_language\":\"en\"") != std::string::npos, on.body);
    const Response off = get("/search", {{"q", "grant"}, {"translate", "false"}});
    BOOST_TEST(off.status == 200);
    BOOST_TEST(off.body.find("(traduction)") == std::string::npos, off.body);
    BOOST_TEST(
        is_error(get("/search", {{"q", "x"}, {"translate", "oui"}}), 400, "invalid_parameter"));
}

BOOST_AUTO_TEST_CASE(documents_are_found_or_404) {
    const Response r = get("/documents/cgct/L1115-6");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find("\"title\":\"Article L1115-6\"") != std::string::npos);
    BOOST_TEST(is_error(get("/documents/unknown"), 404, "document_not_found"));
    BOOST_TEST(is_error(get("/documents/../../etc/passwd"), 400, "invalid_id"));
    BOOST_TEST(is_error(get("/documents/a\x01"
                            "b"),
                        400, "invalid_id"));
    BOOST_TEST(is_error(get("/documents/cgct/L1115-6", {{"x", "1"}}), 400, "invalid_parameter"));
}

BOOST_AUTO_TEST_CASE(unknown_routes_and_methods) {
    BOOST_TEST(is_error(get("/nope"), 404, "not_found"));
    BOOST_TEST(is_error(get("/documents/"), 405, "method_not_allowed")); // POST /documents only
    const Response r = get("/search", {}, "DELETE");
    BOOST_TEST(is_error(r, 405, "method_not_allowed"));
    BOOST_TEST_REQUIRE(r.headers.size() == 1u);
    BOOST_TEST(r.headers[0].second == "GET, POST, OPTIONS");
    BOOST_TEST(is_error(get("/\xc3"), 400, "invalid_utf8"));
}

BOOST_AUTO_TEST_CASE(health_and_page) {
    const Response health = get("/health");
    BOOST_TEST(health.status == 200);
    BOOST_TEST(health.body.find("\"documents\":2") != std::string::npos);
    // Meilisearch's shape on its route: the clients' isHealthy() wants "available".
    BOOST_TEST(health.body.find("\"status\":\"available\"") != std::string::npos, health.body);
    const Response page = get("/");
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.content_type.rfind("text/html", 0) == 0);
    BOOST_TEST(page.body.find("lang=\"fr\"") != std::string::npos);
    BOOST_TEST(get("/web/app.js").status == 200);
    BOOST_TEST(is_error(get("/web/../CMakeLists.txt"), 404, "not_found"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(api)

BOOST_AUTO_TEST_CASE(write_endpoints_need_a_key_compared_exactly) {
    Fixture f;
    BOOST_TEST(is_error(f.get("/documents/cgct/L1115-6", {}, "DELETE"), 401, "unauthorized"));
    f.settings.api_keys = {"s3cret"};
    kb::http::Request r;
    r.method = "DELETE";
    r.path = "/documents/x";
    r.segments = kb::http::split_path(r.path);
    for (const char* wrong :
         {"Bearer s3cre", "Bearer s3cret2", "Bearer ", "Basic s3cret", "s3cret"}) {
        r.headers["authorization"] = wrong;
        BOOST_TEST(is_error(kb::http::dispatch(r, f.context), 401, "unauthorized"), wrong);
    }
}

BOOST_AUTO_TEST_CASE(rate_limit_answers_429_with_retry_after) {
    kb::http::RateLimiter limiter(3);
    const auto now = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(!limiter.acquire("a", now));
    auto wait = limiter.acquire("a", now);
    BOOST_TEST_REQUIRE(wait.has_value());
    BOOST_TEST(*wait == 20u);               // 3 a minute: one token every 20 s
    BOOST_TEST(!limiter.acquire("b", now)); // per client
    BOOST_TEST(!limiter.acquire("a", now + std::chrono::seconds(21)));
}

BOOST_AUTO_TEST_CASE(cors_preflight_and_origins) {
    Fixture f;
    kb::http::Request r;
    r.method = "OPTIONS";
    r.path = "/search";
    r.segments = kb::http::split_path(r.path);
    r.headers["origin"] = "https://partner.example";
    Response pre = kb::http::dispatch(r, f.context);
    BOOST_TEST(pre.status == 204);
    auto header = [](const Response& resp, const std::string& name) {
        for (const auto& [k, v] : resp.headers)
            if (k == name)
                return v;
        return std::string();
    };
    BOOST_TEST(header(pre, "Access-Control-Allow-Origin") == "*");
    BOOST_TEST(header(pre, "Access-Control-Allow-Methods") == "GET, POST, OPTIONS");
    // Writes are never open to '*': only to origins listed by name.
    r.path = "/documents";
    r.segments = kb::http::split_path(r.path);
    BOOST_TEST(header(kb::http::dispatch(r, f.context), "Access-Control-Allow-Origin").empty());
    f.settings.cors_origins = {"https://partner.example"};
    BOOST_TEST(header(kb::http::dispatch(r, f.context), "Access-Control-Allow-Origin") ==
               "https://partner.example");
    r.headers["origin"] = "https://evil.example";
    r.path = "/search";
    r.segments = kb::http::split_path(r.path);
    BOOST_TEST(header(kb::http::dispatch(r, f.context), "Access-Control-Allow-Origin").empty());
}

BOOST_AUTO_TEST_CASE(post_search_json_body_errors) {
    Fixture f;
    auto post = [&](const std::string& body) {
        kb::http::Request r;
        r.method = "POST";
        r.path = "/search";
        r.segments = kb::http::split_path(r.path);
        r.body = body;
        return kb::http::dispatch(r, f.context);
    };
    BOOST_TEST(post("{\"q\":\"coopération\",\"size\":1}").status == 200);
    BOOST_TEST(is_error(post("{\"q\":"), 400, "invalid_json"));
    BOOST_TEST(is_error(post("[1]"), 400, "invalid_json"));
    BOOST_TEST(is_error(post("{\"q\":[\"a\"]}"), 400, "invalid_parameter"));
    BOOST_TEST(is_error(post("{\"size\":0}"), 400, "invalid_parameter"));
    BOOST_TEST(is_error(post("{\"colour\":\"red\"}"), 400, "invalid_parameter"));
    BOOST_TEST(
        is_error(post("{\"filters\":{\"country\":[\"Atlantide\"]}}"), 400, "unknown_facet_value"));
    BOOST_TEST(is_error(post("{\"mode\":\"fuzzy\"}"), 400, "invalid_parameter"));
    BOOST_TEST(
        is_error(post("{\"mode\":\"lexical\",\"vector_weight\":2}"), 400, "invalid_parameter"));
    BOOST_TEST(post("{\"q\":\"coopération\",\"mode\":\"lexical\"}").status == 200);
    // An index without vectors: a clear 409 naming the problem, never a 500.
    BOOST_TEST(is_error(post("{\"q\":\"coopération\",\"mode\":\"semantic\"}"), 409, "no_vectors"));
    BOOST_TEST(is_error(post("{\"q\":\"coopération\",\"mode\":\"hybrid\"}"), 409, "no_vectors"));
    BOOST_TEST(is_error(post(std::string(100000, '[')), 400, "invalid_json")); // no stack overflow
    BOOST_TEST(is_error(post("{\"q\":\"caf\xe9\"}"), 400, "invalid_json"));
}

// Issue 16: a page names the filters that emptied an answer by their labels, even for a
// value no document carries (« Pays : Sénégal »), and a country's region by its label.
BOOST_AUTO_TEST_CASE(search_names_its_filters_with_their_labels) {
    Fixture f;
    const Response r = f.get("/search", {{"q", "coopération"}, {"country", "sénégal"}});
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body.find(R"("total":0)") != std::string::npos);
    BOOST_TEST(r.body.find(R"("filters":[{"field":"country","id":"SN","label":"Sénégal",)"
                           R"("exclude":false,"region":"afrique-de-l-ouest",)"
                           R"("region_label":"Afrique de l'Ouest"}])") != std::string::npos,
               r.body);
    const Response none = f.get("/search", {{"q", "coopération"}});
    BOOST_TEST(none.body.find(R"("filters":[])") != std::string::npos, none.body);
}

BOOST_AUTO_TEST_CASE(openapi_describes_exactly_the_routes) {
    Fixture f;
    const Response r = f.get("/openapi.json");
    BOOST_TEST_REQUIRE(r.status == 200);
    rapidjson::Document doc;
    doc.Parse(r.body.c_str());
    BOOST_TEST_REQUIRE(!doc.HasParseError());
    std::set<std::pair<std::string, std::string>> documented, routed;
    for (auto p = doc["paths"].MemberBegin(); p != doc["paths"].MemberEnd(); ++p)
        for (auto m = p->value.MemberBegin(); m != p->value.MemberEnd(); ++m) {
            std::string method = m->name.GetString();
            for (char& c : method)
                c = static_cast<char>(std::toupper(c));
            documented.emplace(method, p->name.GetString());
        }
    for (const auto& route : kb::http::route_list())
        routed.insert(route);
    BOOST_TEST((documented == routed));
    for (const auto& [method, path] : routed)
        BOOST_TEST(documented.count({method, path}), method << " " << path << " undocumented");
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 23 #1: the refresher's thread outlives every error a rebuild can raise. Xapian's
// errors are not std::exceptions; a DatabaseModifiedError (a commit landed during the
// rebuild) is retried on the new revision; anything else is reported, and the next write
// tries again.
BOOST_AUTO_TEST_CASE(the_vector_refresher_survives_every_error_and_retries_modified_databases) {
    kb::test::TempDir dir;
    const std::string index = (dir.path() / "index").string();
    std::filesystem::create_directories(kb::vectors_dir(index));
    kb::test::write_file(std::filesystem::path(kb::vectors_dir(index)) / "manifest", "format=1\n");
    std::atomic<int> calls{0};
    kb::http::VectorRefresher refresher(
        index, 1, [&](const std::string&, const kb::VectorBuildOptions&) {
            switch (++calls) {
            case 1:
            case 2:
                throw Xapian::DatabaseModifiedError("the revision being read was discarded");
            case 4:
                throw Xapian::DatabaseCorruptError("bad block");
            case 5:
                throw 42; // not even an exception class
            default:
                return kb::VectorBuildSummary{};
            }
        });
    refresher.wait_idle(); // the start-up check: two retries, then done
    BOOST_TEST(calls == 3);
    BOOST_TEST(refresher.last_error().empty());
    BOOST_TEST(refresher.request());
    refresher.wait_idle();
    BOOST_TEST(refresher.last_error().find("bad block") != std::string::npos,
               refresher.last_error());
    BOOST_TEST(refresher.request());
    refresher.wait_idle();
    BOOST_TEST(refresher.last_error() == "unknown error");
    BOOST_TEST(refresher.request()); // still alive
    refresher.wait_idle();
    BOOST_TEST(calls == 6);
    BOOST_TEST(refresher.last_error().empty());
}

// Issue 23 #3: a stored value that does not parse (an index written before validation, or
// by another tool) is ignored on the read path, never a 500 for every search that shows it.
BOOST_AUTO_TEST_CASE(stored_values_that_do_not_parse_never_fail_a_search) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    kb::Analyzer analyzer;
    kb::Record r =
        kb::test::titled_record("poisoned", "Jumelage", "Un jumelage entre deux villes.");
    r.metadata["passage"] = "abc";
    r.metadata["page"] = "x";
    r.metadata["begin"] = "-1";
    kb::IndexedRecord built = kb::build_documents(r, analyzer);
    db.add_document(built.record);
    Xapian::Document passage = built.record; // a passage document with the same bad values
    passage.add_boolean_term(kb::passage_term(r.id));
    db.add_document(passage);
    kb::Searcher searcher(db);
    kb::SearchRequest req;
    req.q = "jumelage";
    const kb::SearchResult result = searcher.search(req);
    BOOST_TEST_REQUIRE(!result.hits.empty());
    BOOST_TEST(result.hits[0].id == "poisoned");
    BOOST_TEST(result.hits[0].passage == -1);
    BOOST_CHECK_NO_THROW(searcher.passages("poisoned"));
}

BOOST_AUTO_TEST_CASE(accept_encoding_is_read_with_its_weights) {
    using kb::http::accepts_gzip;
    for (const char* yes : {"gzip", "GZIP", "deflate, gzip", "gzip;q=0.5", "br;q=1, gzip ; q=0.1",
                            "*", "x-gzip", "identity, *;q=0.3"})
        BOOST_TEST(accepts_gzip(yes), yes);
    for (const char* no :
         {"", "identity", "deflate, br", "gzip;q=0", "gzip;q=0.0, *", "*;q=0", "gzip;q=abc"})
        BOOST_TEST(!accepts_gzip(no), no);
    BOOST_TEST(kb::http::compressible("application/json; charset=utf-8"));
    BOOST_TEST(kb::http::compressible("text/javascript; charset=utf-8"));
    BOOST_TEST(!kb::http::compressible("application/pdf"));
    kb::http::Request request;
    request.headers["accept-encoding"] = "gzip";
    kb::http::Response small{200, "application/json", "{}", {{"Vary", "Origin"}}};
    kb::http::compress_for(request, small);
    BOOST_TEST(small.body == "{}");
    kb::http::Response large{200, "application/json", std::string(5000, 'a'), {{"Vary", "Origin"}}};
    kb::http::compress_for(request, large);
    BOOST_TEST(large.body.size() < 200u);
    BOOST_TEST(large.headers.at(0).second == "Origin, Accept-Encoding");
    BOOST_TEST(large.headers.at(1).second == "gzip");
}
