#define BOOST_TEST_MODULE shard_vectors
// Vectors of a sharded index: built per shard with one shared model, searched per shard and
// merged. The same records indexed as one database and as 3 shards, both embedded with the
// same pre-trained model, must give the same semantic, similar-by-vectors and hybrid answers.
#include "core/embedding/sharded_vectors.h"
#include "core/embedding/vector_store.h"
#include "core/error.h"
#include "core/indexing/index_writer.h"
#include "core/search/searcher.h"
#include "core/search/shards.h"
#include "search-server/handlers/vector_refresher.h"
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"
#include "tests/test_support.h"
#include "tests/vector_test_support.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

namespace {

namespace fs = std::filesystem;
using kb::test::TempDir;
using namespace kb::test; // topic_record, training_texts, small_training

constexpr int kRecords = 60;
constexpr unsigned kShards = 3;

void write_records(const std::string& index, unsigned shards, int from, int to) {
    kb::IndexWriter writer(index, shards);
    for (int i = from; i < to; ++i)
        writer.write(topic_record(i));
    writer.commit();
}

kb::VectorBuildOptions with_model(const std::string& model) {
    kb::VectorBuildOptions o;
    o.model_file = model;
    o.training = small_training();
    o.threads = 1;
    return o;
}

// The same records as one database and as 3 shards, both embedded with one model trained once.
struct Twins {
    TempDir dir;
    std::string model = (dir.path() / "model.bin").string();
    std::string single = (dir.path() / "single").string();
    std::string sharded = (dir.path() / "sharded").string();
    Twins() {
        kb::train_fasttext(training_texts(1500), model, small_training());
        write_records(single, 0, 0, kRecords);
        write_records(sharded, kShards, 0, kRecords);
        kb::build_vectors(single, with_model(model));
        kb::build_vectors(sharded, with_model(model));
    }
    static Twins& get() {
        static Twins t;
        return t;
    }
};

std::vector<std::string> ids(const kb::SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits)
        out.push_back(h.id);
    return out;
}

kb::SearchRequest request(const std::string& q, kb::SearchMode mode, unsigned size = 10) {
    kb::SearchRequest r;
    r.q = q;
    r.mode = mode;
    r.size = size;
    return r;
}

std::string error_code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const kb::Error& e) {
        return e.code() + ": " + e.what();
    }
    return "";
}

const std::vector<std::string> kQueries = {"robinet potable", "amitié festival", "forage et puits",
                                           "échanges des lycéens", "latrines comité"};

// Runs kb-indexer on the seeds into kShards shards at `index` with these extra options (a
// vector model, say); fails the test unless it exits 0. Returns the indexer's summary.
std::string index_seeds_in_shards(const std::string& index, std::vector<std::string> options) {
    options.insert(options.begin(), {"--shards", std::to_string(kShards)});
    options.push_back(kb::test::kSeedsDir);
    std::string summary;
    BOOST_TEST_REQUIRE(kb::test::run_indexer(index, options, &summary) == 0, summary);
    return summary;
}

} // namespace

BOOST_AUTO_TEST_SUITE(layout)

BOOST_AUTO_TEST_CASE(each_shard_has_its_own_vectors_and_none_are_at_the_top) {
    const Twins& t = Twins::get();
    BOOST_TEST(!fs::exists(fs::path(t.sharded) / "vectors" / "manifest"));
    std::size_t total = 0;
    for (unsigned k = 0; k < kShards; ++k) {
        const std::string shard = (fs::path(t.sharded) / kb::shard_name(k)).string();
        const auto store = kb::VectorStore::load(shard);
        BOOST_TEST_REQUIRE(store != nullptr, shard);
        // Stamped with the shard's own revision and uuid.
        BOOST_TEST(store->matches(Xapian::Database(shard)));
        BOOST_TEST(kb::vector_model_of(shard) == fs::path(t.model).lexically_normal().string());
        total += store->index().size();
    }
    BOOST_TEST(total == kb::VectorStore::load(t.single)->index().size());
    BOOST_TEST(kb::has_vectors(t.sharded));
}

// The Searcher maps shard-local ids to the combined database's by Xapian 1.4's interleaving,
// with the aux database first: check the formula against Xapian itself.
BOOST_AUTO_TEST_CASE(interleaved_docids_name_the_same_records_as_the_shards_local_ones) {
    const Twins& t = Twins::get();
    Xapian::Database all(t.sharded);
    const unsigned n = kShards + 1; // aux, shard-0, shard-1, shard-2
    std::size_t checked = 0;
    for (unsigned k = 0; k < kShards; ++k) {
        Xapian::Database shard((fs::path(t.sharded) / kb::shard_name(k)).string());
        for (auto it = shard.postlist_begin(""); it != shard.postlist_end(""); ++it) {
            const Xapian::docid combined = (*it - 1) * n + (k + 1) + 1;
            BOOST_TEST(all.get_document(combined).get_data() == shard.get_document(*it).get_data());
            ++checked;
        }
    }
    BOOST_TEST(checked == all.get_doccount());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(answers)

BOOST_AUTO_TEST_CASE(semantic_search_answers_as_on_one_database) {
    const Twins& t = Twins::get();
    kb::Searcher one(t.single), sharded(t.sharded);
    BOOST_TEST(one.vector_status() == "ready");
    BOOST_TEST(sharded.vector_status() == "ready");
    for (const std::string& q : kQueries) {
        const kb::SearchResult a = one.search(request(q, kb::SearchMode::Semantic, 20));
        const kb::SearchResult b = sharded.search(request(q, kb::SearchMode::Semantic, 20));
        BOOST_TEST_REQUIRE(a.hits.size() == 20u, q);
        BOOST_TEST(ids(a) == ids(b), q);
        BOOST_TEST(a.total == b.total, q);
        for (std::size_t i = 0; i < a.hits.size() && i < b.hits.size(); ++i)
            BOOST_TEST(a.hits[i].score == b.hits[i].score, boost::test_tools::tolerance(1e-5));
    }
}

BOOST_AUTO_TEST_CASE(semantic_filters_map_to_the_shards) {
    const Twins& t = Twins::get();
    kb::Searcher one(t.single), sharded(t.sharded);
    kb::SearchRequest req = request("robinet potable", kb::SearchMode::Semantic);
    req.filters.include[kb::Facet::Country] = {"LB"}; // only twinning records are in Lebanon
    const kb::SearchResult b = sharded.search(req);
    BOOST_TEST_REQUIRE(b.hits.size() == 10u);
    for (const auto& h : b.hits)
        BOOST_TEST(h.id.rfind("jumelage/", 0) == 0u, h.id);
    BOOST_TEST(ids(one.search(req)) == ids(b));
}

BOOST_AUTO_TEST_CASE(similar_by_vectors_answers_as_on_one_database) {
    const Twins& t = Twins::get();
    kb::Searcher one(t.single), sharded(t.sharded);
    for (const std::string id : {"eau/0", "eau/14", "jumelage/3", "jumelage/41"}) {
        const kb::SearchResult a = one.similar(id, 10, kb::SimilarMethod::Vectors);
        const kb::SearchResult b = sharded.similar(id, 10, kb::SimilarMethod::Vectors);
        BOOST_TEST_REQUIRE(a.hits.size() == 10u, id);
        BOOST_TEST(ids(a) == ids(b), id);
        for (const std::string& got : ids(b)) {
            BOOST_TEST(got != id);
            BOOST_TEST(got.substr(0, 3) == std::string(id).substr(0, 3), id << " → " << got);
        }
    }
}

BOOST_AUTO_TEST_CASE(hybrid_search_fuses_the_merged_vectors) {
    const Twins& t = Twins::get();
    kb::Searcher one(t.single), sharded(t.sharded);
    for (kb::Fusion fusion : {kb::Fusion::Convex, kb::Fusion::Rrf}) {
        kb::SearchRequest req = request("forage", kb::SearchMode::Hybrid);
        req.explain = true;
        req.fusion = fusion;
        req.vector_weight = 0.5;
        const kb::SearchResult a = one.search(req), b = sharded.search(req);
        BOOST_TEST((b.search_mode == kb::SearchMode::Hybrid));
        BOOST_TEST_REQUIRE(!b.hits.empty());
        BOOST_TEST(ids(a) == ids(b));
        for (const auto& hit : b.hits) {
            BOOST_TEST_REQUIRE(hit.ranking.has_value());
            // Convex fusion looks up the vector of every lexical candidate, by combined id.
            BOOST_TEST(hit.ranking->vector_similarity.has_value(), hit.id);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(freshness)

BOOST_AUTO_TEST_CASE(a_write_to_one_shard_makes_them_stale_and_a_rebuild_ready) {
    const Twins& t = Twins::get();
    TempDir dir;
    const std::string index = (dir.path() / "index").string();
    write_records(index, kShards, 0, 30);
    kb::build_vectors(index, with_model(t.model));
    kb::Searcher searcher(index);
    BOOST_TEST(searcher.vector_status() == "ready");

    write_records(index, 0, 60, 61); // one record: one shard changes
    searcher.refresh();
    BOOST_TEST(searcher.vector_status() == "stale");
    const std::string error =
        error_code_of([&] { searcher.search(request("robinet", kb::SearchMode::Semantic)); });
    BOOST_TEST(error.rfind("vectors_stale: the vectors of the shard ", 0) == 0u, error);
    // Default-mode hybrid falls back to lexical rather than failing.
    kb::SearchRequest plain;
    plain.q = "forage";
    kb::RankingSettings hybrid_default = searcher.ranking();
    hybrid_default.default_mode = kb::SearchMode::Hybrid;
    searcher.set_ranking(hybrid_default);
    BOOST_TEST(searcher.search(plain).mode_fallback == "vectors_stale");

    // As the server does after a write: the shared model reused, never trained.
    kb::VectorBuildOptions refresh;
    refresh.reuse_model_only = true;
    refresh.threads = 1;
    const kb::VectorBuildSummary s = kb::build_vectors(index, refresh);
    BOOST_TEST(!s.trained);
    BOOST_TEST(!s.up_to_date);
    BOOST_TEST(searcher.vector_status() == "ready");
    const auto similar = ids(searcher.similar("eau/60", 5, kb::SimilarMethod::Vectors));
    BOOST_TEST_REQUIRE(similar.size() == 5u);
    for (const auto& id : similar)
        BOOST_TEST(id.rfind("eau/", 0) == 0u, id);
    BOOST_TEST(kb::build_vectors(index, refresh).up_to_date);
}

BOOST_AUTO_TEST_CASE(the_server_refresher_rebuilds_a_sharded_index) {
    const Twins& t = Twins::get();
    TempDir dir;
    const std::string index = (dir.path() / "index").string();
    write_records(index, kShards, 0, 20);
    kb::http::VectorRefresher without(index);
    BOOST_TEST(!without.request()); // no vectors yet: nothing to refresh
    kb::build_vectors(index, with_model(t.model));
    write_records(index, 0, 20, 24);
    kb::Searcher searcher(index);
    BOOST_TEST(searcher.vector_status() == "stale");
    kb::http::VectorRefresher refresher(index);
    BOOST_TEST(refresher.request());
    refresher.wait_idle();
    BOOST_TEST(refresher.last_error() == "");
    searcher.refresh();
    BOOST_TEST(searcher.vector_status() == "ready");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(models)

BOOST_AUTO_TEST_CASE(one_model_is_trained_for_all_shards_and_the_index_can_move) {
    TempDir dir;
    const std::string index = (dir.path() / "index").string();
    write_records(index, kShards, 0, kRecords);
    kb::VectorBuildOptions refresh;
    refresh.reuse_model_only = true;
    const std::string error = error_code_of([&] { kb::build_vectors(index, refresh); });
    BOOST_TEST(error.rfind("no_vector_model", 0) == 0u, error);

    kb::VectorBuildOptions train;
    train.train = true;
    train.training = small_training();
    train.threads = 1;
    const kb::VectorBuildSummary first = kb::build_vectors(index, train);
    BOOST_TEST(first.trained);
    const fs::path models = kb::shared_model_dir(index);
    auto model_files = [&] {
        std::set<std::string> out;
        for (const auto& e : fs::directory_iterator(models))
            if (e.path().filename().string().rfind("model-", 0) == 0)
                out.insert(e.path().filename().string());
        return out;
    };
    BOOST_TEST_REQUIRE(model_files().size() == 1u);
    for (unsigned k = 0; k < kShards; ++k)
        BOOST_TEST(fs::path(kb::vector_model_of((fs::path(index) / kb::shard_name(k)).string()))
                       .filename()
                       .string() == *model_files().begin());
    // Without train, the shared model is reused: nothing to do.
    kb::VectorBuildOptions again = train;
    again.train = false;
    BOOST_TEST(kb::build_vectors(index, again).up_to_date);
    // Retraining makes a new model, re-embeds every shard and drops the old model.
    const std::string old = *model_files().begin();
    const kb::VectorBuildSummary second = kb::build_vectors(index, train);
    BOOST_TEST(second.trained);
    BOOST_TEST(!second.up_to_date);
    BOOST_TEST_REQUIRE(model_files().size() == 1u);
    BOOST_TEST(*model_files().begin() != old);

    // The shards name the model relative to themselves: a moved index keeps its vectors.
    const std::string moved = (dir.path() / "moved").string();
    fs::rename(index, moved);
    kb::Searcher searcher(moved);
    BOOST_TEST(searcher.vector_status() == "ready");
    const auto hits = ids(searcher.search(request("robinet potable", kb::SearchMode::Semantic)));
    BOOST_TEST_REQUIRE(hits.size() == 10u);
    for (const auto& id : hits)
        BOOST_TEST(id.rfind("eau/", 0) == 0u, id);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(remote)

BOOST_AUTO_TEST_CASE(an_index_with_a_remote_shard_has_no_vectors_and_says_why) {
    const Twins& t = Twins::get();
    // A local shard with vectors and a remote one (nothing listens on port 1).
    kb::SearcherOptions options;
    options.remote_timeout_ms = 500;
    const std::string spec =
        (fs::path(t.sharded) / kb::shard_name(0)).string() + ",tcp:127.0.0.1:1";
    kb::Searcher searcher(spec, options);
    BOOST_TEST(searcher.shard_status().available == 1u);
    BOOST_TEST(searcher.vector_status() == "none");
    const std::string error =
        error_code_of([&] { searcher.search(request("robinet", kb::SearchMode::Semantic)); });
    BOOST_TEST(error.rfind("no_vectors: this index has a remote shard (tcp:127.0.0.1:1)", 0) == 0u,
               error);
    // While the same shard alone has its vectors.
    kb::Searcher alone((fs::path(t.sharded) / kb::shard_name(0)).string());
    BOOST_TEST(alone.vector_status() == "ready");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(indexer)

BOOST_AUTO_TEST_CASE(kb_indexer_builds_vectors_per_shard) {
    const Twins& t = Twins::get();
    TempDir dir;
    const std::string index = (dir.path() / "index").string();
    index_seeds_in_shards(index, {"--vector-model", t.model});
    for (unsigned k = 0; k < kShards; ++k)
        BOOST_TEST(fs::exists(fs::path(index) / kb::shard_name(k) / "vectors" / "manifest"));
    kb::Searcher searcher(index);
    BOOST_TEST(searcher.vector_status() == "ready");
    // Auto mode's word threshold counts the words of all shards: the seeds are too few.
    TempDir other;
    const std::string small = (other.path() / "index").string();
    const std::string summary = index_seeds_in_shards(small, {});
    BOOST_TEST(!kb::has_vectors(small));
    BOOST_TEST(summary.find("fewer than the 50000") != std::string::npos, summary);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server)

// The real server on a sharded index: vectors ready, semantic search, then a write embedded in
// the background into its shard with the shared model, after which semantic search finds it.
BOOST_AUTO_TEST_CASE(the_server_searches_and_refreshes_a_sharded_index) {
    using web::http::methods;
    const Twins& t = Twins::get();
    TempDir dir;
    const std::string index = (dir.path() / "index").string();
    index_seeds_in_shards(index, {"--vector-model", t.model});
    const auto config = dir.path() / "server.properties";
    kb::test::write_file(config, "api.keys = shard-key\nlimits.requests_per_minute = 100000\n");
    kb::test::ServerProcess server(index, {"--config", config.string()});
    auto get = [&](const std::string& path) {
        return kb::test::http_send(server.url(), methods::GET, path);
    };
    BOOST_TEST(get("/health").json().at("vectors").as_string() == "ready");
    BOOST_TEST(get("/search?q=coop%C3%A9ration&mode=semantic").status == 200);

    const kb::test::HttpReply w = kb::test::http_send(
        server.url(), methods::POST, "/documents", {{"Authorization", "Bearer shard-key"}},
        R"({"id":"forage-neuf","title":"Forage et puits",)"
        R"("text":"forage puits robinet potable eau latrines pompage assainissement"})");
    BOOST_TEST_REQUIRE(w.status == 200, w.body);
    BOOST_TEST(w.json().at("vectors").as_string() == "refreshing");
    const web::json::value health = kb::test::wait_for_vectors(server.url());
    BOOST_TEST_REQUIRE(health.at("vectors").as_string() == "ready", health.serialize());
    BOOST_TEST(!health.has_field("vectors_refresh_error"));
    const kb::test::HttpReply r = get("/search?q=robinet%20potable&mode=semantic&size=3");
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    const auto hits = r.json().at("hits").as_array();
    BOOST_TEST_REQUIRE(hits.size() > 0u);
    BOOST_TEST(hits.at(0).at("id").as_string() == "forage-neuf", r.body);
    BOOST_TEST(get("/documents/forage-neuf/similar?method=vectors").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
