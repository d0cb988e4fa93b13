// General French synonyms (core/data/synonyms_fr.tsv, imported from mythes-fr): the table
// loads, and a search that turns them on finds a document by a synonym, ranked below one with
// the word typed, says so in its expansions and shows the synonym in explain. Off by default.
#define BOOST_TEST_MODULE synonyms
#include "core/analysis/analyzer.h"
#include "core/analysis/synonyms.h"
#include "core/indexing/document_builder.h"
#include "core/record.h"
#include "core/search/searcher.h"
#include "core/search_types.h"
#include "tests/memory_index.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>
#include <xapian.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using kb::test::french_record;

bool has_word(const std::vector<kb::SynonymTable::Synonym>& list, const std::string& word) {
    return std::any_of(list.begin(), list.end(),
                       [&](const kb::SynonymTable::Synonym& s) { return s.word == word; });
}

// Two notes of the same length: one says "subvention", the other its synonym "allocation".
kb::Searcher& searcher() {
    static Xapian::WritableDatabase db = kb::test::memory_index({
        french_record("typed", "Note de la région", "La région verse une subvention au jumelage."),
        french_record("synonym", "Note du département",
                      "Le département verse une allocation au jumelage."),
    });
    static kb::Searcher instance(db);
    return instance;
}

kb::SearchRequest request(const std::string& q) {
    kb::SearchRequest r;
    r.q = q;
    r.facets = false;
    r.explain = true;
    return r;
}

} // namespace

BOOST_AUTO_TEST_CASE(parse_keys_by_stem_and_drops_same_stem_synonyms) {
    kb::Analyzer analyzer;
    const auto table = kb::SynonymTable::parse(
        "# comment\ncoopération\tcollaboration|coopérations|entraide\n", analyzer);
    // The plural finds the entry (same stem); "coopérations" is the word itself, not a synonym.
    const auto& found = table.of(analyzer.stem(analyzer.fold("coopérations")));
    BOOST_TEST(found.size() == 2u);
    BOOST_TEST(has_word(found, "collaboration"));
    BOOST_TEST(has_word(found, "entraide"));
    BOOST_TEST(!has_word(found, "coopérations"));
    BOOST_TEST(table.of(analyzer.stem("jumelage")).empty());
}

BOOST_AUTO_TEST_CASE(builtin_table_has_mythes_entries) {
    kb::Analyzer analyzer;
    const auto& table = kb::SynonymTable::builtin();
    BOOST_TEST(table.size() > 20000u); // 34,000 headwords of mythes-fr 7.5, 22,000 stems
    BOOST_TEST(has_word(table.of(analyzer.stem("subvention")), "allocation"));
}

BOOST_AUTO_TEST_CASE(synonyms_are_off_by_default) {
    const auto r = searcher().search(request("subvention"));
    BOOST_REQUIRE(r.hits.size() == 1u);
    BOOST_TEST(r.hits[0].id == "typed");
    BOOST_TEST(r.expansions.empty());
}

BOOST_AUTO_TEST_CASE(request_turns_synonyms_on_weighted_below_the_typed_word) {
    kb::SearchRequest req = request("subvention");
    req.synonyms = true;
    const auto r = searcher().search(req);
    BOOST_REQUIRE(r.hits.size() == 2u);
    BOOST_TEST(r.hits[0].id == "typed");
    BOOST_TEST(r.hits[1].id == "synonym");
    BOOST_TEST(r.hits[1].score < r.hits[0].score);
    // explain shows the synonym's stem as the term the hit matched, marked as an expansion's.
    const auto& terms = r.hits[1].matched_terms;
    const std::string stem = "via:racine:" + kb::Analyzer().stem("allocation");
    BOOST_TEST((std::find(terms.begin(), terms.end(), stem) != terms.end()));
    BOOST_REQUIRE(r.expansions.size() == 1u);
    BOOST_TEST(r.expansions[0].rfind("subvention \u2192 ", 0) == 0u, r.expansions[0]);
    BOOST_TEST(r.expansions[0].find("allocation") != std::string::npos, r.expansions[0]);
    BOOST_TEST(r.expansions[0].find("synonymes") != std::string::npos, r.expansions[0]);

    // expand=false turns every expansion off, synonyms included.
    req.expand = false;
    BOOST_TEST(searcher().search(req).hits.size() == 1u);
}

BOOST_AUTO_TEST_CASE(searcher_setting_turns_synonyms_on_and_a_request_off) {
    kb::Searcher& s = searcher();
    kb::RankingParams scoring;
    scoring.synonym_weight = 0.2;
    s.set_scoring(scoring);
    BOOST_TEST(s.search(request("subvention")).hits.size() == 2u);
    kb::SearchRequest off = request("subvention");
    off.synonyms = false;
    BOOST_TEST(s.search(off).hits.size() == 1u);
    s.set_scoring(kb::RankingParams{});
}
