// What a search request adds to the engine's own analysis and matching: the index settings'
// synonyms and stop words (QueryVocabulary, through the same expansion as the acronyms),
// how many words a match needs (WordMatching), the hits' relevance in [0, 1], their facet
// values, and the cache key that tells all of these apart.
#define BOOST_TEST_MODULE vocabulary
#include "core/analysis/analyzer.h"
#include "core/analysis/vocabulary.h"
#include "core/indexing/index_writer.h"
#include "core/record.h"
#include "core/search/searcher.h"
#include "core/search_types.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

using kb::test::french_record;

// On disk, so that the result cache has a revision to key on.
kb::Searcher& searcher() {
    static kb::test::TempDir dir;
    static const std::string path = [] {
        std::string index = (dir.path() / "index").string();
        kb::IndexWriter writer(index);
        for (const kb::Record& r : {
                 french_record("maire", "Le maire de Dakar",
                               "Le maire de Dakar signe un jumelage."),
                 french_record("mairie", "La mairie de Lyon",
                               "La mairie de Lyon ouvre un bureau des relations internationales."),
                 french_record("region", "Une région partenaire",
                               "La région Bretagne finance un jumelage avec le Sénégal."),
                 french_record("forage", "Un forage au Mali", "Un forage d'eau potable au Mali."),
             })
            writer.write(r);
        writer.commit();
        return index;
    }();
    // Four records: with the default few_all_terms every query would rank by any word; these
    // tests check which words a query keeps, so every word is required here.
    static kb::Searcher instance = [] {
        kb::Searcher s(path);
        kb::RankingParams scoring;
        scoring.few_all_terms = 0;
        s.set_scoring(scoring);
        return s;
    }();
    return instance;
}

kb::SearchRequest request(const std::string& q) {
    kb::SearchRequest r;
    r.q = q;
    r.facets = false;
    return r;
}

std::set<std::string> ids(const kb::SearchResult& r) {
    std::set<std::string> out;
    for (const kb::Hit& h : r.hits)
        out.insert(h.id);
    return out;
}

std::shared_ptr<const kb::QueryVocabulary>
vocabulary(const std::map<std::string, std::vector<std::string>>& synonyms,
           const std::vector<std::string>& stop_words = {}) {
    return std::make_shared<const kb::QueryVocabulary>(synonyms, stop_words, kb::Analyzer());
}

} // namespace

BOOST_AUTO_TEST_CASE(a_synonym_widens_its_key_one_way_and_says_so) {
    kb::SearchRequest r = request("Bourgmestre");
    BOOST_TEST(searcher().search(r).hits.empty());
    r.vocabulary = vocabulary({{"Bourgmestre", {"maire", "Bourgmestre"}}});
    const kb::SearchResult widened = searcher().search(r);
    // "maire" and "mairie" share a stem: both notes, not the others.
    BOOST_TEST((ids(widened) == std::set<std::string>{"maire", "mairie"}));
    // Shown as written in the settings; the value equal to its key is left out.
    BOOST_TEST((widened.expansions == std::vector<std::string>{"Bourgmestre \u2192 maire"}));
    // One way: "maire" does not find what "bourgmestre" would.
    kb::SearchRequest back = request("maire");
    back.vocabulary = r.vocabulary;
    BOOST_TEST(searcher().search(back).expansions.empty());
    // expand=false turns it off, as every expansion.
    r.expand = false;
    BOOST_TEST(searcher().search(r).hits.empty());
}

BOOST_AUTO_TEST_CASE(a_phrase_key_expands_as_a_whole_and_keys_fold_accents_and_case) {
    kb::SearchRequest r = request("hôtel de ville");
    r.vocabulary = vocabulary({{"Hotel de Ville", {"mairie"}}});
    const kb::SearchResult found = searcher().search(r);
    BOOST_TEST(ids(found).count("mairie"));
    BOOST_TEST(found.expansions.size() == 1u);
    // Past QueryVocabulary::kMaxKeyWords words a key is never looked up.
    BOOST_TEST(kb::QueryVocabulary::kMaxKeyWords == 6u);
}

BOOST_AUTO_TEST_CASE(added_stop_words_are_dropped_from_the_query) {
    // "jumelage région" needs both words: only the region's note has them.
    BOOST_TEST(
        (ids(searcher().search(request("jumelage région"))) == std::set<std::string>{"region"}));
    kb::SearchRequest r = request("jumelage région");
    r.vocabulary = vocabulary({}, {"Région"});
    BOOST_TEST((ids(searcher().search(r)) == std::set<std::string>{"maire", "region"}));
    // A query of stop words alone still searches them, as with the built-in list.
    kb::SearchRequest alone = request("région");
    alone.vocabulary = r.vocabulary;
    BOOST_TEST((ids(searcher().search(alone)) == std::set<std::string>{"region"}));
}

BOOST_AUTO_TEST_CASE(word_matching_all_never_relaxes_and_any_never_requires) {
    const kb::SearchResult relaxed = searcher().search(request("jumelage xylophone"));
    BOOST_TEST((relaxed.mode == kb::MatchMode::RelaxedAnyTerms));
    BOOST_TEST((ids(relaxed) == std::set<std::string>{"maire", "region"}));

    kb::SearchRequest all = request("jumelage xylophone");
    all.matching = kb::WordMatching::All;
    const kb::SearchResult none = searcher().search(all);
    BOOST_TEST(none.hits.empty());
    BOOST_TEST((none.mode == kb::MatchMode::AllTerms));

    kb::SearchRequest any = request("jumelage xylophone");
    any.matching = kb::WordMatching::Any;
    const kb::SearchResult some = searcher().search(any);
    BOOST_TEST((some.mode == kb::MatchMode::AnyTerms));
    BOOST_TEST((ids(some) == std::set<std::string>{"maire", "region"}));

    // A long question (past max_all_terms_words) needs every word under All.
    kb::SearchRequest long_all = request("maire Dakar signe jumelage ville bureau");
    BOOST_TEST(!searcher().search(long_all).hits.empty());
    long_all.matching = kb::WordMatching::All;
    BOOST_TEST(searcher().search(long_all).hits.empty());
}

BOOST_AUTO_TEST_CASE(relevance_is_between_0_and_1_and_follows_the_ranking) {
    kb::SearchRequest r = request("jumelage Sénégal");
    r.matching = kb::WordMatching::Any;
    const kb::SearchResult found = searcher().search(r);
    BOOST_REQUIRE(found.hits.size() >= 2u);
    BOOST_TEST(found.hits.front().relevance == 1.0);
    for (std::size_t i = 0; i < found.hits.size(); ++i) {
        BOOST_TEST(found.hits[i].relevance > 0.0);
        BOOST_TEST(found.hits[i].relevance <= 1.0);
        if (i > 0)
            BOOST_TEST(found.hits[i].relevance <= found.hits[i - 1].relevance);
    }
    BOOST_TEST(found.hits.back().relevance < 1.0);
    // Browsing ranks nothing: every record is as good a match.
    for (const kb::Hit& h : searcher().search(request("")).hits)
        BOOST_TEST(h.relevance == 1.0);
}

BOOST_AUTO_TEST_CASE(hits_carry_their_facet_values) {
    const kb::SearchResult found = searcher().search(request("forage"));
    BOOST_REQUIRE(found.hits.size() == 1u);
    const auto& facets = found.hits[0].facets;
    BOOST_REQUIRE(facets.count(kb::Facet::Country));
    BOOST_TEST((facets.at(kb::Facet::Country) == std::vector<std::string>{"ML"}));
}

BOOST_AUTO_TEST_CASE(facet_values_are_capped_as_asked) {
    kb::SearchRequest r = request("");
    r.facets = true;
    r.facet_values = 1;
    BOOST_TEST(searcher().search(r).facets.at(kb::Facet::Country).size() == 1u);
    r.facet_values = 0; // every value
    BOOST_TEST(searcher().search(r).facets.at(kb::Facet::Country).size() >= 2u);
}

BOOST_AUTO_TEST_CASE(the_cache_key_tells_vocabularies_and_matching_apart) {
    const kb::SearchRequest base = request("jumelage");
    kb::SearchRequest own = base, other = base, all = base, capped = base;
    own.vocabulary = vocabulary({{"jumelage", {"partenariat"}}});
    // The same words built again are another vocabulary: a miss, never a wrong hit.
    other.vocabulary = vocabulary({{"jumelage", {"partenariat"}}});
    all.matching = kb::WordMatching::All;
    capped.facet_values = 5;
    std::set<std::string> keys;
    for (const kb::SearchRequest& r : {base, own, other, all, capped}) {
        const auto key = searcher().cache_key(r);
        BOOST_REQUIRE(key.has_value());
        keys.insert(*key);
    }
    BOOST_TEST(keys.size() == 5u);
}
