// The French analysis chain, tested the way a user notices it: a document is indexed, a query is
// typed, and the document is found or not. Texts come from corpus/seeds/*.md and the raw pages
// in /work/shared/seeds/*.txt (variants are made by changing one thing: case, accent, apostrophe,
// kind of space). Property tests then run the chain over the whole seed corpus and part of the
// CGCT to check that indexing and querying can never drift apart.
#define BOOST_TEST_MODULE analysis
#include "core/analysis/analyzer.h"
#include "core/analysis/word_normalizer.h"
#include "core/indexing/document_builder.h"
#include "core/record.h"
#include "core/search/query/query_builder.h"
#include "core/search/searcher.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <rapidjson/document.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;

namespace {

struct MatchCase {
    const char* text;
    const char* query;
    bool match;
    const char* why;
    // A known defect of the implementation (reported, not fixed here): the case is kept in the
    // table so it is easy to re-enable, but skipped so the suite stays green.
    bool expected_failure = false;
};

std::ostream& operator<<(std::ostream& os, const MatchCase& c) {
    return os << "[" << c.why << "] text=\"" << c.text << "\" query=\"" << c.query << "\" expect "
              << (c.match ? "match" : "no match") << (c.expected_failure ? " (KNOWN FAILURE)" : "");
}

// NBSP and narrow NBSP, spelled out so the table shows which space a case uses.
#define NBSP "\u00A0"
#define NNBSP "\u202F"

const std::vector<MatchCase> kCases = {
    // ---- Accent folding, both directions, both cases ------------------------------------------
    {"La coopération décentralisée laisse peu à peu place à l’action extérieure des collectivités.",
     "cooperation", true, "accent folding: unaccented query finds accented doc"},
    {"La cooperation decentralisee laisse peu a peu place a l'action exterieure des collectivites.",
     "coopération", true, "accent folding: accented query finds unaccented doc"},
    {"La coopération décentralisée laisse peu à peu place à l’action extérieure des collectivités.",
     "COOPERATION DECENTRALISEE", true, "accent folding: upper-case unaccented query"},
    {"Plus de 100 millions d’euros de contribution annuelle à l’aide publique au développement "
     "(APD)",
     "developpement", true, "accent folding: developpement ↔ développement"},
    {"Plus de 100 millions d’euros de contribution annuelle à l’aide publique au développement "
     "(APD)",
     "DÉVELOPPEMENT", true, "case folding: DÉVELOPPEMENT ↔ développement"},
    {"AIDE PUBLIQUE AU DÉVELOPPEMENT", "développement", true,
     "case folding: upper-case accented doc, lower-case accented query"},
    {"AIDE PUBLIQUE AU DEVELOPPEMENT", "Développement", true,
     "upper-case unaccented doc, capitalised accented query"},
    {"Le colloque a rassemblé 400 inscrits, des élus, agents des collectivités et de l’État.",
     "etat", true, "accent folding on a capital: État ↔ etat"},
    {"Le colloque a rassemblé 400 inscrits, des élus, agents des collectivités et de l’Etat.",
     "État", true, "accent folding on a capital: Etat ↔ État"},
    {"CUF : Chroniques géopolitiques : Saison 4 : 6e session d’échange", "geopolitiques", true,
     "accent folding: géopolitiques"},
    {"Les enjeux que nous pensons nécessaires de relever dès aujourd’hui", "necessaires", true,
     "accent folding: nécessaires"},
    {"la création d’un réseau français de l’action internationale par la ville de Grenoble",
     "francais", true, "cedilla folding: français ↔ francais"},
    {"Réunion du groupe-pays Sénégal, le 4 avril 2024", "senegal", true,
     "accent folding on a proper noun"},
    {"incluant Annecy et Chambéry", "CHAMBERY", true,
     "accent folding on a proper noun, upper case"},
    {"La coopération décentralisée laisse peu à peu place à l’action extérieure des collectivités.",
     "cooperations", true, "accent folding then stemming: cooperations ↔ coopération"},
    {"La coopération décentralisée laisse peu à peu place à l’action extérieure des collectivités.",
     "opération", false, "folding does not turn a word into another one"},

    // ---- Ligatures -----------------------------------------------------------------------------
    {"- Œuvrer à développer une dimension internationale dans chaque politique publique locale ;",
     "oeuvrer", true, "ligature Œ → oe"},
    {"- Oeuvrer à développer une dimension internationale dans chaque politique publique locale ;",
     "Œuvrer", true, "ligature in the query: Œuvrer ↔ Oeuvrer"},
    {"- Œuvrer à développer une dimension internationale dans chaque politique publique locale ;",
     "OEUVRER", true, "ligature Œ ↔ upper-case OE"},
    {"dans le contexte de la réforme administrative liée à la mise en œuvre des lois Maptam et "
     "NOTRe",
     "mise en oeuvre", true, "ligature œ inside a phrase-like query"},
    {"dans le contexte de la réforme administrative liée à la mise en oeuvre des lois Maptam et "
     "NOTRe",
     "\"mise en œuvre\"", true, "ligature œ in a phrase query"},
    {"L’intercommunalité au cœur de l’action internationale", "coeur", true, "ligature œ → oe"},
    {"L’intercommunalité au coeur de l’action internationale", "cœur", true,
     "ligature in the query: cœur ↔ coeur"},
    {"un curriculum vitæ des partenariats", "vitae", true, "ligature æ → ae"},
    {"un curriculum vitae des partenariats", "VITÆ", true, "ligature Æ ↔ ae"},

    // ---- Apostrophes and elisions --------------------------------------------------------------
    {"Le rayonnement au service de l’attractivité : quelle place pour les villes moyennes ?",
     "attractivité", true, "elision l’ (U+2019) stripped"},
    {"Le rayonnement au service de l'attractivité : quelle place pour les villes moyennes ?",
     "attractivite", true, "elision l' (ASCII) stripped"},
    {"facteur d‘attractivité et de rayonnement pour le territoire", "attractivité", true,
     "elision d‘ (U+2018, real typo in the CUF page)"},
    {"facteur d\u02BCattractivité et de rayonnement pour le territoire", "attractivite", true,
     "elision dʼ (U+02BC modifier letter apostrophe)"},
    {"facteur d\u2032attractivité et de rayonnement pour le territoire", "attractivite", true,
     "elision d′ (U+2032 prime)"},
    {"des stratégies d'attractivité, émanant de l'accroissement de la compétition",
     "d’attractivité", true, "query with d’ finds doc with d'"},
    {"des stratégies d’attractivité, émanant de l’accroissement de la compétition",
     "d'attractivité", true, "query with d' finds doc with d’"},
    {"L’ACTION INTERNATIONALE DES VILLES", "action", true, "upper-case elision L’ACTION → action"},
    {"L’action internationale des villes", "L'ACTION", true, "upper-case elided query L'ACTION"},
    {"La Journée des collectivités territoriales méditerranéennes en charge de la gestion de l’eau",
     "eau", true, "elision l’eau → eau"},
    {"Si l’ouverture des villes à l’international n’est pas nouvelle", "est", true,
     "elision n’ (n’est → est, a stopword alone still searchable)"},
    {"Cette affluence démontre – s’il le fallait – que l’international est un réel sujet",
     "fallait", true, "elision s’il does not hide its neighbours"},
    {"En effet, c’est un groupe qui a vocation à fonctionner sous une forme ouverte",
     "c'est groupe", true, "elision c’est"},
    {"L’intuition que l’AICT et l’attractivité ne sont pas des stratégies distinctes mais qu’elles "
     "ont un rôle à jouer",
     "elles", true, "elision qu’elles → elles"},
    {"Qu’est-ce que la coopération décentralisée ?", "qu'est-ce coopération", true,
     "Qu’est-ce (elision + hyphen) with ASCII apostrophe in the query"},
    {"Les collectivités pourront être accompagnées jusqu’aux élections de 2026", "aux élections",
     true, "elision jusqu’aux → aux"},
    {"Les collectivités pourront être accompagnées jusqu’aux élections de 2026", "jusqu", false,
     "the elided word itself is not indexed"},
    {"lorsqu’une collectivité s’engage dans une coopération", "une collectivite", true,
     "elision lorsqu’"},
    {"puisqu’il s’agit de mieux comprendre le pourquoi de cette baisse", "agit", true,
     "elisions puisqu’ and s’"},
    {"quoiqu’elle en dise, l’action internationale est devenue une priorité", "priorite", true,
     "elision quoiqu’ does not break the sentence"},
    {"j’ai rencontré les élus ; m’a-t-on dit ; t’en souviens-tu ?", "rencontre", true,
     "elisions j’ m’ t’"},
    {"Une journée consacrée à l’Afrique et aux diasporas", "afrique", true,
     "l’Afrique found by afrique"},
    {"Une journée consacrée à l’Afrique et aux diasporas", "AFRIQUE", true,
     "l’Afrique found by AFRIQUE"},
    {"Une journée consacrée à l’Afrique et aux diasporas", "l’afrique", true,
     "l’Afrique found by l’afrique"},
    {"Quelle place pour l’intercommunalité dans le développement de projets ?", "Intercommunalité",
     true, "elision before a vowel"},
    {"Comment ces villes peuvent-elles mieux utiliser l’aide des réseaux existants ?", "laide",
     false, "an elision is stripped, not glued: l’aide is not laide"},
    {"Une journée consacrée à l’Afrique et aux diasporas", "l′Afrique", true,
     "query with a prime l′ finds l’"},
    {"Une journée consacrée à l'Afrique et aux diasporas", "lʼafrique", true,
     "query with ʼ finds l'"},
    {"Une journée consacrée à l‘Afrique et aux diasporas", "L’AFRIQUE", true,
     "doc with ‘ found by upper-case L’AFRIQUE"},
    {"D’AUTRES COLLECTIVITÉS, TANT À DESTINATION DES ÉLUS QUE DES AGENTS", "autres", true,
     "upper-case elision D’AUTRES"},
    {"Les enjeux que nous pensons nécessaires de relever dès aujourd’hui", "aujourd'hui", true,
     "aujourd’hui is a word, not an elision, with either apostrophe"},
    {"la presqu’île de Crozon", "ile", true, "elision presqu’île → île"},

    // ---- Hyphenated compounds ------------------------------------------------------------------
    {"Lyon, Bordeaux, Grenoble, Strasbourg, Saint-Etienne, Nantes, Rouen.", "saint etienne", true,
     "compound Saint-Etienne found by its words"},
    {"Lyon, Bordeaux, Grenoble, Strasbourg, Saint-Etienne, Nantes, Rouen.", "saint-étienne", true,
     "compound found by the accented compound"},
    {"Lyon, Bordeaux, Grenoble, Strasbourg, Saint-Étienne, Nantes, Rouen.", "Saint-Etienne", true,
     "accented compound found by the unaccented compound"},
    {"Lyon, Bordeaux, Grenoble, Strasbourg, Saint-Étienne, Nantes, Rouen.", "etienne", true,
     "compound found by its second part"},
    {"Lyon, Bordeaux, Grenoble, Strasbourg, Saint-Étienne, Nantes, Rouen.", "saintetienne", true,
     "compound found by its joined form"},
    {"Lyon, Bordeaux, Grenoble, Strasbourg, Saint-Etienne, Nantes, Rouen.", "\"saint etienne\"",
     true, "compound parts are adjacent for phrases"},
    {"Lyon, Bordeaux, Grenoble, Strasbourg, Saint-Etienne, Nantes, Rouen.", "saint-nazaire", false,
     "a compound query needs all of its parts"},
    {"Actualisation 2024 du « Répertoire des partenariats de coopération décentralisée "
     "franco-japonais »",
     "japonais", true, "franco-japonais found by japonais"},
    {"Actualisation 2024 du « Répertoire des partenariats de coopération décentralisée "
     "franco-japonais »",
     "franco japonais", true, "franco-japonais found by its words"},
    {"Ces « pôles urbains de l’espace non-métropolisé » (Kayser, 1969)", "métropolisé", true,
     "non-métropolisé found by métropolisé"},
    {"Ces « pôles urbains de l’espace non-métropolisé » (Kayser, 1969)", "NON-METROPOLISE", true,
     "non-métropolisé found by upper-case unaccented compound"},
    {"élus et techniciens de la Ville de Dijon, de Grenoble-Alpes Métropole", "grenoble alpes",
     true, "Grenoble-Alpes found by grenoble alpes"},
    {"élus et techniciens de la Ville de Dijon, de Grenoble Alpes Métropole", "Grenoble-Alpes",
     true, "Grenoble Alpes found by the compound Grenoble-Alpes"},
    {"Une coopération entre les collectivités de France et des États-Unis", "etats unis", true,
     "États-Unis found by etats unis"},
    {"Une coopération entre les collectivités de France et des Etats-Unis", "États-Unis", true,
     "Etats-Unis found by États-Unis"},
    {"un comité de pilotage composé de représentants de Cités-Unies France", "Cités Unies", true,
     "Cités-Unies found by Cités Unies"},
    {"C’est ce que se proposent de faire Cités Unies France et Villes de France", "cites-unies",
     true, "Cités Unies found by cites-unies"},
    {"Comment ces villes peuvent-elles mieux utiliser l’aide des réseaux existants ?", "peuvent",
     true, "verb-pronoun hyphen: peuvent-elles found by peuvent"},
    {"pour produire un vade-mecum sur le sujet", "vademecum", true, "vade-mecum joined form"},

    // ---- French numbers ------------------------------------------------------------------------
    {"4 700 collectivités territoriales sont engagées dans une action à l’international", "4700",
     true, "number with U+0020 group space = 4700"},
    {"4" NBSP "700 collectivités territoriales sont engagées dans une action à l’international",
     "4700", true, "number with U+00A0 group space = 4700"},
    {"4" NNBSP "700 collectivités territoriales sont engagées dans une action à l’international",
     "4700", true, "number with U+202F group space = 4700"},
    {"4.700 collectivités territoriales sont engagées dans une action à l’international", "4 700",
     true, "4.700 found by 4 700"},
    {"4700 collectivités territoriales sont engagées dans une action à l’international",
     "4" NBSP "700", true, "4700 found by 4 700 with NBSP"},
    {"4 700 collectivités territoriales sont engagées dans une action à l’international",
     "4" NNBSP "700", true, "space kinds are interchangeable: U+0020 doc, U+202F query"},
    {"4" NNBSP "700 collectivités territoriales sont engagées dans une action à l’international",
     "4.700", true, "U+202F doc found by 4.700"},
    {"4 700 collectivités territoriales sont engagées dans une action à l’international", "700",
     false, "a grouped number is one term: 700 alone does not match 4 700"},
    {"4.700 collectivités territoriales sont engagées dans une action à l’international", "4",
     false, "a grouped number is one term: 4 alone does not match 4.700"},
    {"10 440 partenariats sont actuellement en cours", "10.440", true, "10 440 ↔ 10.440"},
    {"10.440 partenariats sont en cours", "10440", true, "10.440 ↔ 10440"},
    {"8 150 collectivités étrangères sont partenaires", "8.150", true, "8 150 ↔ 8.150"},
    {"les dépenses de l’Aide publique au développement (APD) des villes de moins de 100 000 "
     "habitants",
     "100000 habitants", true, "100 000 ↔ 100000"},
    {"les dépenses de l’Aide publique au développement (APD) des villes de moins de 100" NBSP
     "000 habitants",
     "\"100 000 habitants\"", true, "100 000 with NBSP in a phrase"},
    {"les dépenses de l’Aide publique au développement (APD) des villes de moins de 100 000 "
     "habitants",
     "000", false, "the group 000 is not a term of its own"},
    {"Enjeux et perspectives pour les mandats 2020-2026", "2020", true,
     "year range 2020-2026 found by 2020"},
    {"Enjeux et perspectives pour les mandats 2020-2026", "2026", true,
     "year range 2020-2026 found by 2026"},
    {"Enjeux et perspectives pour les mandats 2020-2026", "2019", false,
     "a year outside the period 2020-2026 does not match"},
    {"Enjeux et perspectives pour les mandats 2020-2026", "20202026", false,
     "two years joined by a hyphen are not glued into one number"},
    {"La réunion de lancement du 12 décembre 2016 a produit une feuille de route", "2016", true,
     "a year next to a day number stays a year"},
    {"Le colloque des 11 et 12 décembre a rassemblé 400 inscrits", "400 inscrits", true,
     "small numbers"},

    // ---- Acronym dots --------------------------------------------------------------------------
    {"l’aide publique au développement (A.P.D.) des collectivités territoriales", "APD", true,
     "acronym A.P.D. found by APD"},
    {"l’aide publique au développement (APD) des collectivités territoriales", "A.P.D.", true,
     "acronym APD found by A.P.D."},
    {"l’aide publique au développement (A.P.D) des collectivités territoriales", "apd", true,
     "acronym A.P.D (no final dot) found by apd"},

    // ---- Punctuation never sticks to words -----------------------------------------------------
    {"cela se traduit par des actions répondant à la problématique de « comment bien se "
     "démarquer ? »",
     "démarquer", true, "guillemets and ? with spaces"},
    {"la problématique de «" NBSP "comment bien se démarquer" NBSP "?" NBSP "»", "demarquer", true,
     "guillemets and ? with non-breaking spaces"},
    {"la problématique de «comment bien se démarquer?»", "comment", true,
     "guillemets glued to words"},
    {"Quelles typologies de projets pertinent pour ce type de villes" NBSP "?", "villes", true,
     "NBSP before ? (real CUF page)"},
    {"CUF" NBSP ": Chroniques géopolitiques" NBSP ": Saison 4", "cuf", true, "NBSP before :"},
    {"CUF" NNBSP "; Chroniques géopolitiques" NNBSP "! Saison 4", "chroniques", true,
     "U+202F before ; and !"},
    {"par la ville de Grenoble, incluant Annecy et Chambéry… »", "chambery", true,
     "ellipsis … after a word"},
    {"réseaux régionaux…) les éléments nécessaires", "régionaux", true, "ellipsis and parenthesis"},
    {"Le Directeur « Grenoble Ville Ouverte – Coopérations locales, européennes »", "ouverte", true,
     "en dash – between words"},
    {"Cette affluence démontre—s’il le fallait—que l’international est un réel sujet", "démontre",
     true, "em dash — glued to words"},
    {"Mettre en place un diagnostic de “l’internationalisation” du territoire",
     "internationalisation", true, "curly double quotes and elision"},

    // ---- Stopwords and phrases -----------------------------------------------------------------
    {"La coopération décentralisée laisse peu à peu place à l’action extérieure des collectivités.",
     "la coopération des collectivités", true, "stopwords in a query are ignored"},
    {"Les acteurs concernés sont plus nombreux et diverses", "les acteurs et les nombreux", true,
     "stopwords in a query are ignored (acteurs, nombreux)"},
    {"La coopération décentralisée laisse peu à peu place à l’action extérieure des collectivités.",
     "\"la coopération décentralisée\"", true, "phrase with a leading stopword"},
    {"CHINE : Invitation à un rassemblement des villes d’eau", "\"villes d’eau\"", true,
     "phrase with an elision"},
    {"CHINE : Invitation à un rassemblement des villes d'eau", "\"villes d’eau\"", true,
     "phrase with an elision, other apostrophe"},
    {"CHINE : Invitation à un rassemblement des villes d’eau", "\"villes eau\"", true,
     "phrase: the elided d’ takes no position"},
    {"Face à une urbanisation généralisée, comment valoriser ces territoires",
     "\"à une urbanisation\"", true, "phrase made mostly of stopwords"},
    {"des villes de moins de 100 000 habitants ont baissé au cours de la dernière décennie",
     "\"villes habitants\"", false, "phrase must not match non-adjacent words"},
    {"La coopération internationale et la gestion décentralisée des collectivités",
     "\"coopération décentralisée\"", false, "phrase must not match words apart"},
    {"La décentralisée coopération", "\"coopération décentralisée\"", false,
     "phrase must not match words in the wrong order"},
    {"Le rôle de la ville de Grenoble", "\"le rôle des villes\"", false,
     "phrase stopwords are significant"},

    // ---- Stemming ------------------------------------------------------------------------------
    {"Beaucoup de villes moyennes ont été des cités pionnières", "ville", true, "villes ↔ ville"},
    {"La ville de Grenoble", "villes", true, "ville ↔ villes"},
    {"Les collectivités territoriales françaises", "collectivité", true,
     "collectivités ↔ collectivité"},
    {"La collectivité territoriale", "collectivites", true, "collectivité ↔ collectivites"},
    {"la stratégie internationale globale des collectivités", "international", true,
     "internationale ↔ international"},
    {"un contexte international en recomposition", "internationales", true,
     "international ↔ internationales"},
    {"les partenariats sont en cours", "partenariat", true, "partenariats ↔ partenariat"},
    {"la ville de Grenoble", "\"villes de grenoble\"", false, "phrases are exact words, not stems"},
};

// A first page of ten hits (set field by field: SearchRequest grows new optional fields).
kb::SearchRequest request(const std::string& q, unsigned size = 10) {
    kb::SearchRequest r;
    r.q = q;
    r.page = 1;
    r.size = size;
    return r;
}

// One in-memory index with this text as its only document, searched for the query.
kb::SearchResult search_text(const std::string& text, const std::string& query,
                             const kb::Analyzer& analyzer) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    kb::Record record;
    record.id = "doc";
    record.title = "";
    record.text = text;
    db.add_document(kb::build_document(record, analyzer));
    kb::Searcher searcher(db);
    // Every word of the query must match (the keyword mode), which is what the table checks.
    kb::RankingParams keyword_mode;
    keyword_mode.max_all_terms_words = kb::RankingParams{}.max_all_terms_words;
    searcher.set_scoring(keyword_mode);
    return searcher.search(request(query));
}

const kb::Analyzer& analyzer() {
    static const kb::Analyzer instance;
    return instance;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The seed texts and the first CGCT articles: every text the property tests run over.
std::vector<std::pair<std::string, std::string>> corpus_texts() {
    std::vector<std::pair<std::string, std::string>> texts;
    const std::filesystem::path seeds = std::filesystem::path(KB_SOURCE_DIR) / "corpus" / "seeds";
    for (const auto& entry : std::filesystem::directory_iterator(seeds))
        if (entry.path().extension() == ".md")
            texts.emplace_back(entry.path().filename().string(), read_file(entry.path()));
    BOOST_REQUIRE_GE(texts.size(), 5u);

    std::ifstream jsonl(std::filesystem::path(KB_SOURCE_DIR) / "corpus" / "cgct" /
                        "code-general-des-collectivites-territoriales.jsonl");
    BOOST_REQUIRE(jsonl);
    std::string line;
    for (int n = 0; n < 300 && std::getline(jsonl, line); ++n) {
        rapidjson::Document d;
        d.Parse(line.c_str(), line.size());
        BOOST_REQUIRE_MESSAGE(!d.HasParseError() && d.IsObject(), "cgct line " << n + 1);
        auto it = d.FindMember("text");
        if (it == d.MemberEnd() || !it->value.IsString())
            continue;
        texts.emplace_back("cgct:" + std::to_string(n + 1),
                           std::string(it->value.GetString(), it->value.GetStringLength()));
    }
    BOOST_REQUIRE_GE(texts.size(), 300u);
    return texts;
}

} // namespace

BOOST_AUTO_TEST_SUITE(french_analysis)

BOOST_DATA_TEST_CASE(match_table, bdata::make(kCases), c) {
    if (c.expected_failure) {
        BOOST_TEST_MESSAGE("skipped known failure: " << c);
        return;
    }
    const kb::SearchResult result = search_text(c.text, c.query, analyzer());
    // A relaxed (any-term) answer means the query as typed did not match.
    const bool matched = !result.hits.empty() && result.mode != kb::MatchMode::RelaxedAnyTerms;
    BOOST_TEST(matched == c.match, c << " -> got " << (matched ? "match" : "no match") << " (mode "
                                     << kb::to_string(result.mode) << ", " << result.hits.size()
                                     << " hits)");
}

BOOST_AUTO_TEST_CASE(table_is_large_and_covers_both_directions) {
    std::size_t matches = 0, non_matches = 0, known = 0;
    for (const auto& c : kCases) {
        (c.match ? matches : non_matches)++;
        known += c.expected_failure;
    }
    BOOST_TEST_MESSAGE(kCases.size() << " cases: " << matches << " must match, " << non_matches
                                     << " must not, " << known << " known failures skipped");
    BOOST_TEST(kCases.size() >= 85u);
    BOOST_TEST(non_matches >= 10u);
}

// An exact accented match ranks at least as high as a folded one: the accented form is indexed
// as an extra term, so the query "coopération" scores the accented document higher.
BOOST_AUTO_TEST_CASE(exact_accented_match_ranks_first) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const kb::Analyzer& a = analyzer();
    // Inserted unaccented first, so a tie would list it first and the order proves the ranking.
    kb::Record folded_doc, accented_doc;
    folded_doc.id = "folded";
    folded_doc.text = "La cooperation decentralisee laisse peu a peu place.";
    accented_doc.id = "accented";
    accented_doc.text = "La coopération décentralisée laisse peu à peu place.";
    db.add_document(kb::build_document(folded_doc, a));
    db.add_document(kb::build_document(accented_doc, a));
    kb::Searcher searcher(db);

    const auto accented = searcher.search(request("coopération"));
    BOOST_REQUIRE_EQUAL(accented.hits.size(), 2u);
    BOOST_TEST(accented.hits[0].id == "accented");
    BOOST_TEST(accented.hits[0].score >= accented.hits[1].score);

    // And the unaccented query finds both (folding), neither penalised.
    const auto folded = searcher.search(request("cooperation"));
    BOOST_REQUIRE_EQUAL(folded.hits.size(), 2u);
}

BOOST_AUTO_TEST_CASE(accented_token_keeps_its_accents) {
    const auto tokens = analyzer().tokenize("L’Œuvre de Saint-Étienne");
    BOOST_REQUIRE_GE(tokens.size(), 4u);
    BOOST_TEST(tokens[0].term == "oeuvre");
    BOOST_TEST(tokens[1].term == "de");
    BOOST_TEST(tokens[1].stopword);
    BOOST_TEST(tokens[2].term == "saint");
    BOOST_TEST(tokens[3].term == "etienne");
    BOOST_TEST(tokens[3].accented == "étienne");
    bool has_compound = false;
    for (const auto& t : tokens)
        if (t.compound) {
            has_compound = true;
            BOOST_TEST(t.term == "saintetienne");
            BOOST_TEST(t.position == tokens[2].position);
        }
    BOOST_TEST(has_compound);
}

BOOST_AUTO_TEST_CASE(number_tokens) {
    for (const char* text : {"4 700", "4" NBSP "700", "4" NNBSP "700", "4.700", "4700"}) {
        const auto tokens = analyzer().tokenize(text);
        BOOST_REQUIRE_EQUAL(tokens.size(), 1u);
        BOOST_TEST(tokens[0].term == "4700", text);
        BOOST_TEST((tokens[0].kind == kb::TokenKind::Number), text);
    }
    const auto tokens = analyzer().tokenize("100 000 habitants");
    BOOST_REQUIRE_EQUAL(tokens.size(), 2u);
    BOOST_TEST(tokens[0].term == "100000");
    BOOST_TEST(tokens[1].term == "habitants");
}

BOOST_AUTO_TEST_CASE(stopwords_are_marked_not_dropped) {
    const auto tokens = analyzer().tokenize("la coopération des villes");
    BOOST_REQUIRE_EQUAL(tokens.size(), 4u);
    BOOST_TEST(tokens[0].stopword);
    BOOST_TEST(!tokens[1].stopword);
    BOOST_TEST(tokens[2].stopword);
    BOOST_TEST(!tokens[3].stopword);
    BOOST_TEST(tokens[3].position == 3u);
}

// (1) Normalisation is idempotent on every word of the corpus.
BOOST_AUTO_TEST_CASE(normalize_word_is_idempotent_on_the_corpus) {
    std::size_t checked = 0;
    for (const auto& [name, text] : corpus_texts()) {
        for (const kb::Token& t : analyzer().tokenize(text)) {
            const std::string_view word = std::string_view(text).substr(t.begin, t.end - t.begin);
            const kb::NormalizedWord once = kb::normalize_word(word);
            const kb::NormalizedWord twice = kb::normalize_word(once.folded);
            BOOST_TEST(twice.folded == once.folded, name << ": \"" << word << "\"");
            if (!once.accented.empty()) {
                BOOST_TEST(kb::normalize_word(once.accented).folded == once.folded,
                           name << ": accented \"" << once.accented << "\"");
            }
            ++checked;
        }
    }
    BOOST_TEST_MESSAGE("normalize_word idempotence: " << checked << " words checked");
    BOOST_TEST(checked > 10000u);
}

// (2) The term the indexer writes for a word is the term a query for that word produces.
BOOST_AUTO_TEST_CASE(index_and_query_terms_agree_on_the_corpus) {
    std::size_t checked = 0, skipped = 0, failed = 0;
    for (const auto& [name, text] : corpus_texts()) {
        for (const kb::Token& t : analyzer().tokenize(text)) {
            // Compounds and the years implied by a period ("2023" for "2020-2026") are extra
            // terms spanning several words; their parts are checked one by one.
            if (t.compound || t.implied)
                continue;
            const std::string word(std::string_view(text).substr(t.begin, t.end - t.begin));
            if (t.kind == kb::TokenKind::Number &&
                word.find_first_of(" \xC2\xE2") != std::string::npos) {
                ++skipped; // grouped across spaces: "4 700" is not a single word
                continue;
            }
            std::vector<std::string> alone;
            for (const kb::Token& q : analyzer().tokenize(word))
                if (!q.compound && !q.implied)
                    alone.push_back(q.term);
            const bool same = alone.size() == 1 && alone[0] == t.term;
            if (!same) {
                ++failed;
                std::string got;
                for (const auto& term : alone)
                    got += "[" + term + "]";
                BOOST_TEST(same, name << ": \"" << word << "\" indexed as [" << t.term
                                      << "] but queried as " << got);
            }
            ++checked;
        }
    }
    BOOST_TEST_MESSAGE("index/query agreement: " << checked << " words checked, " << skipped
                                                 << " grouped numbers skipped, " << failed
                                                 << " disagreements");
    BOOST_TEST(checked > 10000u);
}

BOOST_AUTO_TEST_SUITE_END()
