#define BOOST_TEST_MODULE ocr
// Scanned PDFs: pages of real French text typeset into a PDF, rasterised at 300 dpi by
// pdftoppm and wrapped back into an image-only PDF by img2pdf (both Debian), then read by the
// PDF reader with Tesseract. Word recall against the typeset text, time per page, the record's
// OCR metadata, the modes, a text layer of noise, and the scan found end to end.
#include "core/error.h"
#include "indexer/readers/ocr.h"
#include "indexer/readers/pdf_reader.h"
#include "indexer/readers/source_reader.h"
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"
#include "tests/ingest_files.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using web::http::methods;

namespace {

// Seed 002 (France urbaine / INET), as published: accents, apostrophes, numbers, acronyms.
const std::vector<std::string> kPage1 = {
    "France urbaine et l'Institut National des Etudes Territoriales (INET) publient",
    "une étude sur la place et le rôle de l'action internationale des grandes villes,",
    "agglomérations et métropoles durant le mandat 2020-2026.",
    "Si l'ouverture des villes à l'international n'est pas nouvelle, leur rôle et leur",
    "influence se sont considérablement accrus ces dernières années. Les collectivités",
    "territoriales sont aujourd'hui des acteurs à part entière de la scène mondiale :",
    "coopération décentralisée, jumelages, réseaux de villes, attractivité économique",
    "et rayonnement culturel. Cette étude dresse un état des lieux des stratégies",
    "internationales des membres de France urbaine et propose des pistes pour renforcer",
    "la cohérence entre l'action extérieure des collectivités et celle de l'État.",
};
const std::vector<std::string> kPage2 = {
    "Les auteurs ont interrogé les directeurs des relations internationales de",
    "vingt-deux métropoles. Ils montrent que l'aide publique au développement des",
    "collectivités reste concentrée sur quelques pays partenaires, notamment le",
    "Sénégal, le Burkina Faso, Madagascar et le Liban, et que les projets portent",
    "d'abord sur l'eau, l'assainissement, la gestion des déchets et la formation.",
};

// UTF-8 → a PDF string in WinAnsiEncoding (octal escapes), for the standard Helvetica font.
std::string win_ansi(const std::string& utf8) {
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        unsigned char c = static_cast<unsigned char>(utf8[i]);
        unsigned cp = c;
        std::size_t n = 1;
        if (c >= 0xC0 && c < 0xE0) {
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
            n = 2;
        }
        i += n;
        if (cp == '(' || cp == ')' || cp == '\\') {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\%03o", cp & 0xFFu);
            out += esc;
        }
    }
    return out;
}

std::string text_pdf(const std::vector<std::vector<std::string>>& pages) {
    std::vector<std::string> streams;
    for (const auto& lines : pages) {
        std::vector<std::string> encoded;
        for (const auto& l : lines)
            encoded.push_back(win_ansi(l));
        streams.push_back(kb::test::text_stream(encoded));
    }
    return kb::test::pdf_document(streams, "<< /Title (Etude) >>");
}

std::string read_bytes_of(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// What a scanner gives: the pages as 300 dpi grey images, no text layer.
std::string scanned(const std::string& pdf, const fs::path& dir) {
    kb::test::write_file(dir / "typeset.pdf", pdf);
    const std::string cmd = "cd '" + dir.string() +
                            "' && pdftoppm -r 300 -gray -png typeset.pdf page && img2pdf "
                            "--pagesize A4 page-*.png -o scan.pdf && rm -f page-*.png";
    BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0, cmd);
    return read_bytes_of(dir / "scan.pdf");
}

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::string w;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
        if (std::isalnum(c) != 0 || c >= 0x80) {
            w += static_cast<char>(std::tolower(c));
        } else if (!w.empty()) {
            words.push_back(w);
            w.clear();
        }
    }
    return words;
}

// Share of the original's words (with their multiplicity) found in the recognised text.
double word_recall(const std::vector<std::string>& original, const std::string& recognised) {
    std::map<std::string, int> available;
    for (const auto& w : words_of(recognised))
        ++available[w];
    std::size_t total = 0, found = 0;
    for (const auto& line : original)
        for (const auto& w : words_of(line)) {
            ++total;
            if (available[w]-- > 0)
                ++found;
        }
    return total ? static_cast<double>(found) / total : 0;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines)
        s += l + "\n";
    return s;
}

// The scan of kPage1 + kPage2, made once.
struct Scan {
    kb::test::TempDir dir;
    std::string pdf = scanned(text_pdf({kPage1, kPage2}), dir.path());
};
Scan& scan() {
    static Scan s;
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ocr)

BOOST_AUTO_TEST_CASE(a_scanned_pdf_is_recognised_in_french_page_by_page) {
    const auto started = std::chrono::steady_clock::now();
    const kb::Record r = kb::read_pdf(scan().pdf, "scan.pdf");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    BOOST_TEST(r.metadata.at("ocr") == "true");
    BOOST_TEST(r.metadata.at("ocr_pages") == "1-2");
    const int confidence = std::stoi(r.metadata.at("ocr_confidence"));
    BOOST_TEST(confidence >= 70);
    const std::size_t ff = r.text.find('\f');
    BOOST_TEST_REQUIRE(ff != std::string::npos, r.text);
    const double recall1 = word_recall(kPage1, r.text.substr(0, ff));
    const double recall2 = word_recall(kPage2, r.text.substr(ff + 1));
    BOOST_TEST_MESSAGE("OCR word recall: page 1 " << recall1 << ", page 2 " << recall2
                                                  << "; confidence " << confidence << "; "
                                                  << seconds / 2 << " s per page");
    BOOST_TEST(recall1 >= 0.95);
    BOOST_TEST(recall2 >= 0.95);
    // Accented words, a hyphenated compound and a cut-free line join survive.
    BOOST_TEST(r.text.find("coopération décentralisée") != std::string::npos, r.text);
    BOOST_TEST(r.text.find("Sénégal") != std::string::npos, r.text);
}

BOOST_AUTO_TEST_CASE(never_mode_skips_a_scan_and_says_why) {
    kb::OcrOptions off;
    off.mode = kb::OcrOptions::Mode::Never;
    try {
        kb::read_pdf(scan().pdf, "scan.pdf", off);
        BOOST_FAIL("a scan without OCR has no text");
    } catch (const kb::Error& e) {
        BOOST_TEST(std::string(e.what()).find("--ocr=never") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_text_layer_is_kept_in_auto_mode_and_always_mode_recognises_it) {
    const std::string pdf = text_pdf({kPage2});
    const kb::Record layer = kb::read_pdf(pdf, "t.pdf");
    BOOST_TEST(layer.metadata.count("ocr") == 0u);
    BOOST_TEST(word_recall(kPage2, layer.text) == 1.0);
    kb::OcrOptions always;
    always.mode = kb::OcrOptions::Mode::Always;
    const kb::Record both = kb::read_pdf(pdf, "t.pdf", always);
    // OCR replaces the layer only with more dictionary words: either way the words are there.
    BOOST_TEST(word_recall(kPage2, both.text) >= 0.95);
}

BOOST_AUTO_TEST_CASE(a_layer_of_noise_is_not_text) {
    BOOST_TEST(kb::reads_as_text(joined(kPage1)));
    BOOST_TEST(kb::reads_as_text("The decentralised cooperation of cities"));
    BOOST_TEST(!kb::reads_as_text(""));
    BOOST_TEST(!kb::reads_as_text("12 34 56 \f 7"));
    // What a broken font map makes of glyph codes: letters, but no words.
    BOOST_TEST(!kb::reads_as_text("Gsbodf vscbjof fu m'Jotujuvu Obujpobm eft Fuveft Ufssjupsjbmft "
                                  "qvcmjfou vof fuvef tvs mb qmbdf fu mf s\xc3\xb4mf"));
    // One stray match in a long run of noise is still noise.
    std::string noise;
    for (int i = 0; i < 60; ++i)
        noise += "xqzt ";
    BOOST_TEST(!kb::reads_as_text(noise + " de"));
}

// A font whose ToUnicode map is off by one letter, as broken font maps are: the page shows
// kPage1, its text layer reads "Gsbodf vscbjof …".
std::string broken_font_map_pdf() {
    std::vector<std::string> encoded;
    for (const auto& l : kPage1)
        encoded.push_back(win_ansi(l));
    const std::string content = kb::test::text_stream(encoded);
    const std::string cmap =
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Shifted def "
        "/CMapType 2 def 1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfrange <41> "
        "<59> <0042> <61> <79> <0062> endbfrange endcmap CMapName currentdict /CMap "
        "defineresource pop end end";
    return kb::test::pdf_file(
        {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 "
         "R >> >> /Contents 4 0 R >>",
         "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
         "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
         "/ToUnicode 6 0 R >>",
         "<< /Length " + std::to_string(cmap.size()) + " >>\nstream\n" + cmap + "\nendstream",
         "<< /Title (Bruit) >>"},
        7);
}

BOOST_AUTO_TEST_CASE(a_text_layer_of_noise_is_replaced_by_the_ocr_of_the_page) {
    const std::string pdf = broken_font_map_pdf();
    kb::OcrOptions off;
    off.mode = kb::OcrOptions::Mode::Never;
    const kb::Record layer = kb::read_pdf(pdf, "bruit.pdf", off);
    BOOST_TEST_REQUIRE(!kb::reads_as_text(layer.text), layer.text);
    const kb::Record r = kb::read_pdf(pdf, "bruit.pdf");
    BOOST_TEST(r.metadata.count("ocr") == 1u);
    BOOST_TEST(word_recall(kPage1, r.text) >= 0.95, r.text);
}

BOOST_AUTO_TEST_CASE(a_blank_scan_is_a_problem_that_says_ocr_found_nothing) {
    kb::test::TempDir dir;
    const std::string blank = scanned(kb::test::pdf_document({"BT ET"}, "<< >>"), dir.path());
    kb::test::write_file(dir.path() / "blank.pdf", blank);
    std::vector<kb::ReadProblem> problems;
    kb::ReadSink sink{[](kb::Record&&) { BOOST_FAIL("no record from a blank page"); },
                      [&](kb::ReadProblem&& p) { problems.push_back(std::move(p)); }};
    kb::read_source(dir.path() / "blank.pdf", dir.path(), sink);
    BOOST_TEST_REQUIRE(problems.size() == 1u);
    BOOST_TEST(problems[0].reason.find("OCR found no text") != std::string::npos,
               problems[0].reason);
}

BOOST_AUTO_TEST_CASE(a_scan_is_found_end_to_end_with_its_page) {
    kb::test::TempDir dir;
    fs::create_directories(dir.path() / "corpus");
    kb::test::write_file(dir.path() / "corpus" / "etude-scannee.pdf", scan().pdf);
    const std::string index = (dir.path() / "index").string();
    std::string summary;
    BOOST_TEST_REQUIRE(
        kb::test::run_indexer(index,
                              {"--no-vectors", "--ocr", "auto", (dir.path() / "corpus").string()},
                              &summary) == 0,
        summary);
    kb::test::ServerProcess server(index);
    const auto reply =
        kb::test::http_send(server.url(), methods::GET, "/search?expand=false&q=assainissement");
    BOOST_TEST_REQUIRE(reply.status == 200, reply.body);
    BOOST_TEST(reply.body.find("etude-scannee.pdf") != std::string::npos, reply.body);
    const auto doc =
        kb::test::http_send(server.url(), methods::GET, "/documents/etude-scannee.pdf").json();
    BOOST_TEST(doc.at("metadata").at("ocr").as_string() == "true");
    // --ocr=never on the same folder: skipped, the reason given, exit status 2.
    const std::string other = (dir.path() / "index2").string();
    BOOST_TEST(kb::test::run_indexer(
                   other, {"--no-vectors", "--ocr=never", (dir.path() / "corpus").string()},
                   &summary) == 2);
    BOOST_TEST(summary.find("--ocr=never") != std::string::npos, summary);
    BOOST_TEST(kb::test::run_indexer(other, {"--ocr=sometimes", "x"}, &summary) != 0);
}

BOOST_AUTO_TEST_SUITE_END()
