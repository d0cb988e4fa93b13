#define BOOST_TEST_MODULE vectors
// The embeddings subsystem: fastText training and loading, the HNSW index against exact
// search, vectors stamped with the Xapian revision, and the semantic and hybrid modes of
// kb::Searcher (with the error when an index has no vectors).
#include "core/embedding/fasttext_embedder.h"
#include "core/embedding/vector_index.h"
#include "core/embedding/vector_store.h"
#include "core/error.h"
#include "core/indexing/index_writer.h"
#include "core/search/searcher.h"
#include "tests/test_support.h"
#include "tests/vector_test_support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <set>

namespace {

using kb::test::TempDir;
using namespace kb::test; // the topics, training texts and settings of vector_test_support.h

float cosine(const std::vector<float>& a, const std::vector<float>& b) {
    return kb::dot(a.data(), b.data(), static_cast<unsigned>(a.size()));
}

// A model trained once for the embedder cases.
struct Model {
    TempDir dir;
    std::string path = (dir.path() / "model.bin").string();
    Model() { kb::train_fasttext(training_texts(1500), path, small_training()); }
};

Model& model() {
    static Model m;
    return m;
}

} // namespace

BOOST_AUTO_TEST_SUITE(embedder)

BOOST_AUTO_TEST_CASE(words_of_one_topic_are_closer_than_words_of_another) {
    auto e = kb::FastTextEmbedder::load(model().path);
    BOOST_TEST(e->dimension() == 24u);
    const auto eau = e->word_vector("eau"), forage = e->word_vector("forage"),
               jumelage = e->word_vector("jumelage"), amitie = e->word_vector("amitie");
    BOOST_TEST(cosine(eau, forage) > cosine(eau, jumelage) + 0.05);
    BOOST_TEST(cosine(jumelage, amitie) > cosine(jumelage, forage) + 0.05);
    // Texts too, through the analysis chain: accents and case do not matter.
    const auto water_text = e->embed("Un FORAGE pour l'eau potable");
    BOOST_TEST(water_text.size() == 24u);
    BOOST_TEST(cosine(water_text, e->embed("assainissement et latrines")) >
               cosine(water_text, e->embed("Jumelage, amitié et échanges culturels")));
    BOOST_TEST(cosine(e->embed("Échanges CULTURELS"), e->embed("echanges culturels")) > 0.999);
}

BOOST_AUTO_TEST_CASE(vectors_are_unit_length_or_zero_for_unknown_words) {
    auto e = kb::FastTextEmbedder::load(model().path);
    const auto v = e->embed("le jumelage des lycéens");
    BOOST_TEST(cosine(v, v) == 1.0f, boost::test_tools::tolerance(1e-4f));
    const auto none = e->embed("zzzqqq xxyyzz");
    BOOST_TEST(std::all_of(none.begin(), none.end(), [](float x) { return x == 0; }));
}

BOOST_AUTO_TEST_CASE(a_saved_model_loads_back_with_the_same_vectors) {
    auto a = kb::FastTextEmbedder::load(model().path);
    auto b = kb::FastTextEmbedder::load(model().path);
    const auto va = a->embed("forage et puits"), vb = b->embed("forage et puits");
    BOOST_TEST(va == vb);
}

BOOST_AUTO_TEST_CASE(a_vec_file_is_loaded_with_its_words_folded) {
    TempDir dir;
    const auto path = dir.path() / "tiny.vec";
    kb::test::write_file(path, "3 2\nCoopération 1 0\ncooperation 0 1\njumelage 0 1\n");
    auto e = kb::FastTextEmbedder::load(path.string());
    BOOST_TEST(e->dimension() == 2u);
    // The first (most frequent) spelling wins the folded key.
    BOOST_TEST(e->word_vector("cooperation")[0] > 0.999f);
    BOOST_TEST(cosine(e->embed("coopération"), e->embed("jumelage")) == 0.0f);
}

BOOST_AUTO_TEST_CASE(unusable_models_and_too_little_text_are_errors) {
    TempDir dir;
    kb::test::write_file(dir.path() / "bad.bin", "not a model");
    BOOST_CHECK_THROW(kb::FastTextEmbedder::load((dir.path() / "bad.bin").string()), kb::Error);
    BOOST_CHECK_THROW(kb::FastTextEmbedder::load((dir.path() / "missing.bin").string()), kb::Error);
    BOOST_CHECK_THROW(
        kb::train_fasttext({"trop peu de mots"}, (dir.path() / "m.bin").string(), small_training()),
        kb::Error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ann)

std::vector<std::vector<float>> random_vectors(std::size_t n, unsigned dim, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0, 1);
    std::vector<std::vector<float>> out(n, std::vector<float>(dim));
    for (auto& v : out) {
        for (float& x : v)
            x = g(rng);
        kb::l2_normalise(v);
    }
    return out;
}

BOOST_AUTO_TEST_CASE(hnsw_recall_against_exact_search_is_high_and_ids_map_back) {
    const unsigned dim = 16;
    const auto data = random_vectors(3000, dim, 1);
    kb::VectorIndex index(dim);
    // Ids that are not row numbers, as Xapian document ids are not.
    for (std::size_t i = 0; i < data.size(); ++i)
        index.add(static_cast<Xapian::docid>(1000 + 7 * i), data[i]);
    index.build(2);
    BOOST_TEST(index.size() == 3000u);
    std::size_t found = 0, wanted = 0;
    for (const auto& q : random_vectors(100, dim, 2)) {
        std::set<Xapian::docid> truth;
        for (const auto& h : index.exact(q.data(), 10))
            truth.insert(h.id);
        for (const auto& h : index.search(q.data(), 10))
            found += truth.count(h.id);
        wanted += 10;
    }
    BOOST_TEST(double(found) / wanted >= 0.9);
    // A stored vector finds itself first, under its own id, with similarity 1.
    const auto self = index.search(data[42].data(), 1);
    BOOST_TEST_REQUIRE(self.size() == 1u);
    BOOST_TEST(self[0].id == Xapian::docid(1000 + 7 * 42));
    BOOST_TEST(self[0].similarity == 1.0f, boost::test_tools::tolerance(1e-4f));
}

BOOST_AUTO_TEST_CASE(filtered_search_returns_only_allowed_ids) {
    const auto data = random_vectors(2000, 8, 3);
    kb::VectorIndex index(8);
    for (std::size_t i = 0; i < data.size(); ++i)
        index.add(static_cast<Xapian::docid>(i + 1), data[i]);
    index.build(1);
    auto odd = [](Xapian::docid d) { return d % 50 == 0; }; // 40 of 2,000
    const auto hits = index.search(data[0].data(), 10, odd);
    BOOST_TEST(hits.size() == 10u);
    for (const auto& h : hits)
        BOOST_TEST(h.id % 50 == 0u);
}

BOOST_AUTO_TEST_CASE(saved_index_loads_back_identically) {
    TempDir dir;
    const auto data = random_vectors(500, 8, 4);
    kb::VectorIndex index(8);
    for (std::size_t i = 0; i < data.size(); ++i)
        index.add(static_cast<Xapian::docid>(i + 3), data[i]);
    index.build(1);
    const std::string stem = (dir.path() / "v").string();
    index.save(stem);
    const kb::VectorIndex loaded = kb::VectorIndex::load(stem);
    BOOST_TEST(loaded.size() == 500u);
    const auto a = index.search(data[9].data(), 5), b = loaded.search(data[9].data(), 5);
    BOOST_TEST_REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        BOOST_TEST(a[i].id == b[i].id);
    BOOST_TEST(!std::filesystem::exists(stem + ".f32.tmp"));
    kb::test::write_file(stem + ".f32", "KBVEC001 truncated");
    BOOST_CHECK_THROW(kb::VectorIndex::load(stem), kb::Error);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// An on-disk index of 60 records on two topics (water in Senegal, twinning in Lebanon) with
// vectors trained on them.
struct VectorIndexFixture {
    TempDir dir;
    std::string index = (dir.path() / "index").string();

    static kb::Record record(int i) { return topic_record(i); }

    void write(int from, int to) {
        kb::IndexWriter writer(index);
        for (int i = from; i < to; ++i)
            writer.write(record(i));
        writer.commit();
    }

    kb::VectorBuildSummary vectors(bool train) {
        kb::VectorBuildOptions o;
        o.train = train;
        o.training = small_training();
        o.threads = 1;
        return kb::build_vectors(index, o);
    }

    VectorIndexFixture() {
        write(0, 60);
        vectors(true);
    }
};

std::vector<std::string> ids(const kb::SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits)
        out.push_back(h.id);
    return out;
}

kb::SearchRequest request(const std::string& q, kb::SearchMode mode) {
    kb::SearchRequest r;
    r.q = q;
    r.mode = mode;
    r.size = 10;
    return r;
}

} // namespace

// One index for the cases that only read it (training and fsyncs dominate the time).
struct SharedIndex {
    std::string index = shared().index;
    static VectorIndexFixture& shared() {
        static VectorIndexFixture f;
        return f;
    }
};

BOOST_FIXTURE_TEST_SUITE(modes, SharedIndex)

BOOST_AUTO_TEST_CASE(semantic_mode_finds_the_topic_without_the_words) {
    kb::Searcher searcher(index);
    BOOST_TEST(searcher.vector_status() == "ready");
    // "latrines pompage" are water words; ask with other water words only.
    kb::SearchResult r = searcher.search(request("robinet potable", kb::SearchMode::Semantic));
    BOOST_TEST((r.search_mode == kb::SearchMode::Semantic));
    BOOST_TEST_REQUIRE(r.hits.size() == 10u);
    for (const auto& h : r.hits)
        BOOST_TEST(h.id.rfind("eau/", 0) == 0u, h.id);
    // One hit per record, facets counted over the candidates.
    const auto got = ids(r);
    BOOST_TEST(std::set<std::string>(got.begin(), got.end()).size() == got.size());
    BOOST_TEST(!r.facets.at(kb::Facet::Country).empty());
}

BOOST_AUTO_TEST_CASE(semantic_mode_applies_the_filters) {
    kb::Searcher searcher(index);
    kb::SearchRequest req = request("robinet potable", kb::SearchMode::Semantic);
    req.filters.include[kb::Facet::Country] = {"LB"}; // only twinning records are in Lebanon
    kb::SearchResult r = searcher.search(req);
    BOOST_TEST_REQUIRE(!r.hits.empty());
    for (const auto& h : r.hits)
        BOOST_TEST(h.id.rfind("jumelage/", 0) == 0u, h.id);
    req.filters = {};
    req.filters.exclude[kb::Facet::Country] = {"SN"};
    for (const auto& h : searcher.search(req).hits)
        BOOST_TEST(h.id.rfind("jumelage/", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(hybrid_mode_explains_both_rankings_and_weight_zero_is_lexical) {
    kb::Searcher searcher(index);
    kb::SearchRequest lexical = request("forage", kb::SearchMode::Lexical);
    kb::SearchRequest hybrid = request("forage", kb::SearchMode::Hybrid);
    hybrid.explain = true;
    const kb::SearchResult h = searcher.search(hybrid);
    BOOST_TEST((h.search_mode == kb::SearchMode::Hybrid));
    BOOST_TEST_REQUIRE(!h.hits.empty());
    for (const auto& hit : h.hits) {
        BOOST_TEST_REQUIRE(hit.ranking.has_value());
        BOOST_TEST(hit.ranking->fused_score == hit.score);
        BOOST_TEST((hit.ranking->lexical_rank > 0 || hit.ranking->vector_rank > 0));
    }
    BOOST_TEST(h.hits.front().ranking->vector_similarity.has_value());
    // With the vector weight at 0, convex fusion keeps the lexical order exactly.
    hybrid.vector_weight = 0.0;
    hybrid.explain = false;
    BOOST_TEST(ids(searcher.search(hybrid)) == ids(searcher.search(lexical)));
    // RRF is available per request.
    hybrid.fusion = kb::Fusion::Rrf;
    hybrid.vector_weight = 0.5;
    BOOST_TEST(!searcher.search(hybrid).hits.empty());
}

BOOST_AUTO_TEST_CASE(similar_by_vectors_stays_on_topic_and_leaves_the_document_out) {
    kb::Searcher searcher(index);
    const kb::SearchResult r = searcher.similar("eau/4", 5, kb::SimilarMethod::Vectors);
    BOOST_TEST_REQUIRE(r.hits.size() == 5u);
    for (const auto& h : r.hits) {
        BOOST_TEST(h.id != "eau/4");
        BOOST_TEST(h.id.rfind("eau/", 0) == 0u, h.id);
    }
    BOOST_TEST(!searcher.similar("eau/4", 5, kb::SimilarMethod::Hybrid).hits.empty());
    BOOST_CHECK_THROW(searcher.similar("nope", 5, kb::SimilarMethod::Vectors), kb::Error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(revisions, VectorIndexFixture)

BOOST_AUTO_TEST_CASE(vectors_of_an_older_revision_are_detected_and_refused) {
    BOOST_TEST(vectors(false).up_to_date); // nothing changed since they were built
    write(60, 62);                         // a commit the vectors have not seen
    kb::Searcher searcher(index);
    BOOST_TEST(searcher.vector_status() == "stale");
    try {
        searcher.search(request("forage", kb::SearchMode::Semantic));
        BOOST_FAIL("stale vectors were used");
    } catch (const kb::Error& e) {
        BOOST_TEST((e.kind() == kb::ErrorKind::Conflict));
        BOOST_TEST(e.code() == "vectors_stale");
    }
    // Lexical search is unaffected; rebuilding (the model is kept) makes them usable again.
    BOOST_TEST(!searcher.search(request("forage", kb::SearchMode::Lexical)).hits.empty());
    const kb::VectorBuildSummary s = vectors(false);
    BOOST_TEST(!s.trained);
    BOOST_TEST(s.vectors == 62u);
    searcher.refresh();
    BOOST_TEST(searcher.vector_status() == "ready");
    BOOST_TEST(!searcher.search(request("forage", kb::SearchMode::Semantic)).hits.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(an_index_without_vectors_says_so) {
    TempDir dir;
    const std::string index = (dir.path() / "index").string();
    {
        kb::IndexWriter writer(index);
        writer.write(VectorIndexFixture::record(0));
        writer.commit();
    }
    kb::Searcher searcher(index);
    BOOST_TEST(searcher.vector_status() == "none");
    for (auto mode : {kb::SearchMode::Semantic, kb::SearchMode::Hybrid}) {
        try {
            searcher.search(request("forage", mode));
            BOOST_FAIL("no error without vectors");
        } catch (const kb::Error& e) {
            BOOST_TEST((e.kind() == kb::ErrorKind::Conflict));
            BOOST_TEST(e.code() == "no_vectors");
        }
    }
    BOOST_CHECK_THROW(searcher.similar("eau/0", 3, kb::SimilarMethod::Vectors), kb::Error);
    BOOST_TEST(!searcher.search(request("forage", kb::SearchMode::Lexical)).hits.empty());
}

// search.default_mode=hybrid: without usable vectors the default ranks lexically and says why,
// while an explicit mode=hybrid keeps its 409.
BOOST_AUTO_TEST_CASE(default_hybrid_falls_back_to_lexical_without_usable_vectors) {
    TempDir dir;
    const std::string index = (dir.path() / "index").string();
    {
        kb::IndexWriter writer(index);
        for (int i = 0; i < 4; ++i)
            writer.write(VectorIndexFixture::record(i));
        writer.commit();
    }
    kb::RankingSettings hybrid_default;
    hybrid_default.default_mode = kb::SearchMode::Hybrid;
    kb::Searcher searcher(index);
    searcher.set_ranking(hybrid_default);
    kb::SearchRequest by_default;
    by_default.q = "forage";
    const kb::SearchResult r = searcher.search(by_default);
    BOOST_TEST((r.search_mode == kb::SearchMode::Lexical));
    BOOST_TEST(r.mode_fallback == "no_vectors");
    BOOST_TEST(ids(r) == ids(searcher.search(request("forage", kb::SearchMode::Lexical))));
    BOOST_CHECK_THROW(searcher.search(request("forage", kb::SearchMode::Hybrid)), kb::Error);
}

BOOST_FIXTURE_TEST_CASE(default_hybrid_uses_ready_vectors_and_falls_back_on_stale_ones,
                        VectorIndexFixture) {
    kb::RankingSettings hybrid_default;
    hybrid_default.default_mode = kb::SearchMode::Hybrid;
    kb::SearchRequest by_default;
    by_default.q = "forage";
    {
        kb::Searcher searcher(index);
        searcher.set_ranking(hybrid_default);
        const kb::SearchResult r = searcher.search(by_default);
        BOOST_TEST((r.search_mode == kb::SearchMode::Hybrid));
        BOOST_TEST(r.mode_fallback.empty());
    }
    write(60, 61);
    kb::Searcher searcher(index);
    searcher.set_ranking(hybrid_default);
    const kb::SearchResult r = searcher.search(by_default);
    BOOST_TEST((r.search_mode == kb::SearchMode::Lexical));
    BOOST_TEST(r.mode_fallback == "vectors_stale");
    BOOST_TEST(!r.hits.empty());
}

// A server refreshing vectors never trains: a manifest whose model is gone is an error.
BOOST_FIXTURE_TEST_CASE(a_refresh_that_may_not_train_needs_the_model, VectorIndexFixture) {
    write(60, 61);
    for (const auto& entry : std::filesystem::directory_iterator(kb::vectors_dir(index)))
        if (entry.path().filename().string().rfind("model-", 0) == 0)
            std::filesystem::remove(entry.path());
    kb::VectorBuildOptions o;
    o.reuse_model_only = true;
    o.threads = 1;
    try {
        kb::build_vectors(index, o);
        BOOST_FAIL("trained a model although told not to");
    } catch (const kb::Error& e) {
        BOOST_TEST(e.code() == "no_vector_model");
    }
}

// A cancelled build leaves the previous vectors in place.
BOOST_FIXTURE_TEST_CASE(a_cancelled_build_keeps_the_previous_vectors, VectorIndexFixture) {
    write(60, 62);
    kb::VectorBuildOptions o;
    o.threads = 1;
    o.cancelled = [] { return true; };
    BOOST_CHECK_THROW(kb::build_vectors(index, o), kb::Error);
    kb::Searcher searcher(index);
    BOOST_TEST(searcher.vector_status() == "stale"); // the old set, still loadable
    o.cancelled = nullptr;
    BOOST_TEST(kb::build_vectors(index, o).vectors == 62u);
    searcher.refresh();
    BOOST_TEST(searcher.vector_status() == "ready");
}
