// kb::Searcher as its callers see it (the facade over index_handle, lexical, facet counting,
// vectors, fusion, similar, suggest, cache_key and the look-ups), on one small on-disk index
// with vectors: 60 records on two topics (water projects in Senegal, twinnings in Lebanon).

#define BOOST_TEST_MODULE searcher

#include "core/embedding/vector_store.h"
#include "core/indexing/index_writer.h"
#include "core/search/searcher.h"
#include "tests/test_support.h"
#include "tests/vector_test_support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

using kb::test::TempDir;

namespace kb {
// Boost.Test prints the values of failed checks.
std::ostream& operator<<(std::ostream& os, SearchMode m) { return os << to_string(m); }
std::ostream& operator<<(std::ostream& os, MatchMode m) { return os << to_string(m); }
} // namespace kb

namespace {

constexpr int kRecords = 60;

struct TopicIndex {
    TempDir dir;
    std::string path = (dir.path() / "index").string();
    TopicIndex() { kb::test::write_topic_index(path, kRecords); }
};

// One index for the suite: training the vectors dominates the time.
struct Fixture {
    static const std::string& index() {
        static TopicIndex shared;
        return shared.path;
    }
    kb::Searcher searcher{index()};
};

kb::SearchRequest request(const std::string& q, unsigned size = 10) {
    kb::SearchRequest r;
    r.q = q;
    r.size = size;
    return r;
}

std::vector<std::string> ids(const kb::SearchResult& r) {
    std::vector<std::string> out;
    for (const kb::Hit& h : r.hits)
        out.push_back(h.id);
    return out;
}

bool all_start_with(const kb::SearchResult& r, const std::string& prefix) {
    return std::all_of(r.hits.begin(), r.hits.end(),
                       [&](const kb::Hit& h) { return h.id.rfind(prefix, 0) == 0; });
}

unsigned long long count_of(const kb::SearchResult& r, kb::Facet facet, const std::string& id) {
    const auto values = r.facets.find(facet);
    if (values == r.facets.end())
        return 0;
    for (const kb::FacetCount& c : values->second)
        if (c.id == id)
            return c.count;
    return 0;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(searcher, Fixture)

BOOST_AUTO_TEST_CASE(lexical_search_finds_the_words_and_marks_them) {
    const kb::SearchResult r = searcher.search(request("forage"));
    BOOST_TEST(r.search_mode == kb::SearchMode::Lexical);
    BOOST_TEST(r.mode == kb::MatchMode::AllTerms);
    BOOST_TEST(!r.hits.empty());
    BOOST_TEST(all_start_with(r, "eau/"));
    BOOST_TEST(r.hits.front().snippet.find("<mark>forage</mark>") != std::string::npos);
    BOOST_TEST(r.shards.available == 1u);
}

BOOST_AUTO_TEST_CASE(pages_do_not_overlap) {
    kb::SearchRequest first = request("", 10), second = request("", 10);
    second.page = 2;
    const std::vector<std::string> a = ids(searcher.search(first)),
                                   b = ids(searcher.search(second));
    BOOST_TEST(a.size() == 10u);
    BOOST_TEST(b.size() == 10u);
    for (const std::string& id : b)
        BOOST_TEST((std::find(a.begin(), a.end(), id) == a.end()));
}

BOOST_AUTO_TEST_CASE(a_facet_filter_keeps_its_records_and_counts_disjunctively) {
    kb::SearchRequest r = request("");
    r.filters.include[kb::Facet::Country] = {"LB"};
    const kb::SearchResult lebanon = searcher.search(r);
    BOOST_TEST(lebanon.total == 30u);
    BOOST_TEST(all_start_with(lebanon, "jumelage/"));
    // The selected facet is counted without its own filter: Senegal still shows its 30.
    BOOST_TEST(count_of(lebanon, kb::Facet::Country, "SN") == 30u);
    BOOST_TEST(count_of(lebanon, kb::Facet::Country, "LB") == 30u);

    r.filters.include.clear();
    r.filters.exclude[kb::Facet::Country] = {"LB"};
    const kb::SearchResult not_lebanon = searcher.search(r);
    BOOST_TEST(not_lebanon.total == 30u);
    BOOST_TEST(all_start_with(not_lebanon, "eau/"));
}

BOOST_AUTO_TEST_CASE(facets_count_every_match_or_none_when_not_asked) {
    kb::SearchRequest r = request("forage");
    const kb::SearchResult with = searcher.search(r);
    BOOST_TEST(with.facets_exact);
    BOOST_TEST(count_of(with, kb::Facet::Country, "SN") == with.total);
    BOOST_TEST(count_of(with, kb::Facet::Country, "LB") == 0u);
    r.facets = false;
    BOOST_TEST(searcher.search(r).facets.empty());
}

BOOST_AUTO_TEST_CASE(suggest_proposes_words_and_titles_that_start_with_the_text) {
    const std::vector<kb::Suggestion> s = searcher.suggest("jum", 5);
    BOOST_TEST(!s.empty());
    BOOST_TEST(s.size() <= 5u);
    for (const kb::Suggestion& one : s)
        BOOST_TEST(kb::Analyzer().fold_phrase(one.text).rfind("jum", 0) == 0);
    BOOST_TEST(searcher.suggest("", 5).empty());
}

BOOST_AUTO_TEST_CASE(similar_documents_share_the_topic_and_leave_the_document_out) {
    for (kb::SimilarMethod method :
         {kb::SimilarMethod::Terms, kb::SimilarMethod::Vectors, kb::SimilarMethod::Hybrid}) {
        const kb::SearchResult r = searcher.similar("eau/0", 5, method);
        BOOST_TEST(r.hits.size() == 5u);
        BOOST_TEST(all_start_with(r, "eau/"));
        const std::vector<std::string> found = ids(r);
        BOOST_TEST((std::find(found.begin(), found.end(), "eau/0") == found.end()));
    }
    BOOST_CHECK_THROW(searcher.similar("nope", 5), kb::Error);
}

BOOST_AUTO_TEST_CASE(documents_are_looked_up_by_id) {
    BOOST_TEST(searcher.document_count() == Xapian::doccount(kRecords));
    const std::optional<kb::Record> r = searcher.document("eau/2");
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(r->title == "Projet d'eau 2");
    BOOST_TEST(!searcher.document("nope").has_value());
    BOOST_TEST(searcher.duplicates_of("eau/2").empty());
    BOOST_TEST(searcher.knows(kb::Facet::Country, "SN"));
    BOOST_TEST(!searcher.knows(kb::Facet::Country, "FR"));
    BOOST_TEST(!searcher.last_commit().empty());
}

BOOST_AUTO_TEST_CASE(the_cache_key_tells_requests_apart) {
    const kb::SearchRequest base = request("forage");
    kb::SearchRequest page = base, filtered = base, sorted = base, semantic = base;
    page.page = 2;
    filtered.filters.include[kb::Facet::Country] = {"SN"};
    sorted.sort = kb::SortOrder::DateNewest;
    semantic.mode = kb::SearchMode::Semantic;
    const std::optional<std::string> key = searcher.cache_key(base);
    BOOST_REQUIRE(key.has_value());
    BOOST_TEST(*key == *searcher.cache_key(base));
    for (const kb::SearchRequest& other : {page, filtered, sorted})
        BOOST_TEST(*key != *searcher.cache_key(other));
    // Vector modes are never cached: their vectors follow writes on their own.
    BOOST_TEST(!searcher.cache_key(semantic).has_value());
    kb::RankingParams scoring;
    scoring.k1 = 1.2;
    searcher.set_scoring(scoring);
    BOOST_TEST(*key != *searcher.cache_key(base));
}

BOOST_AUTO_TEST_CASE(semantic_search_finds_the_topic) {
    kb::SearchRequest r = request("forage");
    r.mode = kb::SearchMode::Semantic;
    BOOST_TEST(searcher.vector_status() == "ready");
    const kb::SearchResult s = searcher.search(r);
    BOOST_TEST(s.search_mode == kb::SearchMode::Semantic);
    BOOST_TEST(s.hits.size() == 10u);
    BOOST_TEST(all_start_with(s, "eau/"));
    BOOST_TEST(!s.total_exact);
    // Relevance is the cosine similarity, in [0, 1] and falling with the rank.
    for (std::size_t i = 0; i < s.hits.size(); ++i) {
        BOOST_TEST(s.hits[i].relevance > 0.0);
        BOOST_TEST(s.hits[i].relevance <= 1.0);
        if (i > 0)
            BOOST_TEST(s.hits[i].relevance <= s.hits[i - 1].relevance);
    }
}

// Hybrid RRF is, to the digit, the fusion of the lexical and the semantic rankings a caller
// gets from the same searcher (depth 100 each): Σ weight / (rrf_k + rank), ties kept in
// lexical-then-vector order.
BOOST_AUTO_TEST_CASE(hybrid_rrf_fuses_the_lexical_and_semantic_rankings) {
    const unsigned depth = searcher.ranking().depth;
    kb::SearchRequest lexical = request("forage puits", depth);
    kb::SearchRequest semantic = lexical;
    semantic.mode = kb::SearchMode::Semantic;
    kb::SearchRequest hybrid = request("forage puits", 10);
    hybrid.mode = kb::SearchMode::Hybrid;
    hybrid.fusion = kb::Fusion::Rrf;
    hybrid.vector_weight = 0.5;
    hybrid.explain = true;

    const double k = searcher.ranking().rrf_k;
    std::vector<std::string> order;
    std::map<std::string, double> fused;
    for (const kb::SearchRequest* list : {&lexical, &semantic}) {
        const kb::SearchResult r = searcher.search(*list);
        for (std::size_t i = 0; i < r.hits.size(); ++i) {
            if (!fused.count(r.hits[i].id))
                order.push_back(r.hits[i].id);
            fused[r.hits[i].id] += 0.5 / (k + double(i + 1));
        }
    }
    std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
        return fused[a] > fused[b];
    });
    order.resize(10);

    const kb::SearchResult h = searcher.search(hybrid);
    BOOST_TEST(h.search_mode == kb::SearchMode::Hybrid);
    BOOST_TEST(ids(h) == order, boost::test_tools::per_element());
    for (const kb::Hit& hit : h.hits) {
        BOOST_REQUIRE(hit.ranking.has_value());
        BOOST_TEST(hit.score == fused[hit.id], boost::test_tools::tolerance(1e-12));
        BOOST_TEST(!hit.snippet.empty());
        // Over the best score RRF gives: first in both rankings.
        BOOST_TEST(hit.relevance == hit.score * (k + 1), boost::test_tools::tolerance(1e-12));
        BOOST_TEST(hit.relevance <= 1.0);
    }
}

// The result carries the terms its snippets mark, so that a caller marks other fields alike
// (the Meilisearch layer's titles) without parsing the query again: those of the query
// searched, the correction's when the hits are for it, in every mode.
BOOST_AUTO_TEST_CASE(the_result_carries_the_terms_its_snippets_mark) {
    const kb::Analyzer analyzer;
    const kb::SearchResult words = searcher.search(request("forages jumel*"));
    BOOST_TEST(words.highlight.words.count("forages") == 1u);
    BOOST_TEST(words.highlight.stems.count(analyzer.stem("forages")) == 1u);
    BOOST_TEST(words.highlight.prefixes == std::vector<std::string>{"jumel"});

    const kb::SearchResult corrected = searcher.search(request("forrage"));
    BOOST_REQUIRE(corrected.corrected);
    BOOST_TEST(corrected.did_you_mean == "forage");
    BOOST_TEST(corrected.highlight.words == std::set<std::string>{"forage"});
    BOOST_TEST(corrected.hits.front().snippet.find("<mark>forage</mark>") != std::string::npos);

    for (kb::SearchMode mode : {kb::SearchMode::Semantic, kb::SearchMode::Hybrid}) {
        kb::SearchRequest r = request("forage");
        r.mode = mode;
        BOOST_TEST(searcher.search(r).highlight.words == std::set<std::string>{"forage"});
    }
    BOOST_TEST(searcher.search(request("")).highlight.empty());
}

BOOST_AUTO_TEST_SUITE_END()
