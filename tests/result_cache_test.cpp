#define BOOST_TEST_MODULE result_cache
#include "core/indexing/index_writer.h"
#include "core/search/result_cache.h"
#include "core/search/searcher.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <set>

namespace {

kb::Record record(const std::string& id, const std::string& text) {
    return kb::test::make_record(id, text, "2019-05-02", "étude");
}

kb::SearchResult page_with(const std::string& query, std::size_t snippet_bytes) {
    kb::SearchResult r;
    r.query = query;
    kb::Hit h;
    h.id = "doc";
    h.snippet.assign(snippet_bytes, 'x');
    r.hits.push_back(h);
    return r;
}

// An index of three records, and a searcher with a cache on it.
struct Fixture {
    Fixture() : path((dir.path() / "index").string()) {
        kb::IndexWriter w(path);
        w.write(record("a", "La coopération décentralisée avec le Sénégal et le Mali."));
        w.write(record("b", "Un jumelage franco-allemand, coopération culturelle."));
        w.write(record("c", "Attractivité internationale des métropoles françaises."));
        w.commit();
        worker = searcher();
    }
    /// A searcher of the index answering from the fixture's cache (a worker of the server).
    std::unique_ptr<kb::Searcher> searcher() const {
        auto s = std::make_unique<kb::Searcher>(path);
        s->set_result_cache(cache);
        return s;
    }
    kb::test::TempDir dir;
    std::string path;
    std::shared_ptr<kb::ResultCache> cache = std::make_shared<kb::ResultCache>(1 << 20);
    std::unique_ptr<kb::Searcher> worker; ///< searcher(), opened on the new index
};

std::set<std::string> ids(const kb::SearchResult& r) {
    std::set<std::string> out;
    for (const kb::Hit& h : r.hits)
        out.insert(h.id);
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(cache_keeps_the_most_recently_used_pages_within_its_budget) {
    const std::size_t one = kb::ResultCache::footprint("k0", page_with("q", 1000));
    kb::ResultCache cache(one * 8 + one / 2); // room for 8 such pages
    for (int i = 0; i < 8; ++i)
        cache.insert("k" + std::to_string(i), page_with("q", 1000));
    BOOST_TEST(cache.stats().entries == 8u);
    BOOST_TEST(cache.find("k0").has_value()); // k0 is now the most recently used
    cache.insert("k8", page_with("q", 1000)); // evicts k1, the least recently used
    BOOST_TEST(cache.find("k0").has_value());
    BOOST_TEST(!cache.find("k1").has_value());
    BOOST_TEST(cache.find("k8").has_value());
    const kb::ResultCache::Stats s = cache.stats();
    BOOST_TEST(s.entries == 8u);
    BOOST_TEST(s.evictions == 1u);
    BOOST_TEST(s.bytes <= s.max_bytes);
    BOOST_TEST(s.hits == 3u);
    BOOST_TEST(s.misses == 1u);
}

BOOST_AUTO_TEST_CASE(cache_refuses_pages_larger_than_an_eighth_of_its_budget) {
    kb::ResultCache cache(80000);
    cache.insert("big", page_with("q", 20000));
    BOOST_TEST(!cache.find("big").has_value());
    kb::ResultCache none(0);
    none.insert("small", page_with("q", 10));
    BOOST_TEST(!none.find("small").has_value());
}

BOOST_FIXTURE_TEST_CASE(a_repeated_search_is_answered_from_the_cache_unchanged, Fixture) {
    kb::Searcher& s = *worker;
    kb::SearchRequest q;
    q.q = "coopération";
    const kb::SearchResult first = s.search(q);
    BOOST_TEST(!first.cached);
    BOOST_TEST(first.total == 2u);
    const kb::SearchResult second = s.search(q);
    BOOST_TEST(second.cached);
    BOOST_TEST(second.total == first.total);
    BOOST_TEST(second.hits.size() == first.hits.size());
    for (std::size_t i = 0; i < first.hits.size(); ++i) {
        BOOST_TEST(second.hits[i].id == first.hits[i].id);
        BOOST_TEST(second.hits[i].snippet == first.hits[i].snippet);
        BOOST_TEST(second.hits[i].score == first.hits[i].score);
    }
    BOOST_TEST(second.facets.size() == first.facets.size());
    // Another searcher sharing the cache (another worker of the server) gets the page too.
    BOOST_TEST(searcher()->search(q).cached);
}

BOOST_FIXTURE_TEST_CASE(every_request_field_that_changes_the_page_changes_the_key, Fixture) {
    kb::Searcher& s = *worker;
    kb::SearchRequest base;
    base.q = "coopération";
    std::vector<kb::SearchRequest> variants(13, base);
    variants[0].q = "coopération culturelle";
    variants[1].page = 2;
    variants[2].size = 1;
    variants[3].filters.include[kb::Facet::Country] = {"SN"};
    variants[4].filters.exclude[kb::Facet::Country] = {"SN"};
    variants[5].filters.year_from = 2020;
    variants[6].sort = kb::SortOrder::DateNewest;
    variants[7].facets = false;
    variants[8].explain = true;
    variants[9].collapse_duplicates = false;
    variants[10].expand = false;
    variants[11].highlight_pre = "<b>";
    variants[12].synonyms = true;
    std::set<std::string> keys{*s.cache_key(base)};
    for (const kb::SearchRequest& v : variants) {
        const std::optional<std::string> key = s.cache_key(v);
        BOOST_REQUIRE(key.has_value());
        BOOST_TEST(keys.insert(*key).second, "two requests share the key " << *key);
    }
    // The filtered variant computes its own page instead of reusing the unfiltered one.
    s.search(base);
    const kb::SearchResult filtered = s.search(variants[3]);
    BOOST_TEST(!filtered.cached);
    BOOST_TEST((ids(filtered) == std::set<std::string>{"a"}));
    const kb::SearchResult tagged = s.search(variants[11]);
    BOOST_TEST(!tagged.cached);
    BOOST_TEST(tagged.hits.at(0).snippet.find("<b>") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_commit_is_never_answered_from_older_pages, Fixture) {
    kb::Searcher& s = *worker;
    kb::SearchRequest q;
    q.q = "coopération";
    BOOST_TEST(s.search(q).total == 2u);
    BOOST_TEST(s.search(q).cached);
    {
        kb::IndexWriter w(path);
        w.write(record("d", "Coopération sanitaire entre hôpitaux."));
        w.remove("b");
        w.commit();
    }
    s.refresh();
    const kb::SearchResult after = s.search(q);
    BOOST_TEST(!after.cached);
    BOOST_TEST((ids(after) == std::set<std::string>{"a", "d"}));
    BOOST_TEST(s.search(q).cached);
}

BOOST_FIXTURE_TEST_CASE(vector_modes_and_ranking_changes_are_not_served_stale_pages, Fixture) {
    kb::Searcher& s = *worker;
    kb::SearchRequest q;
    q.q = "coopération";
    q.mode = kb::SearchMode::Semantic;
    BOOST_TEST(!s.cache_key(q).has_value()); // vectors follow writes on their own
    q.mode = kb::SearchMode::Lexical;
    const std::string before = *s.cache_key(q);
    kb::RankingParams scoring = s.scoring();
    scoring.exact_boost = 2;
    s.set_scoring(scoring);
    BOOST_TEST(*s.cache_key(q) != before);
    kb::RankingSettings ranking = s.ranking();
    ranking.default_mode = kb::SearchMode::Hybrid;
    s.set_ranking(ranking);
    q.mode.reset(); // the default is now hybrid: not cached
    BOOST_TEST(!s.cache_key(q).has_value());
}
