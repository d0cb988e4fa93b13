#define BOOST_TEST_MODULE api_e2e
// The whole API end to end: the real server on a free port, configured by a config file,
// driven with cpprestsdk's http_client.
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"

#include <Poco/InflatingStream.h>
#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>
#include <cpprest/uri_builder.h>

#include <atomic>
#include <sstream>
#include <thread>

using web::http::methods;
using web::http::status_code;

namespace {

const char* const kKey = "test-key-8f3a2c";

struct Api : kb::test::SeedServer {
    Api()
        : SeedServer(std::string("api.keys = other-key, ") + kKey +
                     "\ncors.origins = *, https://partner.example\n"
                     "limits.requests_per_minute = 100000\n"
                     "limits.max_body_bytes = 65536\n") {}
};

Api& api() {
    static Api instance;
    return instance;
}

using Reply = kb::test::HttpReply;

Reply send(const web::http::method& method, const std::string& path, const std::string& body = "",
           const std::vector<std::pair<std::string, std::string>>& headers = {},
           const std::string& base = "") {
    return kb::test::http_send(base.empty() ? api().server->url() : base, method, path, headers,
                               body);
}

Reply get(const std::string& path) { return send(methods::GET, path); }

std::string auth() { return std::string("Bearer ") + kKey; }

std::string encoded(const std::string& s) { return web::uri::encode_data_string(s); }

} // namespace

BOOST_AUTO_TEST_CASE(post_search_matches_get_search) {
    Reply g = get("/search?q=" + encoded("jumelages") + "&size=3&type=" + encoded("actualité"));
    Reply p = send(methods::POST, "/search",
                   R"({"q":"jumelages","size":3,"filters":{"type":["actualité"]}})");
    BOOST_TEST_REQUIRE(p.status == 200);
    BOOST_TEST(g.json().at("total").as_integer() == p.json().at("total").as_integer());
    BOOST_TEST(p.json().at("hits").as_array().at(0).at("id").as_string() ==
               "actu-etude-action-internationale-des-villes-2020-2026");
}

BOOST_AUTO_TEST_CASE(explain_and_highlight_tags) {
    Reply r =
        get("/search?q=cooperation&explain=true&highlight_pre=%3Cb%3E&highlight_post=%3C%2Fb%3E");
    BOOST_TEST_REQUIRE(r.status == 200);
    const auto hit = r.json().at("hits").as_array().at(0);
    BOOST_TEST(hit.at("snippet").as_string().find("<b>coopération</b>") != std::string::npos);
    bool stem = false;
    for (const auto& t : hit.at("matched_terms").as_array())
        stem = stem || t.as_string().rfind("racine:", 0) == 0;
    BOOST_TEST(stem);
}

BOOST_AUTO_TEST_CASE(suggest_similar_and_citations) {
    Reply s = get("/suggest?q=coop");
    BOOST_TEST_REQUIRE(s.status == 200);
    // The theme « coopération décentralisée » has no document in the seeds: never suggested.
    const std::string first = s.json().at("suggestions").as_array().at(0).at("text").as_string();
    BOOST_TEST(first.rfind("coopération", 0) == 0u, first);
    BOOST_TEST(s.json().at("suggestions").as_array().at(0).at("count").as_integer() >= 1);
    Reply s2 = get("/suggest?q=" + encoded("Cités"));
    BOOST_TEST(s2.body.find("Cités Unies France") != std::string::npos);
    BOOST_TEST(get("/suggest").status == 400);

    const std::string id = "cuf-internationalisation-attractivite-rayonnement";
    Reply sim = get("/documents/" + id + "/similar?size=3");
    BOOST_TEST_REQUIRE(sim.status == 200);
    const auto hits = sim.json().at("hits").as_array();
    BOOST_TEST(hits.size() >= 1u);
    for (const auto& h : hits)
        BOOST_TEST(h.at("id").as_string() != id);
    BOOST_TEST(get("/documents/nope/similar").status == 404);

    Reply bib = get("/documents/" + id + "/cite?format=bibtex");
    BOOST_TEST(bib.status == 200);
    BOOST_TEST(bib.body.find("title = {{Internationalisation, un outil") != std::string::npos);
    Reply ris = get("/documents/" + id + "/cite?format=ris");
    BOOST_TEST(ris.body.find("TI  - Internationalisation") != std::string::npos);
    BOOST_TEST(ris.body.find("ER  - ") != std::string::npos);
    Reply csl = get("/documents/" + id + "/cite?format=csl-json");
    BOOST_TEST(web::json::value::parse(csl.body).as_array().at(0).at("publisher").as_string() ==
               "Cités Unies France");
    BOOST_TEST(get("/documents/" + id + "/cite?format=doc").status == 400);
    Reply page = get("/search/cite?q=attractivit%C3%A9&size=2&format=ris");
    BOOST_TEST(page.status == 200);
    BOOST_TEST(std::count(page.body.begin(), page.body.end(), '\n') > 4);
}

BOOST_AUTO_TEST_CASE(descriptions_health_and_metrics) {
    Reply os = get("/opensearch.xml");
    BOOST_TEST(os.status == 200);
    BOOST_TEST(os.body.find("<OpenSearchDescription") != std::string::npos);
    BOOST_TEST(os.body.find("/search?q={searchTerms}") != std::string::npos);
    // Issue 23 #12: a Host header is reflected only when it is one of the server's names.
    const kb::test::HttpReply evil =
        kb::test::http_send(api().server->url(), web::http::methods::GET, "/opensearch.xml",
                            {{"Host", "evil.example"}});
    BOOST_TEST(evil.status == 200);
    BOOST_TEST(evil.body.find("evil.example") == std::string::npos, evil.body);
    BOOST_TEST(evil.body.find(api().server->url()) != std::string::npos, evil.body);
    const kb::test::HttpReply local =
        kb::test::http_send(api().server->url(), web::http::methods::GET, "/opensearch.xml",
                            {{"Host", "localhost:8080"}});
    BOOST_TEST(local.body.find("http://localhost:8080/search") != std::string::npos, local.body);
    Reply oa = get("/openapi.json");
    BOOST_TEST(oa.json().at("openapi").as_string() == "3.0.3");
    Reply h = get("/health");
    BOOST_TEST(h.json().at("documents").as_integer() == 5);
    get("/search?q=x");
    Reply m = get("/metrics");
    BOOST_TEST(m.status == 200);
    BOOST_TEST(m.body.find("kb_http_requests_total{route=\"/search\",status=\"200\"}") !=
               std::string::npos);
    BOOST_TEST(
        m.body.find("kb_http_request_duration_seconds_bucket{route=\"/search\",le=\"+Inf\"}") !=
        std::string::npos);
    BOOST_TEST(m.body.find("kb_index_documents 5") != std::string::npos);
}

namespace {

std::string gunzip(const std::string& bytes) {
    std::istringstream in(bytes);
    Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
    return std::string(std::istreambuf_iterator<char>(inflate), {});
}

} // namespace

// Issue 20 (serving): JSON and the page's files are gzipped for the clients that accept it,
// the files carry an ETag and are revalidated (304), and caches are told what varies.
BOOST_AUTO_TEST_CASE(answers_are_gzipped_when_accepted_and_files_revalidated) {
    const std::string url = api().server->url();
    const std::string path = "/search?expand=false&size=5&q=coop%C3%A9ration";
    const Reply plain = kb::test::http_send(url, methods::GET, path);
    const Reply zipped =
        kb::test::http_send(url, methods::GET, path, {{"Accept-Encoding", "br, gzip;q=0.8"}});
    BOOST_TEST(plain.header("Content-Encoding").empty());
    BOOST_TEST(plain.header("Vary").find("Accept-Encoding") != std::string::npos);
    BOOST_TEST(zipped.header("Content-Encoding") == "gzip");
    BOOST_TEST(zipped.body.size() < plain.body.size() / 2);
    const web::json::value a = plain.json(), b = web::json::value::parse(gunzip(zipped.body));
    BOOST_TEST(a.at("hits").serialize() == b.at("hits").serialize());
    // Refused, or not offered: the body as it is.
    for (const char* refused : {"gzip;q=0", "identity", "deflate"})
        BOOST_TEST(kb::test::http_send(url, methods::GET, path, {{"Accept-Encoding", refused}})
                       .header("Content-Encoding")
                       .empty(),
                   refused);
    // A small answer is not worth it.
    BOOST_TEST(
        kb::test::http_send(url, methods::GET, "/search?q=zzzyx", {{"Accept-Encoding", "gzip"}})
            .header("Content-Encoding")
            .empty());

    const Reply file = kb::test::http_send(url, methods::GET, "/web/style.css");
    BOOST_TEST_REQUIRE(file.status == 200);
    BOOST_TEST(file.header("Cache-Control") == "no-cache");
    const std::string etag = file.header("ETag");
    BOOST_TEST(etag.size() > 2u);
    const Reply file_gz =
        kb::test::http_send(url, methods::GET, "/web/style.css", {{"Accept-Encoding", "gzip"}});
    BOOST_TEST(file_gz.header("Content-Encoding") == "gzip");
    BOOST_TEST(gunzip(file_gz.body) == file.body);
    BOOST_TEST(file_gz.header("ETag") != etag); // another representation, another tag
    for (const std::string& tag : {etag, file_gz.header("ETag")}) {
        const Reply again =
            kb::test::http_send(url, methods::GET, "/web/style.css", {{"If-None-Match", tag}});
        BOOST_TEST(again.status == 304, tag);
        BOOST_TEST(again.body.empty());
    }
    BOOST_TEST(
        kb::test::http_send(url, methods::GET, "/web/style.css", {{"If-None-Match", "\"autre\""}})
            .status == 200);
}

BOOST_AUTO_TEST_CASE(writes_need_the_key_and_are_served_without_restart) {
    const std::string doc =
        R"({"id":"api/test-1","title":"Jumelage avec Tombouctou","text":"Un jumelage entre Chambéry et Tombouctou, au Mali.","type":"actualité","date":"2024-05-02"})";
    BOOST_TEST(send(methods::POST, "/documents", doc).status == 401);
    BOOST_TEST(send(methods::POST, "/documents", doc, {{"Authorization", "Bearer wrong"}}).status ==
               401);
    Reply ok = send(methods::POST, "/documents", doc, {{"Authorization", auth()}});
    BOOST_TEST_REQUIRE(ok.status == 200, ok.body);
    BOOST_TEST(ok.json().at("added").as_integer() == 1);
    Reply found = get("/search?q=tombouctou&country=ML");
    BOOST_TEST(found.json().at("total").as_integer() == 1);
    BOOST_TEST(get("/documents/api%2Ftest-1").status == 200);
    // A batch with one bad record writes nothing.
    Reply bad = send(methods::POST, "/documents",
                     R"([{"id":"api/test-2","text":"deux"},{"title":"sans id","text":"x"}])",
                     {{"Authorization", auth()}});
    BOOST_TEST(bad.status == 400);
    BOOST_TEST(bad.json().at("error").at("message").as_string().find("record 1") !=
               std::string::npos);
    BOOST_TEST(get("/documents/api%2Ftest-2").status == 404);
    BOOST_TEST(send(methods::POST, "/documents", "{not json", {{"Authorization", auth()}}).status ==
               400);
    BOOST_TEST(send(methods::POST, "/documents", std::string(70000, ' ') + "{}",
                    {{"Authorization", auth()}})
                   .status == 413);
    // Delete.
    BOOST_TEST(send(methods::DEL, "/documents/api%2Ftest-1").status == 401);
    BOOST_TEST(
        send(methods::DEL, "/documents/api%2Ftest-1", "", {{"Authorization", auth()}}).status ==
        200);
    BOOST_TEST(get("/documents/api%2Ftest-1").status == 404);
    BOOST_TEST(
        send(methods::DEL, "/documents/api%2Ftest-1", "", {{"Authorization", auth()}}).status ==
        404);
}

// A setting's environment variable is KB_ and its option's name in capitals (README,
// "Configuration"), and it wins over the config file; API keys have no option, only theirs.
BOOST_AUTO_TEST_CASE(settings_come_from_their_environment_variables) {
    kb::test::ServerProcess server(
        api().index, {"--config", (api().dir.path() / "server.properties").string()},
        {{"KB_API_KEYS", "env-key"}, {"KB_READ_REQUIRES_KEY", "true"}, {"KB_MAX_BODY", "2048"}});
    const std::string& base = server.url();
    const std::string env_key = "Bearer env-key";
    BOOST_TEST(send(methods::GET, "/search?q=eau", "", {}, base).status == 401);
    BOOST_TEST(send(methods::GET, "/search?q=eau", "", {{"Authorization", auth()}}, base).status ==
               401);
    BOOST_TEST(send(methods::GET, "/search?q=eau", "", {{"Authorization", env_key}}, base).status ==
               200);
    BOOST_TEST(send(methods::POST, "/documents", std::string(3000, ' ') + "{}",
                    {{"Authorization", env_key}}, base)
                   .status == 413);
}

BOOST_AUTO_TEST_CASE(repeated_searches_come_from_the_cache_until_a_write) {
    const std::string path = "/search?q=" + encoded("Kayes coopération") + "&size=5";
    Reply first = get(path);
    BOOST_TEST_REQUIRE(first.status == 200);
    BOOST_TEST(first.header("X-Cache") == "miss");
    Reply second = get(path);
    BOOST_TEST(second.header("X-Cache") == "hit");
    BOOST_TEST(second.json().at("total").as_integer() == first.json().at("total").as_integer());
    BOOST_TEST(second.json().at("hits").serialize() == first.json().at("hits").serialize());
    BOOST_TEST(second.json().at("facets").serialize() == first.json().at("facets").serialize());
    // Another page of the same query is another entry.
    BOOST_TEST(get(path + "&page=2").header("X-Cache") == "miss");
    // A write commits a new revision: the same search is computed again and sees it.
    const std::string doc =
        R"({"id":"api/cache-1","title":"Coopération avec Kayes","text":"Un programme de coopération avec la région de Kayes, au Mali.","type":"actualité","date":"2024-06-01"})";
    BOOST_TEST_REQUIRE(send(methods::POST, "/documents", doc, {{"Authorization", auth()}}).status ==
                       200);
    Reply after = get(path);
    BOOST_TEST(after.header("X-Cache") == "miss");
    // Before, no record had both words (relaxed to any word); now one has, fewer than
    // few_all_terms: still ranked by any word, the record with both first.
    BOOST_TEST(first.json().at("match_mode").as_string() == "relaxed_any_terms");
    BOOST_TEST(after.json().at("match_mode").as_string() == "few_all_terms");
    BOOST_TEST(after.json().at("all_terms_total").as_integer() == 1);
    BOOST_TEST(after.json().at("total").as_integer() == first.json().at("total").as_integer() + 1);
    BOOST_TEST(after.json().at("hits").as_array().at(0).at("id").as_string() == "api/cache-1");
    BOOST_TEST(get(path).header("X-Cache") == "hit");
    Reply m = get("/metrics");
    BOOST_TEST(m.body.find("kb_search_cache_requests_total{outcome=\"hit\"}") != std::string::npos);
    BOOST_TEST(m.body.find("kb_search_cache_max_bytes 67108864") != std::string::npos);
    BOOST_TEST(
        send(methods::DEL, "/documents/api%2Fcache-1", "", {{"Authorization", auth()}}).status ==
        200);
    BOOST_TEST(get(path).json().at("total").as_integer() == first.json().at("total").as_integer());
}

BOOST_AUTO_TEST_CASE(cors_preflight_from_partner_sites) {
    Reply pre = send(methods::OPTIONS, "/search", "",
                     {{"Origin", "https://any.example"}, {"Access-Control-Request-Method", "GET"}});
    BOOST_TEST(pre.status == 204);
    BOOST_TEST(pre.header("Access-Control-Allow-Origin") == "*");
    BOOST_TEST(pre.header("Access-Control-Allow-Credentials").empty());
    Reply write_pre = send(methods::OPTIONS, "/documents", "", {{"Origin", "https://any.example"}});
    BOOST_TEST(write_pre.header("Access-Control-Allow-Origin").empty());
    Reply partner =
        send(methods::OPTIONS, "/documents", "", {{"Origin", "https://partner.example"}});
    BOOST_TEST(partner.header("Access-Control-Allow-Origin") == "https://partner.example");
    Reply get_cors = send(methods::GET, "/search?q=x", "", {{"Origin", "https://any.example"}});
    BOOST_TEST(get_cors.header("Access-Control-Allow-Origin") == "*");
}

BOOST_AUTO_TEST_CASE(errors_are_json_with_the_right_status) {
    Reply r = send(methods::PUT, "/search");
    BOOST_TEST(r.status == 405);
    BOOST_TEST(r.header("Allow") == "GET, POST, OPTIONS");
    BOOST_TEST(r.json().at("error").at("code").as_string() == "method_not_allowed");
    BOOST_TEST(get("/documents/..%2F..%2Fetc%2Fpasswd").status == 400);
    BOOST_TEST(get("/search?q=%C3%28").status == 400);
    BOOST_TEST(send(methods::POST, "/search", R"({"q": {"nested": true}})").status == 400);
    BOOST_TEST(send(methods::POST, "/search", std::string(5000, '[')).status == 400);
    Reply page = get("/");
    BOOST_TEST(page.header("Content-Security-Policy").find("default-src 'self'") !=
               std::string::npos);
    BOOST_TEST(page.header("X-Content-Type-Options") == "nosniff");
}

BOOST_AUTO_TEST_CASE(reindexing_while_serving_never_fails_a_request) {
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0}, requests{0};
    std::thread load([&] {
        while (!stop) {
            if (get("/search?q=coop%C3%A9ration&size=5").status != 200)
                ++failures;
            ++requests;
        }
    });
    kb::test::write_file(api().dir.path() / "extra/nouveau.md",
                         "---\nid: extra-nouveau\ntitle: Partenariat avec Ouagadougou\n---\n"
                         "Un partenariat de coopération décentralisée avec Ouagadougou.");
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(kb::test::run_indexer(api().index, {(api().dir.path() / "extra").string()}) ==
                   0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
    load.join();
    BOOST_TEST(failures == 0);
    BOOST_TEST(requests > 10);
    BOOST_TEST(get("/search?q=ouagadougou").json().at("total").as_integer() == 1);
}

BOOST_AUTO_TEST_CASE(rate_limit_answers_429_with_retry_after) {
    kb::test::ServerProcess limited(api().index, {"--rate-limit", "5"});
    int limited_count = 0;
    std::string retry_after;
    for (int i = 0; i < 8; ++i) {
        Reply r = send(methods::GET, "/search?q=x", "", {}, limited.url());
        if (r.status == 429) {
            ++limited_count;
            retry_after = r.header("Retry-After");
            BOOST_TEST(r.json().at("error").at("code").as_string() == "rate_limited");
        }
    }
    BOOST_TEST(limited_count == 3);
    BOOST_TEST(std::stoi(retry_after) >= 1);
    // Health stays reachable for monitoring.
    BOOST_TEST(send(methods::GET, "/health", "", {}, limited.url()).status == 200);
}

// A hit names its record's authors, from the whole record and from one of its passages alike,
// and the stored document lists the facet values it is tagged with, labelled.
BOOST_AUTO_TEST_CASE(hits_name_their_authors_and_documents_their_facets) {
    std::string text = "Un jumelage entre Chambéry et Tombouctou, au Mali. ";
    for (int i = 0; i < 200; ++i)
        text += "Les élus suivent le programme d'échanges scolaires année après année. ";
    text += "La bibliothèque de Tombouctou garde des manuscrits anciens.";
    const std::string doc = R"({"id":"api/authors","title":"Jumelage et manuscrits","text":")" +
                            text + R"(","author":"Cités Unies France; Jeanne Dupont"})";
    Reply ok = send(methods::POST, "/documents", doc, {{"Authorization", auth()}});
    BOOST_TEST_REQUIRE(ok.status == 200, ok.body);
    for (const std::string q : {"jumelage tombouctou", "manuscrits anciens"}) {
        Reply r = get("/search?q=" + encoded(q) + "&collapse=false");
        BOOST_TEST_REQUIRE(r.status == 200);
        bool seen = false;
        const auto body = r.json();
        for (const auto& hit : body.at("hits").as_array()) {
            if (hit.at("id").as_string() != "api/authors")
                continue;
            seen = true;
            const auto& authors = hit.at("authors").as_array();
            BOOST_TEST_REQUIRE(authors.size() == 2u);
            BOOST_TEST(authors.at(0).as_string() == "Cités Unies France");
            BOOST_TEST(authors.at(1).as_string() == "Jeanne Dupont");
        }
        BOOST_TEST(seen, q);
    }
    // "manuscrits anciens" is in the last passage only: that hit is a passage's.
    Reply passage = get("/search?q=" + encoded("manuscrits anciens"));
    const auto first = passage.json().at("hits").as_array().at(0);
    BOOST_TEST(first.has_field("passage"));

    Reply stored = get("/documents/api%2Fauthors");
    BOOST_TEST_REQUIRE(stored.status == 200);
    bool mali = false;
    const auto record = stored.json();
    for (const auto& f : record.at("facets").as_array())
        if (f.at("facet").as_string() == "country" && f.at("id").as_string() == "ML")
            mali = f.at("label").as_string() == "Mali";
    BOOST_TEST(mali, stored.body);
    // Its documents' facets are what filtering finds it by.
    BOOST_TEST(get("/search?q=manuscrits&country=ML").json().at("total").as_integer() == 1);
    BOOST_TEST(
        send(methods::DEL, "/documents/api%2Fauthors", "", {{"Authorization", auth()}}).status ==
        200);
}

// An index the indexer built from several staging databases, then a document added and
// deleted through the API: browsing, filters and facet counts (unweighted scans of the
// deleted document's terms) still answer. Xapian 1.4.22 failed them with DatabaseCorruptError
// on a database compacted from several sources (core/indexing/staging.cpp).
BOOST_AUTO_TEST_CASE(browsing_and_filters_answer_after_a_deletion) {
    const std::string doc =
        R"({"id":"api/deleted","title":"Étude éphémère","text":"Une étude sur un jumelage.","type":"étude"})";
    BOOST_TEST_REQUIRE(send(methods::POST, "/documents", doc, {{"Authorization", auth()}}).status ==
                       200);
    BOOST_TEST_REQUIRE(
        send(methods::DEL, "/documents/api%2Fdeleted", "", {{"Authorization", auth()}}).status ==
        200);
    for (const std::string path :
         {"/search?q=", "/search?q=&type=%C3%A9tude", "/search?q=jumelage&type=%C3%A9tude",
          "/facets", "/search?q=&facets=true&sort=date"}) {
        Reply r = get(path);
        BOOST_TEST(r.status == 200, path << ": " << r.body);
    }
    BOOST_TEST(get("/search?q=%C3%A9ph%C3%A9m%C3%A8re").json().at("total").as_integer() == 0);
}
