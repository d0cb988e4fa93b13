#define BOOST_TEST_MODULE readers
#include "core/error.h"
#include "indexer/readers/html_reader.h"
#include "indexer/readers/jsonl_reader.h"
#include "indexer/readers/markdown_reader.h"
#include "indexer/readers/source_reader.h"
#include "tests/reader_support.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

using kb::Record;
using kb::test::Collected;

namespace {

std::string error_of(const std::string& content) {
    try {
        kb::parse_markdown(content, "corpus/x.md", "x.md");
    } catch (const kb::Error& e) {
        BOOST_TEST(e.code() == "malformed_front_matter");
        return e.what();
    }
    return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(front_matter)

BOOST_AUTO_TEST_CASE(reads_every_field_and_keeps_the_body_faithful) {
    const Record r = kb::parse_markdown(
        "---\n"
        "id: cuf-2017\n"
        "title: \"Le rayonnement au service de l’attractivité : \\\"villes\\\" moyennes ?\"\n"
        "date: 2017-10-03\n"
        "publisher: Cités Unies France\n"
        "type: programme\n"
        "language: fr\n"
        "# a comment line\n"
        "themes: [attractivité, \"coopération décentralisée\"]\n"
        "site: 'l''Europe'\n"
        "---\n"
        "\n"
        "Ces « pôles urbains » de 4 700 habitants.\n"
        "Deuxième ligne.\n",
        "corpus/a.md", "a.md");
    BOOST_TEST(r.id == "cuf-2017");
    BOOST_TEST(r.title == "Le rayonnement au service de l’attractivité : \"villes\" moyennes ?");
    BOOST_TEST(r.date == "2017-10-03");
    BOOST_TEST(r.publisher == "Cités Unies France");
    BOOST_TEST(r.type == "programme");
    BOOST_TEST(r.language == "fr");
    BOOST_TEST(r.metadata.at("themes") == "attractivité; coopération décentralisée");
    BOOST_TEST(r.metadata.at("site") == "l'Europe");
    BOOST_TEST(r.text == "Ces « pôles urbains » de 4 700 habitants.\nDeuxième ligne.");
}

BOOST_AUTO_TEST_CASE(defaults_the_id_and_takes_the_title_from_the_first_heading) {
    const Record r = kb::parse_markdown("# Un titre\n\nDu texte.\n", "corpus/b.md", "sub/b.md");
    BOOST_TEST(r.id == "sub/b.md");
    BOOST_TEST(r.title == "Un titre");
}

BOOST_AUTO_TEST_CASE(unclosed_front_matter_names_file_and_line) {
    BOOST_TEST(error_of("---\ntitle: x\nbody") ==
               "corpus/x.md:1: front matter opened here is never closed by a '---' line");
}

BOOST_AUTO_TEST_CASE(line_without_colon_names_its_line) {
    const std::string e = error_of("---\ntitle: x\njust words\n---\nbody");
    BOOST_TEST(e == "corpus/x.md:3: expected 'key: value', found 'just words'", e);
}

BOOST_AUTO_TEST_CASE(unterminated_quote_and_bad_date_are_errors) {
    // yaml-cpp closes a quote left open at the end of the block; an open list it does not, and
    // names the line where it noticed (the end of the block).
    BOOST_TEST(error_of("---\ntitle: x\nthemes: [eau, culture\n---\n") ==
               "corpus/x.md:4: invalid YAML: end of sequence flow not found");
    BOOST_TEST(error_of("---\ndate: 3 octobre 2017\n---\n").find("corpus/x.md:2: date") == 0);
    BOOST_TEST(error_of("---\ndate: 2017-13-01\n---\n").find("not ISO 8601") != std::string::npos);
    BOOST_TEST(error_of("---\nid: \"\"\n---\n") == "corpus/x.md:2: id is empty");
}

// What Hugo and Jekyll write: block lists, folded and literal strings, dates with a time.
BOOST_AUTO_TEST_CASE(static_site_front_matter_block_lists_multiline_strings_and_dates) {
    const Record r = kb::parse_markdown("---\n"
                                        "title: \"Eau : l'accès pour tous\"\n"
                                        "date: 2019-05-03T10:00:00+02:00\n"
                                        "themes:\n"
                                        "  - eau\n"
                                        "  - assainissement\n"
                                        "countries: [SN, BF]\n"
                                        "summary: >\n"
                                        "  Un projet de coopération\n"
                                        "  entre deux villes.\n"
                                        "notes: |\n"
                                        "  ligne un\n"
                                        "  ligne deux\n"
                                        "params:\n"
                                        "  author: Cités Unies France\n"
                                        "  draft: false\n"
                                        "empty:\n"
                                        "---\n"
                                        "Corps.\n",
                                        "corpus/h.md", "h.md");
    BOOST_TEST(r.title == "Eau : l'accès pour tous");
    BOOST_TEST(r.date == "2019-05-03");
    BOOST_TEST(r.metadata.at("themes") == "eau; assainissement");
    BOOST_TEST(r.metadata.at("countries") == "SN; BF");
    BOOST_TEST(r.metadata.at("summary") == "Un projet de coopération entre deux villes.\n");
    BOOST_TEST(r.metadata.at("notes") == "ligne un\nligne deux\n");
    BOOST_TEST(r.metadata.at("params.author") == "Cités Unies France");
    BOOST_TEST(r.metadata.at("params.draft") == "false");
    BOOST_TEST(r.metadata.at("empty").empty());
    BOOST_TEST(r.text == "Corps.");
}

BOOST_AUTO_TEST_CASE(yaml_errors_name_the_line_in_the_file) {
    const std::string nested = error_of("---\ntitle: x\nthemes:\n  - [a, b]\n---\n");
    BOOST_TEST(nested.rfind("corpus/x.md:4: the items of 'themes' must be plain values", 0) == 0,
               nested);
    const std::string indent = error_of("---\ntitle: x\ndate: 2019\n  bad: indent\n---\n");
    BOOST_TEST(indent.rfind("corpus/x.md:4: invalid YAML", 0) == 0, indent);
    BOOST_TEST(error_of("---\n- a\n- b\n---\n") == "corpus/x.md:2: expected 'key: value' lines");
}

BOOST_AUTO_TEST_CASE(an_unquoted_french_colon_stays_in_the_value) {
    const Record r = kb::parse_markdown("---\ntitle: Villes moyennes : un guide\nsite: l'Europe : "
                                        "un cap\n---\nx\n",
                                        "corpus/c.md", "c.md");
    BOOST_TEST(r.title == "Villes moyennes : un guide");
    BOOST_TEST(r.metadata.at("site") == "l'Europe : un cap");
}

BOOST_AUTO_TEST_CASE(deeply_nested_front_matter_is_an_error_not_a_crash) {
    BOOST_TEST(
        error_of("---\nx: " + std::string(200000, '[') + "\n---\n").find("nested more than") !=
        std::string::npos);
    BOOST_TEST(error_of("+++\nx = " + std::string(200000, '[') + "\n+++\n").find("invalid TOML") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(toml_front_matter_between_plus_lines) {
    const Record r = kb::parse_markdown("+++\n"
                                        "title = \"Jumelage Lyon – Beyrouth\"\n"
                                        "date = 2021-06-30T09:00:00Z\n"
                                        "themes = [\"jumelage\", \"culture\"]\n"
                                        "weight = 3\n"
                                        "[params]\n"
                                        "publisher = \"Ville de Lyon\"\n"
                                        "+++\n"
                                        "Texte.\n",
                                        "corpus/t.md", "t.md");
    BOOST_TEST(r.title == "Jumelage Lyon – Beyrouth");
    BOOST_TEST(r.date == "2021-06-30");
    BOOST_TEST(r.metadata.at("themes") == "jumelage; culture");
    BOOST_TEST(r.metadata.at("weight") == "3");
    BOOST_TEST(r.metadata.at("params.publisher") == "Ville de Lyon");
    BOOST_TEST(r.text == "Texte.");
    const std::string bad = error_of("+++\ntitle = \"x\"\ndate = \n+++\n");
    BOOST_TEST(bad.rfind("corpus/x.md:3: invalid TOML", 0) == 0, bad);
    BOOST_TEST(error_of("+++\ntitle = 1\n") ==
               "corpus/x.md:1: front matter opened here is never closed by a '+++' line");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(markdown_body)

// The text a reader sees: every section's offset points at its heading in Record::text.
void check_sections(const Record& r) {
    for (const kb::Section& s : r.sections)
        BOOST_TEST(r.text.substr(s.begin, s.heading.size()) == s.heading, s.heading);
}

BOOST_AUTO_TEST_CASE(emphasis_links_images_and_entities_are_reduced_to_their_text) {
    const Record r = kb::parse_markdown(
        "Un **jumelage** entre [Lyon](https://www.lyon.fr \"site\") et _Ouagadougou_, "
        "~~barré~~ `code` &eacute;t&#233; &amp; &#x41;.\n"
        "Suite du <span class=\"x\">paragraphe</span> ![carte du Sénégal](carte.png)\n"
        "<https://cites-unies-france.org>\n",
        "corpus/a.md", "a.md");
    BOOST_TEST(r.text == "Un jumelage entre Lyon et Ouagadougou, barré code été & A.\n"
                         "Suite du paragraphe carte du Sénégal\n"
                         "https://cites-unies-france.org");
    BOOST_TEST(r.sections.empty());
}

BOOST_AUTO_TEST_CASE(tables_become_rows_of_cells_lists_lines_and_code_stays_verbatim) {
    const Record r = kb::parse_markdown("| Pays | Montant |\n"
                                        "|------|--------:|\n"
                                        "| Sénégal | 10 **k€** |\n"
                                        "| Mali | |\n"
                                        "\n"
                                        "- premier point\n"
                                        "- [x] second point\n"
                                        "  1. sous-point\n"
                                        "\n"
                                        "```cpp\n"
                                        "int  x = 1;   // gardé\n"
                                        "```\n"
                                        "\n"
                                        "    indenté  aussi\n"
                                        "\n"
                                        "> citée\n"
                                        "\n"
                                        "<div>\n<p>Bloc <b>HTML</b></p>\n<!-- note -->\n</div>\n"
                                        "\n"
                                        "---\n"
                                        "Fin.\n",
                                        "corpus/t.md", "t.md");
    BOOST_TEST(r.text == "Pays ; Montant\nSénégal ; 10 k€\nMali\n\n"
                         "premier point\nsecond point\nsous-point\n\n"
                         "int  x = 1;   // gardé\n\n"
                         "indenté  aussi\n\n"
                         "citée\n\n"
                         "Bloc HTML\n\n"
                         "Fin.");
}

BOOST_AUTO_TEST_CASE(headings_are_sections_with_their_offset_and_level) {
    const Record r = kb::parse_markdown("---\ntitle: Guide\n---\n"
                                        "# La coopération *décentralisée*\n\n"
                                        "Introduction.\n\n"
                                        "## Le cadre légal\n\n"
                                        "L'article L1115-1.\n\n"
                                        "Sous-titre souligné\n"
                                        "-------------------\n\n"
                                        "Texte.\n\n"
                                        "### \n\n"
                                        "Après un titre vide.\n",
                                        "corpus/g.md", "g.md");
    BOOST_TEST(r.title == "Guide");
    BOOST_TEST_REQUIRE(r.sections.size() == 3u); // the empty heading is no section
    BOOST_TEST(r.sections[0].heading == "La coopération décentralisée");
    BOOST_TEST(r.sections[0].level == 1u);
    BOOST_TEST(r.sections[0].begin == 0u);
    BOOST_TEST(r.sections[1].heading == "Le cadre légal");
    BOOST_TEST(r.sections[1].level == 2u);
    BOOST_TEST(r.sections[2].heading == "Sous-titre souligné");
    BOOST_TEST(r.sections[2].level == 2u);
    check_sections(r);
    BOOST_TEST(r.text.find('#') == std::string::npos);
    // Without a title in the front matter, the first level-1 heading is the title.
    BOOST_TEST(
        kb::parse_markdown("Avant.\n\n## Deux\n\n# *Un* titre\n", "corpus/h.md", "h.md").title ==
        "Un titre");
    BOOST_TEST(kb::parse_markdown("**Gras** d'abord.\n", "corpus/h.md", "h.md").title ==
               "Gras d'abord.");
}

BOOST_AUTO_TEST_CASE(sections_survive_the_removal_of_repeated_paragraphs) {
    kb::test::TempDir dir;
    const std::string repeated =
        "Ce paragraphe répété assez long pour être reconnu comme un doublon par le lecteur.";
    kb::test::write_file(dir.path() / "r.md", "# Premier\n\n" + repeated + "\n\n## Second\n\n" +
                                                  repeated + "\n\n## Troisième\n\nFin.\n");
    Collected c;
    kb::read_source(dir.path() / "r.md", dir.path(), c.sink());
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    const Record& r = c.records[0];
    BOOST_TEST(r.text.find(repeated) == r.text.rfind(repeated)); // kept once
    BOOST_TEST_REQUIRE(r.sections.size() == 3u);
    check_sections(r);
    BOOST_TEST(r.sections[2].heading == "Troisième");
}

BOOST_AUTO_TEST_CASE(sections_are_stored_with_the_record_and_other_records_are_unchanged) {
    Record r = kb::parse_markdown("# A\n\nx\n\n## B\n\ny\n", "corpus/s.md", "s.md");
    BOOST_TEST((kb::decode_record(kb::encode_record(r)) == r));
    Record plain = r;
    plain.sections.clear();
    BOOST_TEST(kb::encode_record(plain).find("sections") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(jsonl)

BOOST_AUTO_TEST_CASE(reads_records_and_reports_malformed_lines_with_their_number) {
    Collected c;
    kb::parse_jsonl(
        "{\"id\": \"cgct/L1115-1\", \"title\": \"Article L1115-1\", \"text\": \"Dans le respect\", "
        "\"code\": \"cgct\", \"date\": \"2014\"}\n"
        "\n"
        "{\"id\": \"broken\", \"text\": \n"
        "{\"title\": \"no id\", \"text\": \"x\"}\n"
        "{\"id\": \"no-text\"}\n"
        "[1, 2]\n"
        "{\"id\": \"ok2\", \"text\": \"deux\", \"tags\": [\"a\", \"b\"]}\r\n"
        "{\"id\": \"bad-date\", \"text\": \"x\", \"date\": \"hier\"}\n",
        "data.jsonl", c.sink().on_record, c.sink().on_problem);
    BOOST_TEST_REQUIRE(c.records.size() == 2u);
    BOOST_TEST(c.records[0].id == "cgct/L1115-1");
    BOOST_TEST(c.records[0].metadata.at("code") == "cgct");
    // The parser names the content in problems only; read_bytes gives records their source.
    BOOST_TEST(c.records[0].source_file.empty());
    BOOST_TEST(c.records[1].metadata.at("tags") == "a; b");
    BOOST_TEST_REQUIRE(c.problems.size() == 5u);
    BOOST_TEST(c.problems[0].line == 3u);
    BOOST_TEST(c.problems[0].to_string().rfind("data.jsonl:3: invalid JSON", 0) == 0);
    BOOST_TEST(c.problems[1].to_string() == "data.jsonl:4: missing required field 'id'");
    BOOST_TEST(c.problems[2].to_string() == "data.jsonl:5: missing required string field 'text'");
    BOOST_TEST(c.problems[3].to_string() == "data.jsonl:6: expected a JSON object");
    BOOST_TEST(c.problems[4].line == 8u);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_line_is_reported_not_indexed) {
    Collected c;
    kb::parse_jsonl("{\"id\": \"a\", \"text\": \"caf\xe9\"}\n", "x.jsonl", c.sink().on_record,
                    c.sink().on_problem);
    BOOST_TEST(c.records.empty());
    BOOST_TEST_REQUIRE(c.problems.size() == 1u);
    BOOST_TEST(c.problems[0].reason == "line is not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_is_reported_not_crashed_on) {
    Collected c;
    const std::string deep =
        "{\"id\": \"d\", \"text\": \"t\", \"x\": " + std::string(1'000'000, '[') +
        std::string(1'000'000, ']') + "}\n";
    kb::parse_jsonl(deep + std::string(1'000'000, '{') + "\n", "deep.jsonl", c.sink().on_record,
                    c.sink().on_problem);
    BOOST_TEST(c.records.empty());
    BOOST_TEST_REQUIRE(c.problems.size() == 2u);
    BOOST_TEST(c.problems[0].to_string() == "deep.jsonl:1: field 'x' must be a list of strings");
    BOOST_TEST(c.problems[1].to_string().rfind("deep.jsonl:2: invalid JSON", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sources)

BOOST_AUTO_TEST_CASE(ids_are_paths_relative_to_the_root_and_stable) {
    kb::test::TempDir dir;
    kb::test::write_file(dir.path() / "seeds/a.md", "---\ntitle: A\n---\nun texte");
    kb::test::write_file(dir.path() / "seeds/b.txt", "Titre B\n\nCorps B");
    kb::test::write_file(dir.path() / "README.md", "not a document");
    kb::test::write_file(dir.path() / "cgct/SOURCE.md", "not a document");
    kb::test::write_file(dir.path() / ".hidden/c.md", "hidden");
    kb::test::write_file(dir.path() / "notes.xlsx", "PK"); // a format no reader knows
    const auto files = kb::list_sources(dir.path());
    BOOST_TEST_REQUIRE(files.size() == 2u);
    Collected c;
    for (const auto& f : files)
        kb::read_source(f, dir.path(), c.sink());
    BOOST_TEST_REQUIRE(c.records.size() == 2u);
    BOOST_TEST(c.records[0].id == "seeds/a.md");
    BOOST_TEST(c.records[1].id == "seeds/b.txt");
    BOOST_TEST(c.records[1].title == "Titre B");
    BOOST_TEST(c.records[1].text == "Corps B");
}

// Records say where they came from, not where this machine keeps them: every format's
// source_file is the file relative to the folder indexed (or the file name of a file given
// alone), while problems keep the path as given, for the operator.
BOOST_AUTO_TEST_CASE(source_file_is_relative_to_the_folder_indexed) {
    kb::test::TempDir dir;
    const std::filesystem::path corpus = dir.path() / "corpus";
    kb::test::write_file(corpus / "cgct/code.jsonl",
                         "{\"id\": \"cgct/L1\", \"text\": \"un article\"}\n"
                         "{\"id\": \"cgct/L2\", \"text\": \"un autre\", \"source_file\": "
                         "\"legi-export.xml\"}\n"
                         "{\"id\": \"cgct/L3\"}\n");
    kb::test::write_file(corpus / "seeds/a.md", "---\ntitle: A\n---\nun texte");
    kb::test::write_file(corpus / "seeds/b.md",
                         "---\ntitle: B\nsource_file: 000_467ddb30692e01cf.txt\n---\nun texte");
    kb::test::write_file(corpus / "notes/c.txt", "Titre C\n\nCorps C");
    kb::test::write_file(corpus / "pages/d.html",
                         "<html><head><title>D</title></head><body><p>Corps D</p></body></html>");
    Collected c;
    for (const auto& f : kb::list_sources(corpus))
        kb::read_source(f, corpus, c.sink());
    std::vector<std::string> sources; // "id <- source_file", in id order
    for (const auto& r : c.records)
        sources.push_back(r.id + " <- " + r.source_file);
    std::sort(sources.begin(), sources.end());
    const std::vector<std::string> expected = {
        "cgct/L1 <- cgct/code.jsonl", "cgct/L2 <- legi-export.xml",
        "notes/c.txt <- notes/c.txt", "pages/d.html <- pages/d.html",
        "seeds/a.md <- seeds/a.md",   "seeds/b.md <- 000_467ddb30692e01cf.txt"};
    BOOST_TEST(sources == expected, boost::test_tools::per_element());
    for (const auto& r : c.records)
        BOOST_TEST(r.source_file.find(dir.path().string()) == std::string::npos, r.source_file);
    BOOST_TEST_REQUIRE(c.problems.size() == 1u);
    BOOST_TEST(c.problems[0].to_string() ==
               (corpus / "cgct/code.jsonl").string() + ":3: missing required string field 'text'");

    // A file given alone: its file name, whatever folder it is in.
    Collected alone;
    kb::read_source(corpus / "cgct/code.jsonl", corpus / "cgct", alone.sink());
    BOOST_TEST_REQUIRE(alone.records.size() == 2u);
    BOOST_TEST(alone.records[0].source_file == "code.jsonl");
}

BOOST_AUTO_TEST_CASE(bad_files_are_reported_with_path_and_reason) {
    kb::test::TempDir dir;
    // Markdown stays strict UTF-8 (plain text is decoded: see ingest_test).
    kb::test::write_file(dir.path() / "latin1.md", "caf\xe9 cr\xe8me");
    kb::test::write_file(dir.path() / "bad.md", "---\ntitle x\n---\n");
    Collected c;
    for (const auto& f : kb::list_sources(dir.path()))
        kb::read_source(f, dir.path(), c.sink());
    BOOST_TEST(c.records.empty());
    BOOST_TEST_REQUIRE(c.problems.size() == 2u);
    BOOST_TEST(c.problems[0].path == (dir.path() / "bad.md").string());
    BOOST_TEST(c.problems[0].line == 2u);
    BOOST_TEST(c.problems[1].reason.find("not valid UTF-8") != std::string::npos);
    kb::read_source(dir.path() / "missing.md", dir.path(), c.sink());
    BOOST_TEST(c.problems.back().reason.find("cannot") == 0);
}

BOOST_AUTO_TEST_CASE(every_bundled_corpus_file_reads_cleanly) {
    Collected c;
    const std::filesystem::path corpus = KB_SOURCE_DIR "/corpus";
    for (const auto& f : kb::list_sources(corpus))
        kb::read_source(f, corpus, c.sink());
    BOOST_TEST(c.problems.empty());
    BOOST_TEST(c.records.size() == 5367u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(html_depth)

namespace {

std::string nested(std::size_t depth, const std::string& bottom) {
    std::string html = "<!doctype html><html><body>";
    for (std::size_t i = 0; i < depth; ++i)
        html += "<div>";
    html += bottom;
    for (std::size_t i = 0; i < depth; ++i)
        html += "</div>";
    return html + "</body></html>";
}

std::string error_code_of(const std::string& html) {
    try {
        kb::parse_html(html, "deep.html");
    } catch (const kb::Error& e) {
        BOOST_TEST((e.kind() == kb::ErrorKind::InvalidRequest));
        return e.code();
    }
    return "";
}

const std::string kParagraph = "<p>La coopération décentralisée est une compétence des "
                               "collectivités territoriales, qui la mènent avec leurs "
                               "partenaires étrangers dans le respect des engagements de la "
                               "France.</p>";

} // namespace

// Issue 23: 50,000 nested <div> overflowed the stack (recursive walks) and took minutes in
// gumbo; now the page is refused before it is parsed, and the run goes on.
BOOST_AUTO_TEST_CASE(deeply_nested_pages_are_refused_not_crashed_on) {
    for (std::size_t depth : {50'000u, 200'000u}) {
        BOOST_TEST(error_code_of(nested(depth, "fond")) == "html_too_deep", depth);
        Collected c;
        kb::read_bytes(nested(depth, "fond"), "deep.html", "deep.html", c.sink());
        BOOST_TEST(c.records.empty());
        BOOST_TEST_REQUIRE(c.problems.size() == 1u);
        BOOST_TEST(c.problems[0].to_string() ==
                   "deep.html: HTML nested deeper than 1000 elements; not indexed");
    }
    // Unclosed, or closed by end tags that close nothing: gumbo nests them all the same.
    std::string unclosed, mismatched;
    for (int i = 0; i < 50'000; ++i) {
        unclosed += "<div/>";
        mismatched += "<div></span>";
    }
    BOOST_TEST(error_code_of(unclosed) == "html_too_deep");
    BOOST_TEST(error_code_of(mismatched) == "html_too_deep");
}

BOOST_AUTO_TEST_CASE(a_page_500_deep_is_read_to_the_bottom) {
    const Record r =
        kb::parse_html(nested(500, "<div data-kb-body>" + kParagraph + "</div>"), "deep.html");
    BOOST_TEST(r.text.find("compétence des collectivités") != std::string::npos, r.text);
}

BOOST_AUTO_TEST_CASE(unclosed_paragraphs_and_list_items_do_not_count_as_nesting) {
    std::string html = "<html><head><title>Liste</title></head><body data-kb-body><ul>";
    for (int i = 0; i < 2000; ++i)
        html += "<li><span>Élément " + std::to_string(i) + " de la liste";
    html += "</ul><table><tr><td>";
    for (int i = 0; i < 2000; ++i)
        html += "<td><div>cellule";
    html += "</table><div>";
    for (int i = 0; i < 2000; ++i)
        html += "<p>Paragraphe " + std::to_string(i) + " sans fin, <b>gras";
    html += "</div>" + kParagraph + "</body></html>";
    const Record r = kb::parse_html(html, "flat.html");
    BOOST_TEST(r.title == "Liste");
    BOOST_TEST(r.text.find("Élément 1999 de la liste") != std::string::npos);
    BOOST_TEST(r.text.find("Paragraphe 1999 sans fin") != std::string::npos);
    BOOST_TEST(r.text.find("compétence des collectivités") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(markup_in_scripts_comments_and_attributes_does_not_count) {
    std::string divs;
    for (int i = 0; i < 5000; ++i)
        divs += "<div>";
    const std::string html = "<html><head><script>var t = \"" + divs + "\";</script><style>/*" +
                             divs + "*/</style><title>" + divs + "</title></head><body><!--" +
                             divs + "--><textarea>" + divs + "</textarea><p title=\"" + divs +
                             "\">x</p><svg>" + std::string(std::size_t{5000} * 7, ' ') + "</svg>" +
                             kParagraph + "</body></html>";
    BOOST_TEST(error_code_of(html).empty());
    std::string icons = "<html><body>";
    for (int i = 0; i < 3000; ++i)
        icons += "<svg viewBox=\"0 0 8 8\"><path d=\"M0 0h8\"/><circle r=\"1\"/></svg>";
    BOOST_TEST(error_code_of(icons + kParagraph).empty());
}

BOOST_AUTO_TEST_CASE(a_million_elements_are_refused) {
    std::string html = "<html><body>";
    for (int i = 0; i < 1'000'001; ++i)
        html += "<br>";
    BOOST_TEST(error_code_of(html) == "html_too_many_elements");
}

BOOST_AUTO_TEST_SUITE_END()
