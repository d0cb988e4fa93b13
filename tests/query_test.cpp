// The query language on a small in-memory index of real seed sentences (corpus/seeds/*.md):
// phrases, boolean operators, prefixes, fields, year ranges, the default operator, relaxation,
// malformed input and snippets, as a user of the search box sees them.
#define BOOST_TEST_MODULE query
#include "core/analysis/analyzer.h"
#include "core/indexing/document_builder.h"
#include "core/record.h"
#include "core/search/query/query_builder.h"
#include "core/search/searcher.h"
#include "core/search/snippet.h"
#include "core/search_types.h"
#include "tests/memory_index.h"
#include "tests/test_support.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <xapian.h>

#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;

using kb::test::request;
using kb::test::show;

namespace {

kb::Record record(std::string id, std::string title, std::string type, std::string date,
                  std::string text) {
    kb::Record r;
    r.id = std::move(id);
    r.title = std::move(title);
    r.type = std::move(type);
    r.date = std::move(date);
    r.text = std::move(text);
    r.language = "fr";
    return r;
}

// Ids are short names of the seed each record is taken from.
std::vector<kb::Record> records() {
    return {
        record("actu",
               "L’action internationale des villes. Enjeux et perspectives pour les "
               "mandats 2020-2026",
               "actualité", "2020-06-24",
               "Le 24 juin, France urbaine et l’Institut national des études territoriales "
               "(INET), publient une étude intitulée : « L’action internationale des villes ». "
               "Développer dans le cadre de l’AEICT des actions de coopération décentralisée à "
               "plusieurs collectivités françaises, afin de mutualiser les moyens. Parmi les "
               "métropoles les plus actives sont citées : Lyon, Bordeaux, Grenoble, Strasbourg, "
               "Saint-Etienne, Nantes, Rouen."),
        record("ciedel",
               "Les défis à relever à la suite du colloque sur l’internationalisation "
               "des villes et des territoires",
               "colloque", "2021-01-15",
               "Le colloque internationalisation des villes et des territoires des 11 et 12 "
               "décembre a rassemblé 400 inscrits, et plus de 200 participants en simultanée. "
               "Cette affluence démontre – s’il le fallait – que l’international est un réel "
               "sujet d’intérêt pour les élus, agents des collectivités territoriales et de "
               "l’État, les chercheurs et les acteurs des territoires."),
        record("cnfpt",
               "France urbaine et l’INET publient une étude sur l’action internationale "
               "des grandes villes",
               "étude", "2020-09-01",
               "Cette étude vise à mieux comprendre comment les grandes villes et les grandes "
               "intercommunalités françaises vont se positionner à l’international durant ce "
               "mandat. 4 700 collectivités territoriales sont engagées dans une action à "
               "l’international. 10 440 partenariats sont actuellement en cours."),
        record("cuf-programme",
               "Internationalisation, un outil au service de l’attractivité et du rayonnement",
               "programme", "2016-12-12",
               "La coopération décentralisée laisse peu à peu place à l’action extérieure des "
               "collectivités. Ces changements s’accompagnent d’une montée en puissance de "
               "stratégies d’attractivité. Dans les services et pour les élus, cela se traduit "
               "par des actions répondant à la problématique de « comment bien se démarquer ? »"),
        record("cuf-villes-moyennes",
               "Le rayonnement au service de l’attractivité : quelle place pour les villes "
               "moyennes ?",
               "programme", "2017-10-03",
               "Dans le contexte de la réforme administrative liée à la mise en œuvre des lois "
               "Maptam et NOTRe, la nouvelle répartition des compétences a eu un fort impact. "
               "Les dépenses de l’Aide publique au développement (APD) des villes de moins de "
               "100 000 habitants ont baissé. Beaucoup de villes moyennes ont été des cités "
               "pionnières dans la coopération internationale des collectivités."),
        record("jumelages", "Réduire les jumelages", "actualité", "2018",
               "L’étude indique que les collectivités ont tendance à réduire les jumelages, forme "
               "historique de leur coopération internationale, pour des partenariats plus "
               "équilibrés ; leur gestion reste décentralisée."),
        record("html", "Note technique", "note", "2015",
               "Une page mal nettoyée contenait <script>alert(1)</script> au milieu d’une note "
               "sur les jumelages & les partenariats."),
    };
}

// One index for the whole suite: building it is cheap, but sharing it keeps cases short.
kb::Searcher& searcher() {
    static Xapian::WritableDatabase db = kb::test::memory_index(records());
    static kb::Searcher instance(db);
    return instance;
}

// Ranking parameters for one test case (the suite shares one searcher), restored after.
struct ScopedScoring {
    explicit ScopedScoring(const kb::RankingParams& p) { searcher().set_scoring(p); }
    ~ScopedScoring() { searcher().set_scoring(kb::RankingParams{}); }
};

kb::SearchResult search(const std::string& q, unsigned size = 10) {
    return searcher().search(request(q, size));
}

std::set<std::string> ids(const kb::SearchResult& r) {
    std::set<std::string> out;
    for (const kb::Hit& h : r.hits)
        out.insert(h.id);
    return out;
}

// A query and exactly the documents it must return.
struct QueryCase {
    const char* query;
    std::set<std::string> expected;
    const char* why;
    bool expected_failure = false; // known implementation defect, reported and skipped
};

std::ostream& operator<<(std::ostream& os, const QueryCase& c) {
    return os << "[" << c.why << "] q=" << c.query << " expect " << show(c.expected)
              << (c.expected_failure ? " (KNOWN FAILURE)" : "");
}

const std::set<std::string> kAll = {
    "actu", "ciedel", "cnfpt", "cuf-programme", "cuf-villes-moyennes", "jumelages", "html"};

const std::vector<QueryCase> kQueryCases = {
    // Phrases
    {"\"coopération décentralisée\"", {"actu", "cuf-programme"}, "phrase: adjacent words only"},
    {"« coopération décentralisée »", {"actu", "cuf-programme"}, "phrase in guillemets"},
    {"«coopération décentralisée»", {"actu", "cuf-programme"}, "phrase in glued guillemets"},
    {"\"cooperation decentralisee\"", {"actu", "cuf-programme"}, "unaccented phrase"},
    {"\"coopération internationale\"", {"cuf-villes-moyennes", "jumelages"}, "another phrase"},
    {"\"villes moyennes\"", {"cuf-villes-moyennes"}, "phrase in title and text"},
    {"\"mise en oeuvre\"", {"cuf-villes-moyennes"}, "phrase with stopword and ligature"},
    {"\"4 700 collectivités\"", {"cnfpt"}, "phrase with a grouped number"},
    // AND / ET
    {"jumelages AND partenariats", {"jumelages", "html"}, "explicit AND"},
    {"jumelages ET équilibrés", {"jumelages"}, "ET is AND"},
    {"colloque AND Maptam", {}, "AND of words in different documents"},
    // OR / OU
    {"colloque OR Maptam", {"ciedel", "cuf-villes-moyennes"}, "OR"},
    {"colloque OU Maptam", {"ciedel", "cuf-villes-moyennes"}, "OU is OR"},
    {"démarquer OU jumelages OU Maptam",
     {"cuf-programme", "jumelages", "html", "cuf-villes-moyennes"},
     "chained OU"},
    // NOT / SAUF / -term
    {"coopération NOT décentralisée", {"cuf-villes-moyennes"}, "NOT excludes"},
    {"coopération SAUF décentralisée", {"cuf-villes-moyennes"}, "SAUF is NOT"},
    {"coopération -décentralisée", {"cuf-villes-moyennes"}, "-term excludes"},
    {"coopération -\"coopération décentralisée\"",
     {"cuf-villes-moyennes", "jumelages"},
     "-\"phrase\" excludes the phrase only"},
    {"jumelages -script", {"jumelages"}, "-term on a word"},
    // prefix*
    {"coop*",
     {"actu", "cuf-programme", "cuf-villes-moyennes", "jumelages"},
     "prefix finds coopération"},
    {"COOP*", {"actu", "cuf-programme", "cuf-villes-moyennes", "jumelages"}, "upper-case prefix"},
    {"démarq*", {"cuf-programme"}, "accented prefix"},
    {"internationalis*", {"ciedel", "cuf-programme"}, "prefix of a long word"},
    // titre: / title:
    {"titre:défis", {"ciedel"}, "titre: only searches titles"},
    {"title:rayonnement", {"cuf-programme", "cuf-villes-moyennes"}, "title: is titre:"},
    {"titre:\"villes moyennes\"", {"cuf-villes-moyennes"}, "titre: with a quoted phrase"},
    {"titre:jumelages", {"jumelages"}, "titre: ignores words only in the text"},
    {"titre:Maptam", {}, "a word of the text is not in the title"},
    {"titre:defis", {"ciedel"}, "titre: value is folded"},
    // type:
    {"type:étude", {"cnfpt"}, "type: filter"},
    {"type:etude", {"cnfpt"}, "type: value is folded"},
    {"type:programme", {"cuf-programme", "cuf-villes-moyennes"}, "type: programme"},
    {"type:actualité jumelages", {"jumelages"}, "type: with a word"},
    {"coopération type:programme", {"cuf-programme", "cuf-villes-moyennes"}, "word then type:"},
    {"coopération -type:programme", {"actu", "jumelages"}, "negated type:"},
    // annee: / year: / bare ranges
    {"annee:2017", {"cuf-villes-moyennes"}, "annee: one year"},
    {"année:2017", {"cuf-villes-moyennes"}, "année: accented field name"},
    {"year:2016..2020",
     {"cuf-programme", "cuf-villes-moyennes", "actu", "cnfpt", "jumelages"},
     "year: range, inclusive"},
    {"2016..2020",
     {"cuf-programme", "cuf-villes-moyennes", "actu", "cnfpt", "jumelages"},
     "bare range"},
    {"coopération 2016..2017", {"cuf-programme", "cuf-villes-moyennes"}, "word and bare range"},
    {"coopération annee:2020", {"actu"}, "word and annee:"},
    {"annee:1990", {}, "a year with no document"},
};

} // namespace

BOOST_AUTO_TEST_SUITE(query_language)

BOOST_DATA_TEST_CASE(query_returns_exactly, bdata::make(kQueryCases), c) {
    if (kb::test::skipped_as_known_failure(c))
        return;
    const kb::SearchResult r = search(c.query);
    const auto got = ids(r);
    BOOST_TEST((got == c.expected),
               c << " -> got " << show(got) << " (mode " << kb::to_string(r.mode) << ")");
}

BOOST_AUTO_TEST_CASE(short_query_requires_all_terms) {
    // The fixture is six records: every query here has fewer than few_all_terms matches,
    // which would bring partial matches after them (the next case). Off for this one.
    kb::RankingParams all_required;
    all_required.few_all_terms = 0;
    ScopedScoring scoped(all_required);
    // Without concept expansion, all the words are required...
    kb::SearchRequest words_only = request("action internationale villes", 10);
    words_only.expand = false;
    const auto r = searcher().search(words_only);
    BOOST_TEST((r.mode == kb::MatchMode::AllTerms));
    BOOST_TEST((ids(r) == std::set<std::string>{"actu", "cnfpt"}), show(ids(r)));
    // ... with it, "action internationale" names a theme: a document tagged with that theme
    // satisfies it without the exact words.
    const auto widened = search("action internationale villes");
    BOOST_TEST((widened.mode == kb::MatchMode::AllTerms));
    BOOST_TEST(ids(widened).count("actu"));
    BOOST_TEST(ids(widened).count("cnfpt"));
    BOOST_TEST(widened.expansions.size() == 1u);

    // Four content words (stopwords do not count) still require all.
    const auto four = search("les cités pionnières de la coopération des villes");
    BOOST_TEST((four.mode == kb::MatchMode::AllTerms));
    BOOST_TEST((ids(four) == std::set<std::string>{"cuf-villes-moyennes"}), show(ids(four)));
}

// Fewer records than few_all_terms have every word: records with some of the words are
// ranked too ("few_all_terms", all_terms_total says how many have them all).
BOOST_AUTO_TEST_CASE(few_every_word_matches_bring_partial_matches) {
    kb::RankingParams ten;
    ten.few_all_terms = 10;
    ScopedScoring scoped_ten(ten);
    kb::SearchRequest words_only = request("action internationale villes", 10);
    words_only.expand = false;
    const auto r = searcher().search(words_only);
    BOOST_TEST((r.mode == kb::MatchMode::FewAllTerms));
    BOOST_TEST(r.all_terms_total == 2u);
    BOOST_TEST(r.hits.size() > 2u);
    BOOST_TEST(ids(r).count("actu"));
    BOOST_TEST(ids(r).count("cnfpt"));
    // With the threshold at 2, two records are enough: every word required again.
    kb::RankingParams two;
    two.few_all_terms = 2;
    searcher().set_scoring(two);
    const auto required = searcher().search(words_only);
    BOOST_TEST((required.mode == kb::MatchMode::AllTerms));
    BOOST_TEST(required.hits.size() == 2u);
    // Page 2 of a one-per-page search decides alike (the count is exact, not the estimate).
    two.few_all_terms = 3;
    searcher().set_scoring(two);
    kb::SearchRequest second = words_only;
    second.size = 1;
    second.page = 2;
    const auto paged = searcher().search(second);
    BOOST_TEST((paged.mode == kb::MatchMode::FewAllTerms));
    BOOST_TEST(paged.all_terms_total == 2u);
}

BOOST_AUTO_TEST_CASE(long_question_is_ranked_by_matching_terms) {
    const auto r =
        search("quelle place pour les villes moyennes dans la coopération internationale "
               "et l’aide publique au développement des collectivités ?");
    BOOST_TEST((r.mode == kb::MatchMode::AnyTerms));
    BOOST_REQUIRE(!r.hits.empty());
    BOOST_TEST(r.hits.front().id == "cuf-villes-moyennes");
    BOOST_TEST(r.hits.size() > 2u); // any term is enough
}

// Two words naming one concept (« éducation », « enseignements »: éducation-formation) widen it
// once: each keeps its own tag, but the concept's other labels are searched once (issue 19: at
// 100k passages they were most of the slowest questions' time).
BOOST_AUTO_TEST_CASE(a_concept_named_twice_is_widened_once) {
    const kb::Analyzer analyzer;
    auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
            ++n;
        return n;
    };
    const std::string twice =
        kb::parse_query("éducation et enseignements", analyzer).query.get_description();
    BOOST_TEST(count(twice, "XTH:education-formation") == 2u, twice);
    BOOST_TEST(count(twice, "Zecol") == 1u, twice);
    const std::string once = kb::parse_query("éducation", analyzer).query.get_description();
    BOOST_TEST(count(once, "Zecol") == 1u, once);
}

// A French question puts the subject after its verb ("est-elle", "a-t-il"): that is word
// order, not a hyphenated compound, and documents say "Lyon est citée". The verb is searched
// as a word; a compound whose last part only looks like a pronoun stays a compound.
BOOST_AUTO_TEST_CASE(inverted_subject_is_searched_as_its_verb) {
    kb::RankingParams all_required;
    all_required.few_all_terms = 0;
    ScopedScoring scoped(all_required);
    const auto r = search("Lyon est-elle citée ?");
    BOOST_TEST((r.mode == kb::MatchMode::AllTerms), kb::to_string(r.mode));
    BOOST_TEST(ids(r).count("actu"), show(ids(r)));

    const kb::Analyzer analyzer;
    auto terms = [&](const std::string& q) {
        const kb::ParsedQuery p = kb::parse_query(q, analyzer, nullptr, false);
        return std::set<std::string>(p.query.get_terms_begin(), p.query.get_terms_end());
    };
    // The verb stays (here a content word), the euphonic t and the pronoun go, and so does
    // the joined form.
    const auto inverted = terms("Nantes existe-t-elle encore");
    BOOST_TEST(inverted.count("Z" + analyzer.stem("existe")), show(inverted));
    BOOST_TEST(!inverted.count("elle"), show(inverted));
    BOOST_TEST(!inverted.count("t"), show(inverted));
    BOOST_TEST(!inverted.count("Zexistetelle"), show(inverted));
    // "vous" is not taken for an inverted subject: "rendez-vous" is a noun.
    const auto noun = terms("rendez-vous");
    BOOST_TEST(noun.count("vous"), show(noun));
    BOOST_TEST(noun.count("Zrendezvous"), show(noun));
}

BOOST_AUTO_TEST_CASE(short_query_relaxes_when_a_word_is_unknown) {
    const auto r = search("jumelages xylophone");
    BOOST_TEST((r.mode == kb::MatchMode::RelaxedAnyTerms));
    BOOST_TEST((ids(r) == std::set<std::string>{"jumelages", "html"}), show(ids(r)));

    // A single unknown word has nothing to relax to.
    const auto none = search("xylophone");
    BOOST_TEST(none.hits.empty());
    BOOST_TEST((none.mode != kb::MatchMode::RelaxedAnyTerms));
}

BOOST_AUTO_TEST_CASE(any_word_setting_ranks_short_queries_by_any_word) {
    // max_all_terms_words = 0 (the setting eval/README.md measured): "jumelages xylophone"
    // has no document with both words; the one with "jumelages" in its title and text comes
    // first, without a relaxation step.
    kb::RankingParams any_word;
    any_word.max_all_terms_words = 0;
    any_word.exact_boost = 2;
    ScopedScoring scoring(any_word);
    const auto r = search("jumelages xylophone");
    BOOST_TEST((r.mode == kb::MatchMode::AnyTerms));
    BOOST_TEST((ids(r) == std::set<std::string>{"jumelages", "html"}), show(ids(r)));
    BOOST_REQUIRE(!r.hits.empty());
    BOOST_TEST(r.hits.front().id == "jumelages");
    // A document with every word still ranks above those with some of them.
    const auto both = search("jumelages partenariats équilibrés");
    BOOST_REQUIRE(!both.hits.empty());
    BOOST_TEST(both.hits.front().id == "jumelages");
}

BOOST_AUTO_TEST_CASE(empty_query_browses_every_document) {
    for (const char* q : {"", "   "}) {
        const auto r = search(q);
        BOOST_TEST((r.mode == kb::MatchMode::Browse), "q=\"" << q << "\"");
        BOOST_TEST((ids(r) == kAll), "q=\"" << q << "\" got " << show(ids(r)));
        BOOST_TEST(r.total == kAll.size());
    }
    // Browse lists the newest first.
    const auto r = search("");
    BOOST_REQUIRE(!r.hits.empty());
    BOOST_TEST(r.hits.front().id == "ciedel");
}

// Malformed syntax never throws; it degrades to plain words or to browsing.
struct MalformedCase {
    const char* query;
    const char* why;
    const char* must_find; // a document the degraded query still finds, or nullptr
};

std::ostream& operator<<(std::ostream& os, const MalformedCase& c) {
    return os << "[" << c.why << "] q=" << c.query;
}

const std::vector<MalformedCase> kMalformed = {
    {"\"coopération décentralisée", "unbalanced quote reads as words", "cuf-programme"},
    {"coopération décentralisée\"", "closing quote only", "cuf-programme"},
    {"« coopération décentralisée", "unbalanced guillemet", "cuf-programme"},
    {"AND", "lone AND", nullptr},
    {"OR", "lone OR", nullptr},
    {"NOT", "lone NOT", nullptr},
    {"ET OU SAUF", "only operators", nullptr},
    {"jumelages AND", "trailing AND", "jumelages"},
    {"OR jumelages", "leading OR", "jumelages"},
    {"NOT jumelages", "leading NOT", nullptr},
    {"-", "lone -", nullptr},
    {"- jumelages", "- followed by space", "jumelages"},
    {"--jumelages", "double minus", nullptr},
    {"titre:", "titre: without a value", nullptr},
    {"titre: jumelages", "titre: then a space", "jumelages"},
    {"type:", "type: without a value", nullptr},
    {"annee:bientôt", "annee: with a non-year", nullptr},
    {"year:2020..2016", "reversed range", nullptr},
    {"foo:bar", "unknown field", nullptr},
    {"foo:jumelages", "unknown field name before a word", nullptr},
    {"***", "only stars", nullptr},
    {"*", "one star", nullptr},
    {"a*", "one-letter prefix", nullptr},
    {"\"\"", "empty phrase", nullptr},
    {"« »", "empty guillemets", nullptr},
    {"((coopération", "parentheses", "cuf-programme"},
    {"\xC3\x28 coopération", "invalid UTF-8", "cuf-programme"},
    {"2016..", "half range", nullptr},
    {"..", "dots only", nullptr},
};

BOOST_DATA_TEST_CASE(malformed_queries_degrade, bdata::make(kMalformed), c) {
    kb::SearchResult r;
    BOOST_REQUIRE_NO_THROW(r = search(c.query));
    if (c.must_find) {
        BOOST_TEST(ids(r).count(c.must_find) == 1u, c << " -> got " << show(ids(r)));
    }
}

BOOST_AUTO_TEST_CASE(lone_operators_browse) {
    for (const char* q : {"AND", "-", "titre:"}) {
        const auto r = search(q);
        BOOST_TEST((r.mode == kb::MatchMode::Browse), q << " -> " << kb::to_string(r.mode));
        BOOST_TEST((ids(r) == kAll), q << " -> " << show(ids(r)));
    }
}

BOOST_AUTO_TEST_CASE(snippet_marks_the_original_accented_word) {
    const auto r = search("cooperation decentralisee");
    BOOST_REQUIRE(!r.hits.empty());
    bool found = false;
    for (const auto& h : r.hits)
        if (h.id == "cuf-programme") {
            found = true;
            BOOST_TEST(h.snippet.find("<mark>coopération</mark>") != std::string::npos, h.snippet);
            BOOST_TEST(h.snippet.find("<mark>décentralisée</mark>") != std::string::npos,
                       h.snippet);
        }
    BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(snippet_marks_stems_and_prefixes) {
    const auto stem = search("ville moyenne");
    BOOST_REQUIRE(!stem.hits.empty());
    BOOST_TEST(stem.hits.front().snippet.find("<mark>villes</mark>") != std::string::npos,
               stem.hits.front().snippet);

    const auto prefix = search("démarq*");
    BOOST_REQUIRE_EQUAL(prefix.hits.size(), 1u);
    BOOST_TEST(prefix.hits.front().snippet.find("<mark>démarquer</mark>") != std::string::npos,
               prefix.hits.front().snippet);
}

// Issue 23 #4: a word longer than the snippet (a base64 blob) is a window of its own; the
// window search used to run past the end of the tokens (bad_alloc, a 500 for every search
// showing the record).
BOOST_AUTO_TEST_CASE(snippet_of_a_word_longer_than_the_snippet) {
    std::string blob;
    while (blob.size() < 1500)
        blob += "QUJDREVGR0hJSktMTU5PUA";
    const std::string text = "Avant la pièce jointe " + blob + " et après, la coopération.";
    kb::Analyzer analyzer;
    kb::HighlightTerms highlight;
    for (const kb::Token& t : analyzer.tokenize(blob + " coopération"))
        highlight.words.insert(t.term);
    const std::string s = kb::make_snippet(text, highlight, analyzer, 320, "<mark>", "</mark>");
    BOOST_TEST(s.find("<mark>") != std::string::npos, s.substr(0, 200));
    BOOST_TEST(s.size() < text.size() + 100);
}

BOOST_AUTO_TEST_CASE(snippet_escapes_html) {
    const auto r = search("alert");
    BOOST_REQUIRE_EQUAL(r.hits.size(), 1u);
    const std::string& s = r.hits.front().snippet;
    BOOST_TEST(s.find("&lt;script&gt;") != std::string::npos, s);
    BOOST_TEST(s.find("<script>") == std::string::npos, s);
    BOOST_TEST(s.find("&amp;") != std::string::npos, s);

    const auto marked = search("jumelages partenariats");
    for (const auto& h : marked.hits) {
        BOOST_TEST(h.snippet.find("<script>") == std::string::npos, h.snippet);
        // The only markup a snippet carries is <mark>.
        std::string rest = h.snippet;
        for (const char* tag : {"<mark>", "</mark>"})
            for (auto p = rest.find(tag); p != std::string::npos; p = rest.find(tag))
                rest.erase(p, std::string(tag).size());
        BOOST_TEST(rest.find('<') == std::string::npos, h.snippet);
    }
}

BOOST_AUTO_TEST_CASE(hits_carry_the_record_fields) {
    const auto r = search("type:étude");
    BOOST_REQUIRE_EQUAL(r.hits.size(), 1u);
    BOOST_TEST(r.hits.front().type == "étude");
    BOOST_TEST(r.hits.front().date == "2020-09-01");
    BOOST_TEST(r.hits.front().title.find("France urbaine") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
