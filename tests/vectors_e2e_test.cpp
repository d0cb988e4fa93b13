#define BOOST_TEST_MODULE vectors_e2e
// Semantic and hybrid search through the real programs: kb-indexer trains vectors on the seed
// corpus, kb-search-server answers mode=semantic|hybrid on GET and POST /search and
// /documents/{id}/similar?method=vectors, and refuses vectors a later write made stale.
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"

#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

using web::http::methods;

namespace {

const char* const kKey = "vectors-test-key";

struct VectorServer {
    kb::test::TempDir dir;
    std::string index = (dir.path() / "index").string();
    std::unique_ptr<kb::test::ServerProcess> server;
    std::string summary;

    VectorServer() {
        // Small and quick vectors: the seeds are about 3,000 words.
        BOOST_TEST_REQUIRE(
            kb::test::run_indexer(index,
                                  {"--train-vectors", "--vector-dim", "32", "--vector-epochs", "10",
                                   "--threads", "1", kb::test::kSeedsDir},
                                  &summary) == 0);
        const auto config = dir.path() / "server.properties";
        kb::test::write_file(config, std::string("api.keys = ") + kKey +
                                         "\nlimits.requests_per_minute = 100000\n");
        server = std::make_unique<kb::test::ServerProcess>(
            index, std::vector<std::string>{"--config", config.string()});
    }
};

VectorServer& vs() {
    static VectorServer instance;
    return instance;
}

struct Reply {
    int status;
    web::json::value json;
};

Reply send(const web::http::method& method, const std::string& path, const std::string& body = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (method == methods::POST && path == "/documents")
        headers.emplace_back("Authorization", std::string("Bearer ") + kKey);
    const kb::test::HttpReply r =
        kb::test::http_send(vs().server->url(), method, path, headers, body);
    return {r.status, r.json()};
}

Reply get(const std::string& path) { return send(methods::GET, path); }

} // namespace

BOOST_AUTO_TEST_CASE(the_indexer_trains_and_reports_vectors) {
    BOOST_TEST(vs().summary.find("model trained") != std::string::npos, vs().summary);
    BOOST_TEST(get("/health").json.at("vectors").as_string() == "ready");
}

BOOST_AUTO_TEST_CASE(semantic_and_hybrid_search_over_get_and_post) {
    Reply lexical = get("/search?q=jumelages&size=3");
    BOOST_TEST_REQUIRE(lexical.status == 200);
    BOOST_TEST(lexical.json.at("mode").as_string() == "lexical");

    Reply semantic = get("/search?q=jumelages%20partenariats&mode=semantic&explain=true&size=3");
    BOOST_TEST_REQUIRE(semantic.status == 200);
    BOOST_TEST(semantic.json.at("mode").as_string() == "semantic");
    auto hits = semantic.json.at("hits").as_array();
    BOOST_TEST_REQUIRE(hits.size() == 3u);
    const auto& ranking = hits.at(0).at("ranking");
    BOOST_TEST(ranking.at("vector_rank").as_integer() == 1);
    BOOST_TEST(ranking.at("vector_similarity").as_double() > 0);
    BOOST_TEST(ranking.at("lexical_rank").is_null());

    Reply hybrid = send(methods::POST, "/search",
                        R"({"q":"attractivité des villes moyennes","mode":"hybrid","explain":true,)"
                        R"("fusion":"rrf","vector_weight":0.5,"size":5})");
    BOOST_TEST_REQUIRE(hybrid.status == 200);
    BOOST_TEST(hybrid.json.at("mode").as_string() == "hybrid");
    hits = hybrid.json.at("hits").as_array();
    BOOST_TEST_REQUIRE(hits.size() > 0u);
    for (const auto& h : hits)
        BOOST_TEST(h.at("ranking").at("fused_score").as_double() > 0);

    BOOST_TEST(get("/search?q=villes&mode=vectoriel").status == 400);
    BOOST_TEST(get("/search?q=villes&mode=hybrid&vector_weight=3").status == 400);
}

BOOST_AUTO_TEST_CASE(similar_by_vectors) {
    const std::string id = "cuf-rayonnement-attractivite-villes-moyennes";
    Reply r = get("/documents/" + id + "/similar?method=vectors&size=3");
    BOOST_TEST_REQUIRE(r.status == 200);
    const auto hits = r.json.at("hits").as_array();
    BOOST_TEST_REQUIRE(hits.size() > 0u);
    for (const auto& h : hits)
        BOOST_TEST(h.at("id").as_string() != id);
    BOOST_TEST(get("/documents/" + id + "/similar?method=hybrid").status == 200);
    BOOST_TEST(get("/documents/" + id + "/similar?method=terms").status == 200);
    BOOST_TEST(get("/documents/" + id + "/similar?method=magic").status == 400);
    BOOST_TEST(get("/documents/nope/similar?method=vectors").status == 404);
}

// Runs last: it writes to the index. The write makes the vectors stale, the server rebuilds
// them in the background with the indexer's model, and then semantic search covers the new
// document; until then stale vectors are refused, never misused.
BOOST_AUTO_TEST_CASE(a_write_is_embedded_in_the_background_and_stale_vectors_are_never_used) {
    const std::string before = get("/health").json.at("last_commit").as_string();
    Reply w = send(methods::POST, "/documents",
                   R"({"id":"actu-vecteurs","title":"Nouvelle coopération décentralisée",)"
                   R"("text":"Un jumelage entre deux villes pour la coopération décentralisée."})");
    BOOST_TEST_REQUIRE(w.status == 200);
    BOOST_TEST(w.json.at("added").as_integer() == 1);
    BOOST_TEST(w.json.at("vectors").as_string() == "refreshing");

    // While the rebuild runs, every answer is either from up-to-date vectors or a clear 409.
    const web::json::value health = kb::test::wait_for_vectors(vs().server->url(), [] {
        Reply s = get("/documents/actu-vecteurs/similar?method=vectors");
        BOOST_TEST((s.status == 200 || s.status == 409), s.status);
        if (s.status == 409)
            BOOST_TEST(s.json.at("error").at("code").as_string() == "vectors_stale");
    });
    BOOST_TEST_REQUIRE(health.at("vectors").as_string() == "ready", health.serialize());
    BOOST_TEST(!health.has_field("vectors_refresh_error"));
    BOOST_TEST(health.at("last_commit").as_string() >= before);
    // The new document has its vector: similar-by-vectors answers for it, and semantic search
    // works again.
    Reply similar = get("/documents/actu-vecteurs/similar?method=vectors");
    BOOST_TEST(similar.status == 200, similar.json.serialize());
    Reply r =
        get("/search?q=coop%C3%A9ration%20d%C3%A9centralis%C3%A9e%20villes&mode=semantic&size=50");
    BOOST_TEST_REQUIRE(r.status == 200);
    bool found = false;
    for (const auto& h : r.json.at("hits").as_array())
        found = found || h.at("id").as_string() == "actu-vecteurs";
    BOOST_TEST(found, r.json.serialize());
}

// Issue 23 #1: back-to-back writes each commit while the previous rebuild reads the index
// (Xapian::DatabaseModifiedError on the refresher's thread used to end the server). Every
// write is answered and kept, searches go on meanwhile, and the vectors catch up.
BOOST_AUTO_TEST_CASE(back_to_back_writes_during_a_rebuild_never_stop_the_server) {
    std::atomic<bool> done{false};
    std::atomic<int> failed_searches{0};
    std::thread searching([&] {
        while (!done) {
            try {
                // 409 vectors_stale while a rebuild runs; anything else is a failure.
                const int status = get("/search?q=coop%C3%A9ration&mode=hybrid").status;
                if (status != 200 && status != 409)
                    ++failed_searches;
            } catch (...) { // the server is gone
                ++failed_searches;
            }
        }
    });
    for (int i = 0; i < 12; ++i) {
        Reply w =
            send(methods::POST, "/documents",
                 R"({"id":"rafale/)" + std::to_string(i) + R"(","text":"Jumelage numéro )" +
                     std::to_string(i) + R"( entre deux villes, coopération décentralisée."})");
        BOOST_TEST(w.status == 200, "write " << i << ": " << w.json.serialize());
    }
    done = true;
    searching.join();
    BOOST_TEST(failed_searches == 0);
    const web::json::value health = kb::test::wait_for_vectors(vs().server->url());
    BOOST_TEST(health.at("vectors").as_string() == "ready", health.serialize());
    BOOST_TEST(!health.has_field("vectors_refresh_error"), health.serialize());
    for (int i = 0; i < 12; ++i)
        BOOST_TEST(get("/documents/rafale/" + std::to_string(i)).status == 200, i);
    BOOST_TEST(get("/documents/rafale/11/similar?method=vectors").status == 200);
}

// A server that starts on stale vectors (here: an indexer run with --no-vectors after the
// vectors were built) rebuilds them itself instead of answering 409 until the next run.
BOOST_AUTO_TEST_CASE(a_server_started_on_stale_vectors_rebuilds_them) {
    VectorServer& v = vs();
    v.server.reset();
    const auto extra = v.dir.path() / "extra";
    std::filesystem::create_directories(extra);
    kb::test::write_file(extra / "plus-tard.md",
                         "---\nid: plus-tard\ntitle: Ajout hors serveur\n---\n"
                         "Un jumelage ajouté pendant que le serveur était arrêté.\n");
    BOOST_TEST_REQUIRE(kb::test::run_indexer(v.index, {"--no-vectors", extra.string()}) == 0);
    v.server = std::make_unique<kb::test::ServerProcess>(
        v.index,
        std::vector<std::string>{"--config", (v.dir.path() / "server.properties").string()});
    const web::json::value health = kb::test::wait_for_vectors(v.server->url());
    BOOST_TEST(health.at("vectors").as_string() == "ready", health.serialize());
    BOOST_TEST(get("/documents/plus-tard/similar?method=vectors").status == 200);
}
