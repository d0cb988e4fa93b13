#define BOOST_TEST_MODULE citation
// Citations a researcher can use as they are (issue 16): the authors and date a publication's
// first lines state, the code an article belongs to, BibTeX that Debian's bibtex reads and
// CSL-JSON (and BibTeX) that pandoc's citeproc renders, and GET/POST /cite over a selection
// through the real indexer and server.
#include "indexer/readers/source_reader.h"
#include "indexer/readers/title_page.h"
#include "search-server/handlers/citation.h"
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"
#include "tests/reader_support.h"
#include "tests/test_support.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace bdata = boost::unit_test::data;
using kb::Record;
using kb::http::CitationFormat;
using kb::http::format_citations;

namespace {

const char* const kStudyId = "cnfpt-france-urbaine-inet-etude-action-internationale-grandes-villes";
const char* const kArticleId = "code-general-des-collectivites-territoriales/L1115-1";
const char* const kCgct =
    KB_SOURCE_DIR "/corpus/cgct/code-general-des-collectivites-territoriales.jsonl";

// The record the bundled corpus gives for one id, read as the indexer reads it.
Record corpus_record(const std::filesystem::path& file, const std::string& id) {
    kb::test::Collected c;
    kb::read_source(file, KB_SOURCE_DIR "/corpus", c.sink());
    for (Record& r : c.records)
        if (r.id == id)
            return r;
    BOOST_FAIL("no record " + id + " in " + file.string());
    return {};
}

// A record with every character BibTeX and LaTeX treat as markup, and a URL.
Record hostile_record() {
    Record r;
    r.id = "tests/eau-&-assainissement";
    r.title =
        "Eau & assainissement : 100 % {solidaire}, coût_total #2 ~ ^ \\ «\u00a0à l’œuvre\u00a0»";
    r.text = "Un texte.";
    r.type = "étude";
    r.publisher = "Ministère de l’Europe & des Affaires étrangères";
    r.date = "2021-06-24";
    r.url = "https://example.org/etude?x=1&y=100%25#partie_2";
    r.metadata["author"] = "Cités Unies France; Agence française de développement (AFD)";
    return r;
}

// A program's exit status and output; "" and -1 when it is not installed.
struct Run {
    int status = -1;
    std::string out;
};

Run run(const std::string& command) {
    Run r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
        r.out.append(buf, n);
    const int status = ::pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

bool have(const char* program) {
    return run(std::string("command -v ") + program + " >/dev/null").status == 0;
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs Debian's bibtex with the plain style over `bib`. Fails the test on any error, and on
// any warning but the `expected` ones ("empty year in KEY" for a record that has none).
void check_with_bibtex(const std::string& bib, const std::vector<std::string>& expected_warnings) {
    if (!have("bibtex") || run("kpsewhich plain.bst").status != 0) {
        BOOST_TEST_MESSAGE("SKIPPED: bibtex or plain.bst is not installed (Debian packages "
                           "texlive-binaries and texlive-base, see scripts/install-deps.sh)");
        return;
    }
    kb::test::TempDir dir;
    kb::test::write_file(dir.path() / "refs.bib", bib);
    kb::test::write_file(dir.path() / "cite.aux",
                         "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n");
    const Run r = run("cd '" + dir.path().string() + "' && bibtex -terse cite");
    const std::string blg = read_text(dir.path() / "cite.blg");
    const std::string bbl = read_text(dir.path() / "cite.bbl");
    BOOST_TEST(r.status < 2, "bibtex failed:\n" << r.out << blg);
    BOOST_TEST(blg.find("error message") == std::string::npos, blg);
    std::istringstream lines(blg);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("Warning--", 0) == 0) {
            const bool expected = std::find(expected_warnings.begin(), expected_warnings.end(),
                                            line.substr(9)) != expected_warnings.end();
            BOOST_TEST(expected, "bibtex: " << line);
        }
    BOOST_TEST(!bbl.empty(), "bibtex wrote no bibliography:\n" << blg);
}

// The bibliography pandoc's citeproc renders from `bibliography` (a .json CSL file or a .bib),
// as plain text; "" when pandoc is not installed (said so).
std::string render_with_pandoc(const std::string& bibliography, const std::string& ext) {
    if (!have("pandoc")) {
        BOOST_TEST_MESSAGE("SKIPPED: pandoc is not installed (Debian package pandoc, see "
                           "scripts/install-deps.sh)");
        return "";
    }
    kb::test::TempDir dir;
    const auto bib = dir.path() / ("refs." + ext);
    kb::test::write_file(bib, bibliography);
    kb::test::write_file(dir.path() / "doc.md", "---\nnocite: '@*'\nlang: fr-FR\n---\n");
    const Run r = run("pandoc --citeproc --bibliography='" + bib.string() +
                      "' -t plain --wrap=none '" + (dir.path() / "doc.md").string() + "'");
    BOOST_TEST(r.status == 0, "pandoc failed:\n" << r.out);
    BOOST_TEST(r.out.find("[WARNING]") == std::string::npos, r.out);
    return r.out;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(title_page)

struct AuthorCase {
    const char* text;
    std::vector<std::string> authors;
};
std::ostream& operator<<(std::ostream& os, const AuthorCase& c) { return os << c.text; }

const AuthorCase kAuthorCases[] = {
    {"France urbaine et l’Institut National des Etudes Territoriales (INET) publient une étude "
     "sur la place de l’action internationale.",
     {"France urbaine", "Institut National des Etudes Territoriales (INET)"}},
    {"Le 24 juin, Cités Unies France, l'AFD et la Ville de Dijon présentent un rapport commun.",
     {"Cités Unies France", "AFD", "Ville de Dijon"}},
    {"Le Ministère de l’Europe et des Affaires étrangères publie un guide de la coopération.",
     {"Ministère de l’Europe et des Affaires étrangères"}},
    {"Titre\n\nAuteurs : Marie Dupont, Jean Martin et Éric Petit\n\nIntroduction",
     {"Marie Dupont", "Jean Martin", "Éric Petit"}},
    {"Synthèse.\nUne étude réalisée par le CIEDEL pour les collectivités du Grand Est.",
     {"CIEDEL"}},
    // No statement of authorship: nothing, rather than a guess.
    {"Elle publie une étude chaque année.", {}},
    {"Les collectivités territoriales peuvent conclure des conventions.", {}},
};

BOOST_DATA_TEST_CASE(the_authors_a_first_page_states, bdata::make(kAuthorCases), c) {
    std::vector<std::string> got = kb::authors_on_title_page(c.text);
    // « l’ » stays in the name it belongs to; the comparison is on the plain apostrophe.
    std::vector<std::string> want;
    for (std::string a : c.authors) {
        for (auto at = a.find("\u2019"); at != std::string::npos; at = a.find("\u2019"))
            a.replace(at, 3, "'");
        want.push_back(a);
    }
    BOOST_TEST(got == want, boost::test_tools::per_element());
}

struct DateCase {
    const char* text;
    const char* date;
};
std::ostream& operator<<(std::ostream& os, const DateCase& c) { return os << c.text; }

const DateCase kDateCases[] = {
    {"Publié le 3 octobre 2017\n\nLe rayonnement au service de l’attractivité", "2017-10-03"},
    {"Cette étude, publiée en juin 2021, propose dix préconisations.", "2021-06"},
    {"L'action internationale des villes\n\nJuin 2021\n\nFrance urbaine", "2021-06"},
    {"Vade-mecum de la coopération décentralisée\nÉdition 2019\n", "2019"},
    {"Rapport annuel\n© France urbaine 2022 – tous droits réservés", "2022"},
    // What the study covers is not when it was published.
    {"Une étude sur l’action des villes durant le mandat 2020-2026.", ""},
    {"En 2014, 4 700 collectivités étaient engagées.", ""},
    {"Article 12\n\n1998 fut une année charnière pour les jumelages.", ""},
};

BOOST_DATA_TEST_CASE(the_publication_date_a_first_page_states, bdata::make(kDateCases), c) {
    BOOST_TEST(kb::date_on_title_page(c.text) == c.date);
}

BOOST_AUTO_TEST_CASE(the_france_urbaine_inet_study_names_its_authors) {
    const Record r =
        corpus_record(KB_SOURCE_DIR "/corpus/seeds/" + std::string(kStudyId) + ".md", kStudyId);
    BOOST_TEST(r.metadata.at("author") ==
               "France urbaine; Institut National des Etudes Territoriales (INET)");
    // Its only years are the 2020-2026 term it studies: no publication date is invented.
    BOOST_TEST(r.date == "");
}

BOOST_AUTO_TEST_CASE(a_source_s_own_fields_win_and_news_items_are_not_publications) {
    Record stated;
    stated.type = "étude";
    stated.date = "2020";
    stated.metadata["author"] = "Cités Unies France";
    stated.text = "France urbaine publie une étude.\n\nJuin 2021\n";
    kb::complete_from_title_page(stated);
    BOOST_TEST(stated.date == "2020");
    BOOST_TEST(stated.metadata.at("author") == "Cités Unies France");
    Record news;
    news.type = "actualité";
    news.text = "Le 24 juin, France urbaine et l’INET publient une étude.";
    kb::complete_from_title_page(news);
    BOOST_TEST(news.metadata.count("author") == 0u);
}

BOOST_AUTO_TEST_CASE(any_study_s_title_page_is_read_but_a_web_page_announcing_one_is_not) {
    kb::test::Collected c;
    kb::read_bytes(std::string("L’action internationale des villes\n\nJuin 2021\n\nAuteurs : "
                               "Marie Dupont et Jean Martin\n\nIntroduction…\n"),
                   "etude.txt", "etude.txt", c.sink());
    kb::read_bytes(std::string("<!doctype html><html><head><title>Actualités</title></head><body>"
                               "<main><h1>Nouvelle étude</h1><p>France urbaine publie une étude "
                               "sur les villes, publiée en juin 2021.</p></main></body></html>"),
                   "page.html", "page.html", c.sink());
    BOOST_TEST_REQUIRE(c.records.size() == 2u);
    BOOST_TEST(c.records[0].date == "2021-06");
    BOOST_TEST(c.records[0].metadata.at("author") == "Marie Dupont; Jean Martin");
    BOOST_TEST(c.records[1].metadata.count("author") == 0u);
    BOOST_TEST(c.records[1].date == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(formats)

BOOST_AUTO_TEST_CASE(an_article_of_a_code_cites_as_the_code_and_its_number) {
    const Record r = corpus_record(kCgct, kArticleId);
    BOOST_TEST(r.metadata.at("code_title") == "Code général des collectivités territoriales");
    const std::string bib = format_citations({r}, CitationFormat::BibTeX);
    BOOST_TEST(contains(bib, "title = {{Code g{\\'e}n{\\'e}ral des collectivit{\\'e}s "
                             "territoriales, art. L1115-1}}"),
               bib);
    const std::string csl = format_citations({r}, CitationFormat::CslJson);
    BOOST_TEST(contains(csl, "\"title\":\"Code général des collectivités territoriales, art. "
                             "L1115-1\""),
               csl);
    BOOST_TEST(contains(csl, "\"type\":\"legislation\""), csl);
    BOOST_TEST(contains(csl, "\"container-title\":\"Code général des collectivités "
                             "territoriales\""),
               csl);
    const std::string ris = format_citations({r}, CitationFormat::RIS);
    BOOST_TEST(contains(ris, "TI  - Code général des collectivités territoriales, art. L1115-1"));
}

BOOST_AUTO_TEST_CASE(bibtex_special_characters_are_escaped_and_bibtex_reads_them) {
    const Record r = hostile_record();
    const std::string bib = format_citations({r, r}, CitationFormat::BibTeX);
    BOOST_TEST(contains(bib, "Eau \\& assainissement : 100 \\% \\textbraceleft{}solidaire"
                             "\\textbraceright{}, co{\\^u}t\\_total \\#2 \\textasciitilde{} "
                             "\\textasciicircum{} \\textbackslash{} «~{\\`a} l'{\\oe}uvre~»"),
               bib);
    BOOST_TEST(contains(bib, "author = {{Cit{\\'e}s Unies France} and {Agence fran{\\c{c}}aise "
                             "de d{\\'e}veloppement (AFD)}}"),
               bib);
    BOOST_TEST(contains(bib, "url = {https://example.org/etude?x=1&y=100%25#partie_2}"), bib);
    // The same id twice still gives two distinct keys.
    BOOST_TEST(contains(bib, "@techreport{tests_eau-_-assainissement,"), bib);
    BOOST_TEST(contains(bib, "@techreport{tests_eau-_-assainissement-2,"), bib);
    check_with_bibtex(bib, {});
    // pandoc reads the BibTeX back: the escapes decode to the original characters (but for
    // \textbraceleft/right, LaTeX's own names for braces, which pandoc's reader drops).
    const std::string text = render_with_pandoc(bib, "bib");
    if (!text.empty()) {
        BOOST_TEST(contains(text, "Eau & assainissement : 100 % solidaire, coût_total #2 ~ ^ \\ "
                                  "«\u00a0à l’œuvre\u00a0»"),
                   text);
        BOOST_TEST(contains(text, "Cités Unies France"), text);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cite_endpoint)

// corpus/seeds, the article L1115-1 as the bundled corpus has it, and a record with a URL and
// every BibTeX special character, indexed by kb-indexer and served by kb-search-server.
struct Served {
    kb::test::TempDir dir;
    std::unique_ptr<kb::test::ServerProcess> server;
    Served() {
        std::ifstream cgct(kCgct);
        std::string line, article;
        while (std::getline(cgct, line))
            if (line.find(std::string("\"id\": \"") + kArticleId + "\"") != std::string::npos)
                article = line;
        BOOST_TEST_REQUIRE(!article.empty());
        kb::test::write_file(dir.path() / "extra/cgct.jsonl", article + "\n");
        const Record h = hostile_record();
        kb::test::write_file(dir.path() / "extra/hostile.md",
                             "---\nid: tests-hostile\ntitle: \"Eau & assainissement : 100 % "
                             "{solidaire}\"\ntype: étude\npublisher: \"Cités Unies France\"\n"
                             "date: 2021-06-24\nurl: " +
                                 h.url + "\n---\nUn texte sur l’eau.\n");
        const std::string index = (dir.path() / "index").string();
        BOOST_TEST_REQUIRE(kb::test::run_indexer(index, {KB_SOURCE_DIR "/corpus/seeds",
                                                         (dir.path() / "extra").string()}) == 0);
        server = std::make_unique<kb::test::ServerProcess>(index);
    }
    kb::test::HttpReply get(const std::string& path) const {
        return kb::test::http_send(server->url(), web::http::methods::GET, path);
    }
    kb::test::HttpReply post(const std::string& body) const {
        return kb::test::http_send(server->url(), web::http::methods::POST, "/cite", {}, body);
    }
};

std::string ids_param() {
    return web::uri::encode_data_string(std::string(kArticleId) + "," + kStudyId +
                                        ",tests-hostile");
}

BOOST_AUTO_TEST_CASE(a_selection_cites_in_every_format_and_the_tools_read_it) {
    Served s;
    const auto bib = s.get("/cite?format=bibtex&ids=" + ids_param());
    BOOST_TEST_REQUIRE(bib.status == 200, bib.body);
    BOOST_TEST(bib.header("Content-Type").rfind("application/x-bibtex", 0) == 0u);
    BOOST_TEST(std::count(bib.body.begin(), bib.body.end(), '@') == 3);
    BOOST_TEST(contains(bib.body, "author = {{France urbaine} and {Institut National des Etudes "
                                  "Territoriales (INET)}}"),
               bib.body);
    BOOST_TEST(contains(bib.body, "url = {https://example.org/etude?x=1&y=100%25#partie_2}"));
    // What the records lack, bibtex says: the study states no year, the test record no author.
    check_with_bibtex(bib.body,
                      {"empty year in cnfpt-france-urbaine-inet-etude-action-internationale-"
                       "grandes-villes",
                       "empty author in tests-hostile"});

    const auto csl = s.get("/cite?format=csl-json&ids=" + ids_param());
    BOOST_TEST_REQUIRE(csl.status == 200, csl.body);
    const auto items = csl.json().as_array();
    BOOST_TEST_REQUIRE(items.size() == 3u);
    BOOST_TEST(items.at(0).at("id").as_string() == kArticleId); // the order asked for
    BOOST_TEST(items.at(2).at("URL").as_string() == hostile_record().url);
    const std::string text = render_with_pandoc(csl.body, "json");
    if (!text.empty()) {
        BOOST_TEST(contains(text, "Code général des collectivités territoriales, art. L1115-1"),
                   text);
        const bool both_authors =
            contains(text, "France urbaine") &&
            contains(text, "Institut National des Etudes Territoriales (INET)");
        BOOST_TEST(both_authors, text);
        BOOST_TEST(contains(text, "https://example.org/etude?x=1&y=100%25#partie_2"), text);
        BOOST_TEST(contains(text, "Eau & assainissement : 100 % {solidaire}"), text);
    }

    const auto ris = s.get("/cite?format=ris&ids=" + ids_param());
    std::size_t records = 0;
    for (auto at = ris.body.find("ER  - "); at != std::string::npos;
         at = ris.body.find("ER  - ", at + 1))
        ++records;
    BOOST_TEST(records == 3u, ris.body);
    BOOST_TEST(contains(ris.body, "AU  - France urbaine\nAU  - Institut National"), ris.body);

    const auto posted = s.post(std::string(R"({"ids":[")") + kStudyId + R"(",")" + kStudyId +
                               R"("],"format":"csl-json"})");
    BOOST_TEST_REQUIRE(posted.status == 200, posted.body);
    BOOST_TEST(posted.json().as_array().size() == 1u); // each document once
}

BOOST_AUTO_TEST_CASE(bad_selections_are_refused_with_a_reason) {
    Served s;
    const auto missing = s.get("/cite?ids=" + web::uri::encode_data_string(kStudyId) + ",nope");
    BOOST_TEST(missing.status == 404);
    BOOST_TEST(contains(missing.body, "no document with id 'nope'"), missing.body);
    BOOST_TEST(s.get("/cite").status == 400);
    BOOST_TEST(s.get("/cite?ids=,").status == 400);
    BOOST_TEST(s.get("/cite?ids=x&format=doc").status == 400);
    BOOST_TEST(s.get("/cite?ids=x&q=y").status == 400);
    std::string many = "/cite?ids=";
    for (int i = 0; i < 501; ++i)
        many += "d" + std::to_string(i) + ",";
    BOOST_TEST(contains(s.get(many).body, "more than the 500"));
    BOOST_TEST(s.post(R"({"ids":"x"})").status == 400);
    BOOST_TEST(s.post(R"({"ids":[1]})").status == 400);
    BOOST_TEST(s.post(R"({"ids":["x"],"extra":1})").status == 400);
    BOOST_TEST(s.post(R"([])").status == 400);
    BOOST_TEST(s.post("{").status == 400);
}

BOOST_AUTO_TEST_SUITE_END()
