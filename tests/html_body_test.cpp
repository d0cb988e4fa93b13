#define BOOST_TEST_MODULE html_body
// Boilerplate removal measured on real-shaped French pages (tests/data/html_pages): every
// NAME.html has a NAME.expect with the words its body must keep ("body: …") and the words of
// its chrome (menus, agenda, news lists, banners, footers) that must not reach the body
// ("chrome: …"). The real reader (read_source, as kb-indexer calls it) reads each page; words
// are compared after the project's analysis (folded terms), as a query would see them. The
// per-page table is printed on stdout, so that its figures can be quoted:
//   build/tests/html_body_test --log_level=nothing
#include "core/analysis/analyzer.h"
#include "indexer/readers/source_reader.h"
#include "tests/reader_support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Every page must keep this share of its body words and leave out this share of its chrome
// words. Measured on the set: see the table this test prints.
constexpr double kMinRecall = 0.9;
constexpr double kMinChromeExclusion = 0.8;

struct Expectation {
    std::vector<std::string> body, chrome; // as written in the .expect file
};

Expectation read_expectation(const fs::path& file) {
    std::ifstream in(file);
    BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot open " << file);
    Expectation e;
    std::string line;
    while (std::getline(in, line)) {
        const std::size_t colon = line.find(':');
        if (line.empty() || line[0] == '#' || colon == std::string::npos)
            continue;
        const std::string key = line.substr(0, colon);
        std::istringstream words(line.substr(colon + 1));
        std::vector<std::string>& out = key == "body" ? e.body : e.chrome;
        BOOST_TEST_REQUIRE((key == "body" || key == "chrome"), file << ": unknown key " << key);
        for (std::string w; words >> w;)
            out.push_back(w);
    }
    BOOST_TEST_REQUIRE(!e.body.empty(), file << ": no body words");
    BOOST_TEST_REQUIRE(!e.chrome.empty(), file << ": no chrome words");
    return e;
}

// Terms in ASCII lower case too: the analyser keeps the case of legal codes ("L1115") in
// running text, which a word written alone in the .expect file does not show.
std::string term_of(const kb::Token& t) {
    std::string term = t.term;
    for (char& c : term)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return term;
}

std::set<std::string> terms_of(const kb::Analyzer& analyzer, const std::string& text) {
    std::set<std::string> terms;
    for (const kb::Token& t : analyzer.tokenize(text))
        terms.insert(term_of(t));
    return terms;
}

// A word of the expectation is in the body when all its terms are ("vide-greniers").
bool found(const kb::Analyzer& analyzer, const std::set<std::string>& body,
           const std::string& word) {
    for (const kb::Token& t : analyzer.tokenize(word))
        if (!t.compound && !body.count(term_of(t)))
            return false;
    return true;
}

struct PageScore {
    std::string name;
    double recall = 0, exclusion = 0;
    std::vector<std::string> missed, leaked;
    std::size_t body_bytes = 0;
};

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words)
        out += (out.empty() ? "" : " ") + w;
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(pages_keep_their_body_and_drop_their_chrome) {
    const fs::path dir = fs::path(KB_TEST_DATA_DIR) / "html_pages";
    std::vector<fs::path> pages;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".html")
            pages.push_back(entry.path());
    std::sort(pages.begin(), pages.end());
    BOOST_TEST_REQUIRE(pages.size() >= 30u);

    const kb::Analyzer analyzer;
    std::vector<PageScore> scores;
    for (const fs::path& page : pages) {
        const Expectation e = read_expectation(fs::path(page).replace_extension(".expect"));
        kb::test::Collected c;
        kb::read_source(page, dir, c.sink());
        BOOST_TEST_REQUIRE(c.records.size() == 1u, page.filename() << ": no record");
        const std::set<std::string> body = terms_of(analyzer, c.records[0].text);
        PageScore s;
        s.name = page.stem().string();
        s.body_bytes = c.records[0].text.size();
        for (const std::string& w : e.body)
            if (!found(analyzer, body, w))
                s.missed.push_back(w);
        for (const std::string& w : e.chrome)
            if (found(analyzer, body, w))
                s.leaked.push_back(w);
        s.recall = 1.0 - static_cast<double>(s.missed.size()) / static_cast<double>(e.body.size());
        s.exclusion =
            1.0 - static_cast<double>(s.leaked.size()) / static_cast<double>(e.chrome.size());
        scores.push_back(std::move(s));
    }

    double recall_sum = 0, exclusion_sum = 0, recall_min = 1, exclusion_min = 1;
    std::printf("%-36s %6s %8s %7s  %s\n", "page", "recall", "chrome-", "bytes",
                "missed body words | leaked chrome words");
    for (const PageScore& s : scores) {
        std::printf("%-36s %6.2f %8.2f %7zu  %s | %s\n", s.name.c_str(), s.recall, s.exclusion,
                    s.body_bytes, joined(s.missed).c_str(), joined(s.leaked).c_str());
        recall_sum += s.recall;
        exclusion_sum += s.exclusion;
        recall_min = std::min(recall_min, s.recall);
        exclusion_min = std::min(exclusion_min, s.exclusion);
    }
    const auto n = static_cast<double>(scores.size());
    std::printf("%zu pages: body recall mean %.3f min %.3f; chrome exclusion mean %.3f min %.3f\n",
                scores.size(), recall_sum / n, recall_min, exclusion_sum / n, exclusion_min);
    std::fflush(stdout);

    for (const PageScore& s : scores) {
        BOOST_TEST(s.recall >= kMinRecall,
                   s.name << ": body recall " << s.recall << ", missed " << joined(s.missed));
        BOOST_TEST(s.exclusion >= kMinChromeExclusion, s.name << ": chrome exclusion "
                                                              << s.exclusion << ", leaked "
                                                              << joined(s.leaked));
    }
}

// Never nothing when the page has text of its own: a page of short lines without any
// structure keeps its densest block; a page whose only text is its chrome is indexed by its
// title, and the problem names the file without skipping it.
BOOST_AUTO_TEST_CASE(the_densest_block_is_the_last_resort_and_no_body_is_reported) {
    kb::test::Collected lines;
    kb::read_bytes("<html><head><title>Permanence</title></head><body><div class=menu>"
                   "<a href=/>Accueil</a> <a href=/a>Agenda</a></div><div>Permanence des élus"
                   "</div><div>le samedi matin</div></body></html>",
                   "permanence.html", "permanence.html", lines.sink());
    BOOST_TEST_REQUIRE(lines.records.size() == 1u);
    BOOST_TEST(lines.problems.empty());
    BOOST_TEST(lines.records[0].text.find("Permanence des élus") != std::string::npos,
               lines.records[0].text);
    BOOST_TEST(lines.records[0].text.find("Agenda") == std::string::npos, lines.records[0].text);

    kb::test::Collected chrome;
    kb::read_bytes("<!doctype html><html><head><title>Galerie</title></head><body><header>Ville"
                   "</header><nav><a href=/>Accueil</a></nav><main><img src=a.jpg></main>"
                   "<footer>Mentions légales</footer></body></html>",
                   "galerie.html", "galerie.html", chrome.sink());
    BOOST_TEST_REQUIRE(chrome.records.size() == 1u);
    BOOST_TEST(chrome.records[0].title == "Galerie");
    BOOST_TEST(chrome.records[0].text.empty());
    BOOST_TEST_REQUIRE(chrome.problems.size() == 1u);
    BOOST_TEST(chrome.problems[0].path == "galerie.html");
    BOOST_TEST(!chrome.problems[0].skipped);
    BOOST_TEST(chrome.problems[0].reason.find("no body text") != std::string::npos);
}
