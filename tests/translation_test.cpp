// English → French query translation (core/analysis/translation.h): the table loads from the
// glossary and the FreeDict dictionary compiled in, takes the longest phrase first, lets the
// glossary win, tells English from French; a search in English finds a French document through
// a translation weighted below the words typed, says so in its expansions, and translate=false
// or a French query leaves the query as typed.
#define BOOST_TEST_MODULE translation
#include "core/analysis/analyzer.h"
#include "core/analysis/translation.h"
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

std::vector<std::string> terms(const std::string& text) {
    kb::Analyzer analyzer;
    std::vector<std::string> out;
    for (const kb::Token& t : analyzer.tokenize(text))
        if (!t.compound && !t.implied)
            out.push_back(t.term);
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

kb::Searcher& searcher() {
    static Xapian::WritableDatabase db = kb::test::memory_index({
        french_record("fr", "Les subventions des communes",
                      "Le conseil municipal délibère sur une subvention à une ville étrangère."),
        french_record("typed", "Grant", "A note that says grant in English, and subvention."),
        french_record("other", "Le budget", "Le conseil municipal vote le budget."),
    });
    static kb::Searcher instance(db);
    return instance;
}

kb::SearchRequest request(const std::string& q) {
    kb::SearchRequest r;
    r.q = q;
    r.facets = false;
    return r;
}

} // namespace

BOOST_AUTO_TEST_CASE(parse_takes_the_longest_phrase_and_the_glossary_wins) {
    kb::Analyzer analyzer;
    const auto table = kb::TranslationTable::parse(
        "# glossary\nlegal framework\tcadre juridique|base légale\nthe\t-\n"
        "grant\tsubvention\n",
        "legal\tlégal|juridique\nframework\tcadre\ngrant\taccorder|bourse\nthe\tle|la\n",
        "cadre\nlégal\n", analyzer);
    const auto words = terms("the legal framework grant");
    // "the": the glossary's function word, not the dictionary's "le".
    auto m = table.longest(words, 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->entry->function_word);
    // The glossary's phrase before the dictionary's word "legal".
    m = table.longest(words, 1);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->words == 2u);
    BOOST_TEST(m->entry->french.size() == 2u);
    BOOST_TEST(m->entry->french[0] == "cadre juridique");
    // Glossary "grant" → subvention, not the dictionary's senses.
    m = table.longest(words, 3);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->entry->glossary);
    BOOST_TEST(m->entry->french.size() == 1u);
    BOOST_TEST(m->entry->french[0] == "subvention");
    // A word alone falls back to the dictionary.
    m = table.longest(terms("legal"), 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(!m->entry->glossary);
    BOOST_TEST(has(m->entry->french, "juridique"));
    BOOST_TEST(!table.longest(terms("jumelage"), 0).has_value());
}

BOOST_AUTO_TEST_CASE(builtin_table_reads_freedict_and_the_glossary) {
    const auto& table = kb::TranslationTable::builtin();
    BOOST_TEST(table.size() > 5000u); // FreeDict eng-fra 2022: 8,800 headwords
    auto m = table.longest(terms("mayor"), 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(has(m->entry->french, "maire"));
    // A dictionary word (not in the glossary): FreeDict's "cheese" → fromage.
    m = table.longest(terms("cheese"), 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(!m->entry->glossary);
    BOOST_TEST(has(m->entry->french, "fromage"));
    // Its cognate first: FreeDict lists « propriété » before « qualité ».
    m = table.longest(terms("quality"), 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_REQUIRE(!m->entry->french.empty());
    BOOST_TEST(m->entry->french.front() == "qualité");
    // The glossary's phrase, not the dictionary's words.
    m = table.longest(terms("Town twinning"), 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->words == 2u);
    BOOST_TEST(has(m->entry->french, "jumelage"));
    m = table.longest(terms("fire and rescue services abroad"), 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->words == 4u);
    BOOST_TEST(has(m->entry->french, "sdis"));
    // A plural meets the glossary's singular ("fire brigade"), word by word too.
    m = table.longest(terms("fire brigades sent overseas"), 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->words == 2u);
    BOOST_TEST(has(m->entry->french, "sapeurs-pompiers"));
    m = table.longest(terms("working groups"), 0);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->words == 2u);
    BOOST_TEST(table.knows("councils")); // through "council"
    BOOST_TEST(!table.knows("cooperaton"));
}

BOOST_AUTO_TEST_CASE(english_plurals_are_put_in_the_singular) {
    using T = kb::TranslationTable;
    BOOST_TEST(T::singular("councils") == "council");
    BOOST_TEST(T::singular("authorities") == "authority");
    BOOST_TEST(T::singular("taxes") == "tax");
    BOOST_TEST(T::singular("churches") == "church");
    BOOST_TEST(T::singular("addresses") == "address");
    // Words that only look plural stay as they are.
    BOOST_TEST(T::singular("status") == "status");
    BOOST_TEST(T::singular("analysis") == "analysis");
    BOOST_TEST(T::singular("business") == "business");
    BOOST_TEST(T::singular("bus") == "bus");
    BOOST_TEST(T::singular("its") == "its");
}

BOOST_AUTO_TEST_CASE(english_and_french_queries_are_told_apart) {
    const auto& table = kb::TranslationTable::builtin();
    BOOST_TEST(table.looks_english(terms("town twinning")));
    BOOST_TEST(table.looks_english(terms("legal framework of decentralised cooperation")));
    BOOST_TEST(table.looks_english(terms("agreement with a foreign state")));
    BOOST_TEST(!table.looks_english(terms("jumelage des communes")));
    BOOST_TEST(!table.looks_english(terms("pompiers à l'étranger")));
    BOOST_TEST(!table.looks_english(terms("convention avec un État étranger")));
    BOOST_TEST(!table.looks_english(terms("coopération décentralisée")));
    BOOST_TEST(table.looks_english(terms("how many members sit on the commission")));
    // An English phrase is English as a whole, whatever French shares of its words
    // (« coopération », « légal »).
    BOOST_TEST(table.looks_english(terms("decentralised cooperation legal framework")));
    BOOST_TEST(table.looks_english(terms("legal framework")));
    BOOST_TEST(!table.looks_english(terms("base légale de la coopération décentralisée")));
    BOOST_TEST(!table.looks_english(terms("le cadre juridique de l'action extérieure")));
    // French plurals whose singular is an English word stay French.
    BOOST_TEST(!table.looks_english(terms("Procédures civiles simplifiées")));
    BOOST_TEST(!table.looks_english(terms("Exclusions de certains marchés passés")));
    BOOST_TEST(!table.looks_english(terms("Assistants maternels et assistants familiaux")));
}

BOOST_AUTO_TEST_CASE(english_query_reaches_french_document_below_the_words_typed) {
    const auto r = searcher().search(request("grant"));
    BOOST_REQUIRE(r.hits.size() == 2u);
    BOOST_TEST(r.hits[0].id == "typed"); // the word typed weighs more than its translation
    BOOST_TEST(r.hits[1].id == "fr");
    BOOST_TEST(r.query_language == "en");
    BOOST_REQUIRE(r.expansions.size() == 1u);
    BOOST_TEST(r.expansions[0] == "grant \u2192 subvention, aide (traduction)");

    // Function words are no search words: "the" does not make the query miss the document.
    const auto phrase = searcher().search(request("the grants of the municipal council"));
    BOOST_TEST(phrase.total >= 1u);
    BOOST_TEST(phrase.query_language == "en");

    kb::SearchRequest off = request("grant");
    off.translate = false;
    const auto plain = searcher().search(off);
    BOOST_REQUIRE(plain.hits.size() == 1u);
    BOOST_TEST(plain.hits[0].id == "typed");
    BOOST_TEST(plain.expansions.empty());
    off.translate = true;
    off.expand = false; // expand=false turns every expansion off, translations included
    BOOST_TEST(searcher().search(off).hits.size() == 1u);
}

BOOST_AUTO_TEST_CASE(french_query_is_not_translated) {
    kb::SearchRequest on = request("conseil municipal budget");
    kb::SearchRequest off = on;
    off.translate = false;
    const auto a = searcher().search(on), b = searcher().search(off);
    BOOST_TEST(a.query_language == "fr");
    BOOST_TEST(a.expansions == b.expansions);
    BOOST_REQUIRE(a.hits.size() == b.hits.size());
    for (std::size_t i = 0; i < a.hits.size(); ++i)
        BOOST_TEST(a.hits[i].id == b.hits[i].id);
}
