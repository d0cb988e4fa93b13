#define BOOST_TEST_MODULE ingest
#include "core/indexing/passages.h"
#include "indexer/readers/charset.h"
#include "indexer/readers/epub_reader.h"
#include "indexer/readers/html_reader.h"
#include "indexer/readers/office_reader.h"
#include "indexer/readers/pdf_reader.h"
#include "indexer/readers/source_reader.h"
#include "indexer/readers/text_cleanup.h"
#include "tests/ingest_files.h"
#include "tests/reader_support.h"
#include "tests/test_support.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <utility>
#include <vector>

using kb::Record;
using namespace kb::test;
namespace fs = std::filesystem;

namespace {

// Reads one file written into a fresh folder; exactly one record or one problem comes back.
Collected read_one(const std::string& name, const std::string& content) {
    kb::test::TempDir dir;
    kb::test::write_file(dir.path() / name, content);
    Collected c;
    kb::read_source(dir.path() / name, dir.path(), c.sink());
    BOOST_TEST(c.records.size() + c.problems.size() == 1u);
    return c;
}

// The one record read from a file `name` holding `content`.
Record read_record(const std::string& name, const std::string& content) {
    Collected c = read_one(name, content);
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    return std::move(c.records[0]);
}

// Why a file `name` holding `content` was skipped.
std::string read_problem(const std::string& name, const std::string& content) {
    const Collected c = read_one(name, content);
    BOOST_TEST_REQUIRE(c.problems.size() == 1u);
    return c.problems[0].reason;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cleanup)

BOOST_AUTO_TEST_CASE(duplicate_paragraphs_are_kept_once_short_ones_always) {
    const std::string long_a = "Un paragraphe assez long pour compter comme contenu répété.";
    const std::string text = "Titre\n\n" + long_a + "\n\nSommaire\n\n" + long_a +
                             "\n\nSommaire\n\n  Un paragraphe   assez long pour compter comme\n"
                             "contenu répété.\n\nFin du texte, différente du reste.";
    BOOST_TEST(kb::remove_duplicate_paragraphs(text) ==
               "Titre\n\n" + long_a +
                   "\n\nSommaire\n\nSommaire\n\nFin du texte, différente "
                   "du reste.");
    const std::string unique = "A\n\nB\n  \nC\n";
    BOOST_TEST(kb::remove_duplicate_paragraphs(unique) == unique);
    BOOST_TEST(kb::remove_duplicate_paragraphs("") == "");
}

const std::vector<std::string> kDateInputs = {"2017-10-03T09:00:00+02:00",
                                              "2017",
                                              "2017-10",
                                              "2017/10/3",
                                              "20171003",
                                              "D:20171003091500+02'00'",
                                              "03/10/2017",
                                              "3 octobre 2017",
                                              "1er mars 2020",
                                              "mardi 3 octobre 2017",
                                              "février 2019",
                                              "October 3, 2017",
                                              "hier",
                                              "2017-13-01",
                                              ""};
const std::vector<std::string> kDateOutputs = {
    "2017-10-03", "2017",       "2017-10",    "2017-10-03", "2017-10-03",
    "2017-10-03", "2017-10-03", "2017-10-03", "2020-03-01", "2017-10-03",
    "2019-02",    "2017-10-03", "",           "",           ""};

BOOST_DATA_TEST_CASE(dates_are_normalised_to_iso_8601,
                     boost::unit_test::data::make(kDateInputs) ^
                         boost::unit_test::data::make(kDateOutputs),
                     input, expected) {
    BOOST_TEST(kb::normalize_date(input) == expected);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(html)

BOOST_AUTO_TEST_CASE(body_is_extracted_without_the_site_chrome) {
    const Record r = read_record("cuf/rayonnement.html", seed000_page());
    BOOST_TEST(r.id == "cuf/rayonnement.html");
    BOOST_TEST(r.title == kSeed000Title);
    BOOST_TEST(r.date == "2017-10-03");
    BOOST_TEST(r.language == "fr");
    BOOST_TEST(r.publisher == "Cités Unies France");
    BOOST_TEST(r.url == "https://cites-unies-france.example/rayonnement");
    BOOST_TEST(r.metadata.at("site") == "Cités Unies France");
    BOOST_TEST(r.metadata.at("author") == "Cités Unies France");
    BOOST_TEST(r.metadata.at("description") == "Programme des conférences de Cités Unies France");
    for (const auto& p : kSeed000Body)
        BOOST_TEST(contains(r.text, p), p);
    BOOST_TEST(contains(r.text, "\n\n" + kSeed000Body[1] + "\n\n"));
    BOOST_TEST(contains(r.text, "opportunités de développement local ?"));
    for (const char* chrome : {"Agenda", "Facebook", "Imprimer", "Actualités", "Sénégal",
                               "Mentions légales", "Accueil", "Vidéo", "75018", "var menu"})
        BOOST_TEST(!contains(r.text, chrome), chrome);
}

BOOST_AUTO_TEST_CASE(semantic_chrome_and_aria_roles_are_dropped) {
    std::string html = "<!doctype html><html lang=fr><head><title>T</title></head><body>"
                       "<header><h1>Cités Unies France</h1></header>"
                       "<nav><a href=/>Accueil</a> <a href=/agenda>Agenda</a></nav>"
                       "<div role=\"banner\">Bannière du site</div>"
                       "<main><article><header><h1>L’article lui-même</h1></header>";
    for (const auto& p : kSeed000Body)
        html += "<p>" + p + "</p>";
    html += "</article></main><aside><h2>Agenda</h2><p>Réunion du groupe-pays Liban, le 4 avril "
            "2024, à Paris, au siège de l’association et en visioconférence pour les membres "
            "qui le souhaitent.</p></aside><div role=complementary>Complément</div>"
            "<form><label>Newsletter</label><input></form>"
            "<footer>Facebook twitter Imprimer</footer></body></html>";
    const Record r = kb::parse_html(html, "x.html");
    BOOST_TEST(r.text.rfind("L’article lui-même\n\n" + kSeed000Body[0], 0) == 0, r.text);
    for (const char* chrome :
         {"Agenda", "Facebook", "Bannière", "Complément", "Newsletter", "Accueil", "Liban"})
        BOOST_TEST(!contains(r.text, chrome), chrome);
}

BOOST_AUTO_TEST_CASE(data_kb_body_and_data_kb_ignore_are_respected) {
    const std::string html =
        "<html><body><div>Un long texte hors du corps marqué, qui ressemble pourtant beaucoup à "
        "du contenu : il a des phrases, des mots de la langue et assez de longueur pour passer."
        "</div><div data-kb-body><h2>Court</h2><p>Bref.</p><ul><li><a href=/x>Lien gardé</a></li>"
        "</ul><p data-kb-ignore>Note à ignorer</p></div><section data-kb-body><p>Deuxième "
        "partie.</p></section></body></html>";
    const Record r = kb::parse_html(html, "x.html");
    BOOST_TEST(r.text == "Court\n\nBref.\n\nLien gardé\n\nDeuxième partie.");

    std::string page = seed000_page();
    page.replace(page.find("<p>Dans le contexte"), 3, "<p data-kb-ignore>");
    const Record ignored = kb::parse_html(page, "y.html");
    BOOST_TEST(!contains(ignored.text, "Maptam"));
    BOOST_TEST(contains(ignored.text, kSeed000Body[1]));
}

BOOST_AUTO_TEST_CASE(a_body_printed_twice_is_kept_once) {
    const Record r = read_record("franceurbaine/etude.htm", seed002_page());
    BOOST_TEST(r.title == "L’action internationale des grandes villes");
    BOOST_TEST(r.date == "2021-04-14");
    BOOST_TEST(r.language == "fr-FR");
    for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(count(r.text, kSeed002Body[i]) == 1u);
    BOOST_TEST(!contains(r.text, "Déclaration 2025"));
    BOOST_TEST(!contains(r.text, "Agenda"));
}

BOOST_AUTO_TEST_CASE(title_falls_back_to_og_title_then_h1_and_entities_are_decoded) {
    const Record og = kb::parse_html("<html><head><meta property=\"og:title\" content=\"OG "
                                     "&amp; titre\"></head><body><h1>H1</h1></body></html>",
                                     "a.html");
    BOOST_TEST(og.title == "OG & titre");
    const Record h1 = kb::parse_html(
        "<html><head><meta name=\"DCTERMS.created\" content=\"2016\"><meta name=\"DC.language\" "
        "content=\"fr\"><meta name=\"DC.creator\" content=\"CUF\"></head><body><h1>Coop&eacute;"
        "ration&nbsp;d&#233;centralis&#xE9;e</h1><p>x</p></body></html>",
        "b.html");
    BOOST_TEST(h1.title == "Coopération\u00A0décentralisée");
    BOOST_TEST(h1.date == "2016");
    BOOST_TEST(h1.language == "fr");
    BOOST_TEST(h1.metadata.at("author") == "CUF");
}

BOOST_AUTO_TEST_CASE(windows_1252_page_with_meta_charset_is_decoded) {
    const std::string html =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
        "<title>C\xf4te d\x92Ivoire</title></head><body><div data-kb-body><p>La coop\xe9ration "
        "d\xe9"
        "centralis\xe9"
        "e</p></div></body></html>";
    const Record r = kb::parse_html(html, "ci.html");
    BOOST_TEST(r.title == "Côte d’Ivoire");
    BOOST_TEST(r.text == "La coopération décentralisée");
    BOOST_TEST(r.metadata.at("encoding") == "windows-1252");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pdf)

BOOST_AUTO_TEST_CASE(two_pages_with_info_dictionary) {
    const Record r = read_record("etudes/villes.pdf", two_page_pdf());
    BOOST_TEST(r.title == "Villes moyennes et attractivité");
    BOOST_TEST(r.metadata.at("author") == "Cités Unies France");
    BOOST_TEST(r.metadata.at("pages") == "2");
    BOOST_TEST(r.date == "2017-10-03");
    const std::size_t ff = r.text.find('\f');
    BOOST_TEST_REQUIRE(ff != std::string::npos);
    BOOST_TEST(count(r.text, "\f") == 1u);
    const std::string page1 = r.text.substr(0, ff), page2 = r.text.substr(ff + 1);
    BOOST_TEST(contains(page1, "Programme des conférences"), page1);
    BOOST_TEST(contains(page1, "Le rayonnement au service de la ville"), page1);
    BOOST_TEST(page2 == "Seconde page : coopération décentralisée");
}

BOOST_AUTO_TEST_CASE(title_falls_back_to_the_first_line_of_page_one) {
    const Record r = kb::read_pdf(
        pdf_document({text_stream({"", "Premier titre", "suite"})}, "<< /Producer (test) >>"),
        "a.pdf");
    BOOST_TEST(r.title == "Premier titre");
    BOOST_TEST(r.date == "");
}

BOOST_AUTO_TEST_CASE(pdf_found_by_its_content_whatever_the_extension) {
    const Record r = read_record("rapport.txt", two_page_pdf());
    BOOST_TEST(r.metadata.at("pages") == "2");
}

BOOST_AUTO_TEST_CASE(encrypted_truncated_empty_and_textless_pdfs_are_problems) {
    const std::string encrypt = "<< /Filter /Standard /V 1 /R 2 /P -44 /O <" +
                                std::string(64, 'a') + "> /U <" + std::string(64, 'b') + "> >>";
    // The encryption dictionary is the object after Info: 3 + 2*1 pages + 2 = 7.
    const std::string encrypted =
        pdf_document({text_stream({"secret"})}, kPdfInfo,
                     "/Encrypt 7 0 R /ID [<0123456789abcdef0123456789abcdef>"
                     "<0123456789abcdef0123456789abcdef>] ",
                     encrypt);
    const std::string pdf = two_page_pdf();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {encrypted, "encrypted PDF"},
        {pdf.substr(0, 60), "not a readable PDF"},
        {"", "not a readable PDF: empty file"},
        {"%PDF-1.4\n garbage garbage\n", "not a readable PDF"},
        {pdf_document({"BT ET"}, kPdfInfo), "no text layer (scanned PDF?)"},
    };
    for (const auto& [content, reason] : cases) {
        const Collected c = read_one("bad.pdf", content);
        BOOST_TEST_REQUIRE(c.problems.size() == 1u);
        BOOST_TEST(c.problems[0].reason.rfind(reason, 0) == 0, c.problems[0].reason);
        BOOST_TEST(c.problems[0].line == 0u);
    }
    // Any truncation of a valid file is a record or a problem, never a crash.
    for (std::size_t n = 0; n < pdf.size(); n += 7) {
        Collected c;
        kb::test::TempDir dir;
        kb::test::write_file(dir.path() / "t.pdf", pdf.substr(0, n));
        kb::read_source(dir.path() / "t.pdf", dir.path(), c.sink());
        BOOST_TEST(c.records.size() + c.problems.size() == 1u);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(office)

BOOST_AUTO_TEST_CASE(docx_paragraphs_and_core_properties) {
    const Record r = read_record("vade-mecum.docx", docx(kDocxBody));
    BOOST_TEST(r.title == "Vade-mecum de l’action extérieure");
    BOOST_TEST(r.metadata.at("author") ==
               "Délégation pour l’action extérieure des collectivités territoriales");
    BOOST_TEST(r.date == "2019-05-02");
    BOOST_TEST(r.text == "Introduction\n\n"
                         "La coopération décentralisée associe des collectivités françaises et "
                         "étrangères.\n\n"
                         "Budget\t4 700 €\nLigne suivante\n\n"
                         "Cellule & tableau");
}

BOOST_AUTO_TEST_CASE(odt_paragraphs_and_meta) {
    const std::string file = odt();
    BOOST_TEST((kb::sniff_zip(file) == kb::ZipKind::Odt));
    const Record r = read_record("jumelages.odt", file);
    BOOST_TEST(r.title == "Les jumelages");
    BOOST_TEST(r.metadata.at("author") == "AFCCRE");
    BOOST_TEST(r.date == "2016-11-22");
    BOOST_TEST(r.text == "Jumelages franco-allemands\n\n"
                         "Les jumelages entre communes   datent de 1950.\n\n"
                         "Colonne A\tColonne B\nSuite\n\n"
                         "Texte après la note.");
}

BOOST_AUTO_TEST_CASE(office_files_found_by_content_and_damaged_ones_are_problems) {
    const std::string file = docx(kDocxBody);
    BOOST_TEST((kb::sniff_zip(file) == kb::ZipKind::Docx));
    const Record renamed = read_record("document-sans-extension.odt", file);
    BOOST_TEST(renamed.date == "2019-05-02");

    const std::string truncated = read_problem("coupe.docx", file.substr(0, file.size() / 2));
    BOOST_TEST(!truncated.empty());

    const std::string other = read_problem("archive.docx", zip({{"a.txt", "x"}}));
    BOOST_TEST(other == "not a Word document: no word/document.xml");

    const std::string bad_xml = read_problem("x.docx", zip({{"word/document.xml", "<w:document"}}));
    BOOST_TEST(contains(bad_xml, "not well-formed XML"));

    // Every truncation of a valid file is a record or a problem, never a crash.
    for (std::size_t n = 0; n < file.size(); n += 11) {
        kb::test::TempDir dir;
        kb::test::write_file(dir.path() / "t.docx", file.substr(0, n));
        Collected c;
        kb::read_source(dir.path() / "t.docx", dir.path(), c.sink());
        BOOST_TEST(c.records.size() + c.problems.size() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(zip_bomb_entries_are_refused) {
    const std::string bomb =
        zip({{"word/document.xml", std::string(std::size_t{65} * 1024 * 1024, ' ')}});
    BOOST_TEST(bomb.size() < 1024u * 1024u);
    const std::string why = read_problem("bomb.docx", bomb);
    BOOST_TEST(contains(why, "64 MiB"), why);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(presentations_and_books)

// The 1-based page (slide, chapter) where `needle` is in `text`; 0 when it is not there.
unsigned page_of(const std::string& text, const std::string& needle) {
    const std::size_t at = text.find(needle);
    return at == std::string::npos ? 0u : kb::page_at(text, at);
}

BOOST_AUTO_TEST_CASE(pptx_slides_in_presentation_order_with_notes_and_core_properties) {
    const std::string file = pptx();
    BOOST_TEST((kb::sniff_zip(file) == kb::ZipKind::Pptx));
    const Record r = read_record("atelier.pptx", file);
    BOOST_TEST(r.title == "Atelier coopération");
    BOOST_TEST(r.metadata.at("author") == "Cités Unies France");
    BOOST_TEST(r.date == "2023-06-15");
    BOOST_TEST(r.metadata.at("slides") == "3");
    // Slide numbers (a:fld) are not text; notes stay on their slide.
    BOOST_TEST(r.text == "Coopération décentralisée\n\nJumelages\net partenariats\n\n"
                         "Rappeler la loi Thiollière de 2007.\f"
                         "Les acteurs\f"
                         "Financements\n\nAFD et FICOL");
    BOOST_TEST(page_of(r.text, "Thiollière") == 1u);
    BOOST_TEST(page_of(r.text, "Les acteurs") == 2u);
    BOOST_TEST(page_of(r.text, "FICOL") == 3u);
}

BOOST_AUTO_TEST_CASE(pptx_without_presentation_xml_takes_slides_by_number) {
    // slide10 after slide2 (numbers, not names), the title from the first slide.
    const std::string file = zip(
        {{"ppt/slides/slide10.xml", pptx_part("sld", a_p(a_r("Dix")))},
         {"ppt/slides/slide2.xml", pptx_part("sld", a_p(a_r("Deux")))},
         {"ppt/slides/slide1.xml", pptx_part("sld", a_p(a_r("Premier titre")) + a_p(a_r("x")))}});
    const Record r = read_record("sans-ordre.pptx", file);
    BOOST_TEST(r.text == "Premier titre\n\nx\fDeux\fDix");
    BOOST_TEST(r.title == "Premier titre");
    BOOST_TEST(r.metadata.at("slides") == "3");
}

BOOST_AUTO_TEST_CASE(odp_pages_notes_and_meta) {
    const std::string file = odp();
    BOOST_TEST((kb::sniff_zip(file) == kb::ZipKind::Odp));
    const Record r = read_record("mediterranee.odp", file);
    BOOST_TEST(r.title == "Coopération en Méditerranée");
    BOOST_TEST(r.metadata.at("author") == "Région Sud");
    BOOST_TEST(r.date == "2022-03-01");
    BOOST_TEST(r.metadata.at("slides") == "2");
    BOOST_TEST(r.text == "Programme Euro-Méditerranée\f"
                         "Eau et assainissement\n\nGestion des déchets\n\nCiter le 1 % eau.");
    BOOST_TEST(page_of(r.text, "déchets") == 2u);
}

BOOST_AUTO_TEST_CASE(epub_chapters_in_spine_order_and_dublin_core) {
    const std::string file = epub();
    BOOST_TEST((kb::sniff_zip(file) == kb::ZipKind::Epub));
    const Record r = read_record("guide.epub", file);
    BOOST_TEST(r.title == "Guide de l’action internationale");
    BOOST_TEST(r.metadata.at("author") == "Anne Martin; Paul Durand");
    BOOST_TEST(r.date == "2021-09-30");
    BOOST_TEST(r.language == "fr");
    BOOST_TEST(r.publisher == "Cités Unies France");
    BOOST_TEST(r.metadata.at("chapters") == "2");
    // The navigation document, <head> and <script> are left out; &nbsp; and <br/> read.
    BOOST_TEST(r.text == "Chapitre 1 : pourquoi coopérer\n\n"
                         "Les collectivités\u00A0françaises coopèrent\ndepuis 1950.\f"
                         "Chapitre 2 : les financements\n\n"
                         "Le FICOL soutient les collectivités.\n\nAFD\n\n2024");
    BOOST_TEST(page_of(r.text, "FICOL") == 2u);
}

BOOST_AUTO_TEST_CASE(damaged_and_incomplete_archives_are_problems_with_their_reason) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"vide.pptx",
         zip({{"ppt/presentation.xml", "<p:presentation xmlns:p=\"" + kPresentationNs + "\"/>"}})},
        {"vide.odp", zip({{"mimetype", "application/vnd.oasis.opendocument.presentation"}})},
        {"livre.epub", zip({{"mimetype", "application/epub+zip"}})},
        {"livre.epub", epub({}, false)},
        {"livre.epub", epub({{"META-INF/encryption.xml",
                              "<encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:"
                              "container\" xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\">"
                              "<enc:EncryptedData><enc:CipherData><enc:CipherReference "
                              "URI=\"OEBPS/Text/chapitre%202.xhtml\"/></enc:CipherData>"
                              "</enc:EncryptedData></encryption>"}})},
        {"x.pptx", zip({{"ppt/slides/slide1.xml", "<p:sld"}})},
        {"images.pptx", zip({{"ppt/slides/slide1.xml", pptx_part("sld", "")}})},
    };
    const std::vector<std::string> reasons = {
        "not a PowerPoint presentation: no slides (ppt/slides/slideN.xml)",
        "not an OpenDocument presentation: no content.xml",
        "not an EPUB: no META-INF/container.xml",
        "OEBPS/Text/chapitre1.xhtml is in the spine of OEBPS/content.opf but missing from the "
        "archive",
        "encrypted EPUB (DRM): OEBPS/Text/chapitre 2.xhtml cannot be read",
        "ppt/slides/slide1.xml is not well-formed XML",
        "no text found",
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string why = read_problem(cases[i].first, cases[i].second);
        BOOST_TEST(why.rfind(reasons[i], 0) == 0, why);
    }
    // Every truncation of a valid file is a record or a problem, never a crash.
    for (const auto& [name, file] : std::vector<std::pair<std::string, std::string>>{
             {"t.pptx", pptx()}, {"t.odp", odp()}, {"t.epub", epub()}}) {
        BOOST_TEST(!read_problem(name, file.substr(0, file.size() / 2)).empty());
        for (std::size_t n = 0; n < file.size(); n += 13) {
            kb::test::TempDir dir;
            kb::test::write_file(dir.path() / name, file.substr(0, n));
            Collected c;
            kb::read_source(dir.path() / name, dir.path(), c.sink());
            BOOST_TEST(c.records.size() + c.problems.size() == 1u);
        }
    }
}

BOOST_AUTO_TEST_CASE(many_entries_under_the_entry_limit_are_still_a_zip_bomb) {
    // Five slides of 60 MiB each: every entry is under 64 MiB, together over 256 MiB.
    std::vector<std::pair<std::string, std::string>> entries;
    const std::string slide = pptx_part("sld", a_p(a_r(std::string(60u << 20, ' '))));
    for (int i = 1; i <= 5; ++i)
        entries.emplace_back("ppt/slides/slide" + std::to_string(i) + ".xml", slide);
    const std::string why = read_problem("bomb.pptx", zip(entries));
    BOOST_TEST(contains(why, "256 MiB"), why);
}

BOOST_AUTO_TEST_CASE(word_97_and_powerpoint_97_are_skipped_with_what_to_do) {
    const std::string ole =
        std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0');
    BOOST_TEST(read_problem("ancien.doc", ole) ==
               "Word 97 .doc: no Debian library reads it; save it as .docx or .odt");
    BOOST_TEST(read_problem("ancien.ppt", ole) ==
               "PowerPoint 97 .ppt: no Debian library reads it; save it as .pptx or .odp");
    BOOST_TEST(read_problem("ancien.txt", ole) == "binary file, not text");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(plain_text)

BOOST_AUTO_TEST_CASE(windows_1252_text_becomes_utf8) {
    const Record r = read_record("ci.txt", "C\xf4te d\x92Ivoire\n\nLa coop\xe9ration "
                                           "d\xe9"
                                           "centralis\xe9"
                                           "e avec la r\xe9gion \x96 \x80 "
                                           "2017.\n");
    BOOST_TEST(r.title == "Côte d’Ivoire");
    BOOST_TEST(r.text == "La coopération décentralisée avec la région – € 2017.");
    BOOST_TEST(r.metadata.at("encoding") == "windows-1252");
}

BOOST_AUTO_TEST_CASE(latin1_and_utf8_text) {
    const kb::DecodedText latin = kb::to_utf8("Les collectivit\xe9s fran\xe7"
                                              "aises et leurs partenaires \xe0 l'\xe9tranger");
    BOOST_TEST(latin.text == "Les collectivités françaises et leurs partenaires à l'étranger");
    BOOST_TEST((latin.encoding == "ISO-8859-1" || latin.encoding == "windows-1252" ||
                latin.encoding == "ISO-8859-15"),
               latin.encoding);
    const kb::DecodedText utf8 = kb::to_utf8("\xEF\xBB\xBF"
                                             "déjà UTF-8");
    BOOST_TEST(utf8.text == "déjà UTF-8");
    BOOST_TEST(utf8.encoding == "UTF-8");
    const kb::DecodedText utf16 = kb::to_utf8(std::string("\xFF\xFEO\0K\0", 6));
    BOOST_TEST(utf16.text == "OK");

    const Record plain = read_record("u.txt", "Titre\n\nCorps en UTF-8 : é");
    BOOST_TEST(plain.metadata.count("encoding") == 0u);
}

BOOST_AUTO_TEST_CASE(binary_junk_with_a_text_extension_is_a_problem) {
    std::string junk = "MZ\x90";
    for (int i = 0; i < 300; ++i)
        junk += static_cast<char>(i * 37 % 256);
    for (const char* name : {"junk.txt", "junk.md", "junk.html"}) {
        BOOST_TEST(read_problem(name, junk) == "binary file, not text");
    }
}

BOOST_AUTO_TEST_CASE(html_found_by_content_in_a_txt_file) {
    const Record r = read_record("page.txt", "\xEF\xBB\xBF  \n<!DOCTYPE HTML><html><head><title>"
                                             "Une page</title></head><body><p>x</p></body>"
                                             "</html>");
    BOOST_TEST(r.title == "Une page");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(listing)

BOOST_AUTO_TEST_CASE(new_formats_are_listed) {
    kb::test::TempDir dir;
    for (const char* name : {"a.html", "b.htm", "c.pdf", "d.docx", "e.odt", "f.txt", "g.xlsx",
                             "h.zip", "i.pptx", "j.odp", "k.epub", "l.doc", "m.ppt", "README.md"})
        kb::test::write_file(dir.path() / name, "x");
    std::vector<std::string> names, skipped;
    std::vector<std::filesystem::path> documentation;
    for (const auto& f : kb::list_sources(
             dir.path(), false, [&](kb::ReadProblem&& p) { skipped.push_back(p.to_string()); },
             &documentation))
        names.push_back(f.filename().string());
    const std::vector<std::string> expected = {"a.html", "b.htm", "c.pdf",  "d.docx",
                                               "e.odt",  "f.txt", "i.pptx", "j.odp",
                                               "k.epub", "l.doc", "m.ppt"};
    BOOST_TEST(names == expected, boost::test_tools::per_element());
    // The others are accounted for: the types no reader knows with why, the documentation.
    BOOST_TEST_REQUIRE(skipped.size() == 2u);
    std::sort(skipped.begin(), skipped.end()); // in the order the walk met them
    BOOST_TEST(skipped[0].find("g.xlsx: unknown type (a .xlsx file)") != std::string::npos,
               skipped[0]);
    BOOST_TEST(skipped[1].find("h.zip: unknown type (a .zip file)") != std::string::npos,
               skipped[1]);
    BOOST_TEST_REQUIRE(documentation.size() == 1u);
    BOOST_TEST(documentation[0].filename() == "README.md");
}

BOOST_AUTO_TEST_SUITE_END()
