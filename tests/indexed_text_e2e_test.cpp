#define BOOST_TEST_MODULE indexed_text_e2e
// What kb-indexer makes of files, as the real kb-search-server shows it: text typeset the way
// French publishers do it (narrow no-break, no-break, thin and figure spaces before : ; ! ? »,
// inside « guillemets » and between digit groups) is found word by word and number by number
// through /search, and /documents/{id} says where a record came from relative to the folder
// indexed, never where the indexing machine kept the file.
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cpprest/uri_builder.h>

#include <filesystem>
#include <ostream>
#include <regex>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;
using web::http::methods;

#define NBSP "\u00A0"
#define NNBSP "\u202F"
#define THINSP "\u2009"
#define FIGSP "\u2007"

namespace {

// A Markdown page and a JSON Lines file typeset with French typographic spaces.
const char* const kMarkdown =
    "---\n"
    "title: «" NNBSP "Villes moyennes" NNBSP "»" NNBSP ": un guide\n"
    "date: 2024-07-14\n"
    "---\n"
    "Comment se «" NNBSP "démarquer" NNBSP "»" NNBSP "? La question revient" NBSP ";\n"
    "elle touche au rayonnement" NNBSP "! Quelle attractivité" THINSP "? Voir la page" NNBSP
    "12.\n\n"
    "Réunion du 14" NNBSP "juillet" NNBSP "2024" NNBSP ": 4" NNBSP "700" NNBSP
    "collectivités, 12" NBSP "000" NBSP "€ de budget, 1" THINSP "500 habitants, 3,5" NBSP
    "% de hausse, 8" FIGSP "150 partenaires.\n";

const char* const kJsonl =
    "{\"id\": \"budget/2024\", \"title\": \"Budget 2024\", \"text\": \"Un total de 12" NNBSP
    "000,50" NBSP "€" NNBSP "; la jumelothèque" NNBSP ": ouverte.\"}\n"
    "{\"id\": \"budget/2025\", \"title\": \"Budget 2025\", \"text\": \"Rien à signaler.\", "
    "\"source_file\": \"export-comptable.csv\"}\n";

const char* const kKey = "typo-test-key-4b1d";

/// corpus/ with those files, indexed from its absolute path, and served.
struct Typeset {
    kb::test::TempDir dir;
    fs::path corpus = dir.path() / "corpus";
    std::string index = (dir.path() / "index").string();
    std::unique_ptr<kb::test::ServerProcess> server;

    Typeset() {
        kb::test::write_file(corpus / "guides/villes-moyennes.md", kMarkdown);
        kb::test::write_file(corpus / "budgets.jsonl", kJsonl);
        kb::test::write_file(corpus / "notes/compte-rendu.txt",
                             "Compte rendu\n\nLa séance est ouverte" NNBSP ".");
        BOOST_TEST_REQUIRE(kb::test::run_indexer(index, {corpus.string()}) == 0);
        const fs::path config = dir.path() / "server.properties";
        kb::test::write_file(config, std::string("api.keys = ") + kKey + "\n");
        server = std::make_unique<kb::test::ServerProcess>(
            index, std::vector<std::string>{"--config", config.string()});
    }
};

Typeset& typeset() {
    static Typeset instance;
    return instance;
}

kb::test::HttpReply get(const std::string& path) {
    return kb::test::http_send(typeset().server->url(), methods::GET, path);
}

// The ids /search returns for a query (no concept expansion: the words as typed).
std::vector<std::string> ids_for(const std::string& query) {
    const auto reply = get("/search?expand=false&size=10&q=" + web::uri::encode_data_string(query));
    BOOST_TEST_REQUIRE(reply.status == 200, reply.body);
    const web::json::value body = reply.json(); // alive for the loop below
    std::vector<std::string> ids;
    for (const auto& hit : body.at("hits").as_array())
        ids.push_back(hit.at("id").as_string());
    return ids;
}

struct Query {
    const char* q;
    std::vector<std::string> ids; ///< the ids it must find, in any order; empty: nothing
    const char* why;
};

std::ostream& operator<<(std::ostream& os, const Query& c) {
    return os << "[" << c.why << "] q=\"" << c.q << "\"";
}

const std::string kGuide = "guides/villes-moyennes.md";

const std::vector<Query> kQueries = {
    {"démarquer", {kGuide}, "inside « » with U+202F"},
    {"«" NNBSP "démarquer" NNBSP "»", {kGuide}, "the query typeset the same way"},
    {"question", {kGuide}, "a word before U+00A0 ;"},
    {"rayonnement", {kGuide}, "a word before U+202F !"},
    {"attractivité", {kGuide}, "a word before U+2009 ?"},
    {"page", {kGuide}, "a word before U+202F and a number"},
    {"villes moyennes", {kGuide}, "title words inside « » with U+202F"},
    {"\"14 juillet 2024\"", {kGuide}, "a date typeset with U+202F, as a phrase"},
    {"juillet", {kGuide}, "a month between U+202F spaces"},
    {"collectivités", {kGuide}, "a word after a U+202F-grouped number"},
    {"4700", {kGuide}, "4 700 with U+202F"},
    {"4 700", {kGuide}, "4 700 with U+202F, queried with a space"},
    {"4" NNBSP "700", {kGuide}, "4 700 with U+202F, queried the same way"},
    {"700", {}, "a grouped number is one term"},
    {"12000", {kGuide}, "12 000 € with U+00A0"},
    {"1500 habitants", {kGuide}, "1 500 with U+2009"},
    {"3,5", {kGuide}, "3,5 before U+00A0 %"},
    {"8150", {kGuide}, "8 150 with U+2007"},
    {"12000,50", {"budget/2024"}, "12 000,50 with U+202F, in JSON Lines"},
    {"12.000,50", {"budget/2024"}, "the same number with dotted groups"},
    {"jumelothèque", {"budget/2024"}, "a word before U+202F :"},
    {"ouverte", {"budget/2024", "notes/compte-rendu.txt"}, "a word before U+202F . and ."},
};

} // namespace

BOOST_AUTO_TEST_SUITE(french_typography)

BOOST_DATA_TEST_CASE(search_finds_words_and_numbers, bdata::make(kQueries), c) {
    std::vector<std::string> got = ids_for(c.q), expected = c.ids;
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    BOOST_TEST(got == expected, c);
}

BOOST_AUTO_TEST_CASE(snippets_mark_the_word_not_its_spaces) {
    const auto reply = get("/search?expand=false&q=d%C3%A9marquer");
    BOOST_TEST_REQUIRE(reply.status == 200);
    const std::string snippet = reply.json().at("hits").as_array().at(0).at("snippet").as_string();
    BOOST_TEST(snippet.find("«" NNBSP "<mark>démarquer</mark>" NNBSP "»") != std::string::npos,
               snippet);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(provenance)

// The folder was indexed from its absolute path under the system's temporary folder; no
// answer about its records names that path.
BOOST_AUTO_TEST_CASE(documents_say_where_they_came_from_relative_to_the_folder) {
    const std::vector<std::pair<std::string, std::string>> expected = {
        {kGuide, kGuide},
        {"budget/2024", "budgets.jsonl"},
        {"budget/2025", "export-comptable.csv"}, // declared by the record itself
        {"notes/compte-rendu.txt", "notes/compte-rendu.txt"}};
    const std::string folder = typeset().dir.path().string();
    for (const auto& [id, source] : expected) {
        const auto reply = get("/documents/" + web::uri::encode_data_string(id));
        BOOST_TEST_REQUIRE(reply.status == 200, id << ": " << reply.body);
        BOOST_TEST(reply.json().at("source_file").as_string() == source, id);
        BOOST_TEST(reply.body.find(folder) == std::string::npos, id << ": " << reply.body);
        BOOST_TEST(reply.body.find("/tmp/") == std::string::npos, id << ": " << reply.body);
        BOOST_TEST(reply.body.find(fs::temp_directory_path().string()) == std::string::npos, id);
    }
    const auto search = get("/search?q=budget&size=10");
    BOOST_TEST(search.body.find(folder) == std::string::npos, search.body);
}

// POST /documents: records that do not say where they came from came from the API, whether
// sent as JSON or as JSON Lines.
BOOST_AUTO_TEST_CASE(records_written_through_the_api_say_api) {
    const std::vector<std::pair<std::string, std::string>> auth = {
        {"Authorization", std::string("Bearer ") + kKey}};
    const auto json = kb::test::http_send(typeset().server->url(), methods::POST, "/documents",
                                          auth, R"({"id":"api/json","text":"Envoyé en JSON."})");
    BOOST_TEST_REQUIRE(json.status == 200, json.body);
    const auto lines = kb::test::http_send(
        typeset().server->url(), methods::POST, "/documents", auth,
        "{\"id\":\"api/lines\",\"text\":\"Envoyé en JSON Lines.\"}\n", "application/x-ndjson");
    BOOST_TEST_REQUIRE(lines.status == 200, lines.body);
    for (const char* id : {"api%2Fjson", "api%2Flines"}) {
        const auto reply = get(std::string("/documents/") + id);
        BOOST_TEST_REQUIRE(reply.status == 200, reply.body);
        BOOST_TEST(reply.json().at("source_file").as_string() == "api", id);
    }
}

// kb-indexer's summary line: how many records were added, replaced and left unchanged.
struct Tally {
    int added = -1, replaced = -1, unchanged = -1;
};

Tally index_again(const std::string& index, const std::string& source) {
    std::string summary;
    BOOST_TEST_REQUIRE(kb::test::run_indexer(index, {source}, &summary) == 0);
    std::smatch m;
    BOOST_TEST_REQUIRE(
        std::regex_search(summary, m,
                          std::regex("(\\d+) added, (\\d+) replaced, (\\d+) unchanged")),
        summary);
    return {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
}

// Re-indexing stays idempotent: the same folder, however its path is spelled, gives the same
// records; a changed file replaces its own records only.
BOOST_AUTO_TEST_CASE(reindexing_the_same_folder_changes_nothing) {
    kb::test::TempDir dir;
    const fs::path corpus = dir.path() / "corpus";
    kb::test::write_file(corpus / "guides/villes-moyennes.md", kMarkdown);
    kb::test::write_file(corpus / "budgets.jsonl", kJsonl);
    const std::string index = (dir.path() / "index").string();

    Tally first = index_again(index, corpus.string());
    BOOST_TEST(first.added == 3);
    Tally second = index_again(index, corpus.string());
    BOOST_TEST((second.added == 0 && second.replaced == 0 && second.unchanged == 3));
    // The same folder through another spelling of its path: the records do not move.
    Tally spelled = index_again(index, (corpus / ".." / "corpus").string());
    BOOST_TEST((spelled.added == 0 && spelled.replaced == 0 && spelled.unchanged == 3));

    kb::test::write_file(corpus / "budgets.jsonl",
                         std::string(kJsonl) + "{\"id\": \"budget/2026\", \"text\": \"Prévu.\"}\n");
    Tally changed = index_again(index, corpus.string());
    BOOST_TEST((changed.added == 1 && changed.replaced == 0 && changed.unchanged == 3));
}

// A file given alone is named by its file name; a folder's files by their path inside it.
BOOST_AUTO_TEST_CASE(a_file_given_alone_is_named_by_its_file_name) {
    kb::test::TempDir dir;
    const fs::path file = dir.path() / "deep" / "folder" / "budgets.jsonl";
    kb::test::write_file(file, kJsonl);
    const std::string index = (dir.path() / "index").string();
    BOOST_TEST_REQUIRE(kb::test::run_indexer(index, {file.string()}) == 0);
    kb::test::ServerProcess server(index);
    const auto reply = kb::test::http_send(server.url(), methods::GET, "/documents/budget%2F2024");
    BOOST_TEST_REQUIRE(reply.status == 200, reply.body);
    BOOST_TEST(reply.json().at("source_file").as_string() == "budgets.jsonl");
    BOOST_TEST(reply.body.find(dir.path().string()) == std::string::npos, reply.body);
}

// Markdown as partners write it: what reaches the index, the snippets and the document view is
// the text without its markup, and a hit in a long study names the section it is in.
BOOST_AUTO_TEST_CASE(markdown_is_read_as_text_and_hits_name_their_section) {
    std::string md = "---\ntitle: Étude\n---\n# Introduction\n\n";
    for (int i = 0; i < 70; ++i)
        md += "Les **villes** agissent avec [leurs partenaires](https://exemple.org). ";
    md += "\n\n## L'eau au *Sahel*\n\n| Pays | Forages |\n|---|---|\n| Mali | 12 |\n\n";
    for (int i = 0; i < 70; ++i)
        md += "Le forage du quartier fournit les familles en eau potable. ";
    md += "\n\nUn chantier à Tombouctou.\n";
    kb::test::TempDir dir;
    kb::test::write_file(dir.path() / "corpus" / "etude.md", md);
    const std::string index = (dir.path() / "index").string();
    BOOST_TEST_REQUIRE(kb::test::run_indexer(index, {(dir.path() / "corpus").string()}) == 0);
    kb::test::ServerProcess server(index);
    const auto doc = kb::test::http_send(server.url(), methods::GET, "/documents/etude.md");
    BOOST_TEST_REQUIRE(doc.status == 200, doc.body);
    const web::json::value record = doc.json();
    const std::string text = record.at("text").as_string();
    for (const char* markup : {"**", "](", "#", "|", "---"})
        BOOST_TEST(text.find(markup) == std::string::npos, markup);
    BOOST_TEST(text.find("Mali ; 12") != std::string::npos);
    const auto& sections = record.at("sections").as_array();
    BOOST_TEST_REQUIRE(sections.size() == 2u);
    BOOST_TEST(sections.at(1).at("heading").as_string() == "L'eau au Sahel");
    BOOST_TEST(sections.at(1).at("level").as_integer() == 2);
    BOOST_TEST(record.at("passages").as_array().at(1).at("heading").as_string() ==
               "L'eau au Sahel");
    const auto found =
        kb::test::http_send(server.url(), methods::GET, "/search?expand=false&q=Tombouctou");
    BOOST_TEST_REQUIRE(found.status == 200, found.body);
    const web::json::value hit = found.json().at("hits").as_array().at(0);
    BOOST_TEST(hit.at("heading").as_string() == "L'eau au Sahel");
    BOOST_TEST(hit.at("snippet").as_string().find("**") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
