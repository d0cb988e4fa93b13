// Facet extraction quality: precision and recall per facet against the hand-labelled gold set
// tests/data/facets_gold.jsonl (seeds, CGCT articles, the HTML test pages, PIAF paragraphs,
// other legal codes; labelling rules in tests/data/FACETS_GOLD.md), on its training and test
// halves (the split of the relevance sets, is_test in metrics.h). The theme threshold sweep
// runs on the training half only.
//
// Usage: facet_eval [GOLD.jsonl] [CORPUS_DIR] [HTML_PAGES_DIR] [--verbose] [--dump]
//   --verbose  the errors on the training half
//   --dump     what extraction gives every record of CORPUS_DIR, one line each (for reading the
//              unlabelled records while developing a rule)

#include "core/facets/facet_catalog.h"
#include "core/facets/facet_extractor.h"
#include "eval/facet_gold.h"
#include "eval/metrics.h"
#include "indexer/readers/source_reader.h"

#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

namespace {

struct Score {
    int tp = 0, fp = 0, fn = 0;
    double precision() const { return tp + fp ? double(tp) / (tp + fp) : 1.0; }
    double recall() const { return tp + fn ? double(tp) / (tp + fn) : 1.0; }
    double f1() const {
        const double p = precision(), r = recall();
        return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    }
};

struct GoldDoc {
    std::string id;
    bool test = false;
    kb::Record record;
    kb::eval::ExpectedFacets expected;
};

enum class Half { Train, Test };

std::map<std::string, Score> evaluate(const std::vector<GoldDoc>& gold, Half half,
                                      const kb::ThemeScoring& scoring, bool verbose) {
    const kb::FacetCatalog& catalog = kb::FacetCatalog::builtin();
    kb::Analyzer analyzer;
    std::map<std::string, Score> scores;
    for (const GoldDoc& g : gold) {
        if (g.test != (half == Half::Test))
            continue;
        const kb::FacetValues got = kb::extract_facets(g.record, analyzer, catalog, scoring);
        auto compare = [&](const char* name, const std::set<std::string>& want,
                           const std::set<std::string>& have) {
            Score& s = scores[name];
            for (const auto& x : have) {
                if (want.count(x)) {
                    ++s.tp;
                    continue;
                }
                ++s.fp;
                if (verbose)
                    std::cout << "  FP " << name << " " << x << " in " << g.id << "\n";
            }
            for (const auto& x : want)
                if (!have.count(x)) {
                    ++s.fn;
                    if (verbose)
                        std::cout << "  FN " << name << " " << x << " in " << g.id << "\n";
                }
        };
        compare("country", g.expected.countries, got.countries);
        compare("actor", g.expected.actors, got.actors);
        compare("theme", g.expected.themes, got.themes);
    }
    return scores;
}

// Every record of a folder as the indexer reads it, by id.
std::map<std::string, kb::Record> read_folder(const std::filesystem::path& folder) {
    std::map<std::string, kb::Record> records;
    kb::ReadSink sink{
        [&](kb::Record&& r) { records[r.id] = std::move(r); },
        [](kb::ReadProblem&& p) { std::cerr << "skipped " << p.to_string() << "\n"; }};
    for (const auto& f : kb::list_sources(folder))
        kb::read_source(f, folder, sink);
    return records;
}

void print_table(const char* title, const std::map<std::string, Score>& scores, int docs) {
    std::printf("\n%s (%d documents)\n", title, docs);
    std::printf("facet     precision  recall     F1   tp   fp   fn\n");
    for (const auto& [name, s] : scores)
        std::printf("%-9s %9.3f %7.3f %6.3f %4d %4d %4d\n", name.c_str(), s.precision(), s.recall(),
                    s.f1(), s.tp, s.fp, s.fn);
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args;
    bool verbose = false, dump = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--verbose")
            verbose = true;
        else if (std::string(argv[i]) == "--dump")
            dump = true;
        else
            args.emplace_back(argv[i]);
    }
    const std::string gold_path =
        args.size() > 0 ? args[0] : KB_SOURCE_DIR "/tests/data/facets_gold.jsonl";
    const std::filesystem::path corpus = args.size() > 1 ? args[1] : KB_SOURCE_DIR "/corpus";
    const std::filesystem::path pages =
        args.size() > 2 ? args[2] : KB_SOURCE_DIR "/tests/data/html_pages";

    const std::map<std::string, kb::Record> records = read_folder(corpus);
    std::map<std::string, kb::Record> html;
    for (auto& [id, record] : read_folder(pages)) // ids are file names: 01-main-article.html
        html["html_pages/" + std::filesystem::path(id).stem().string()] = record;

    const kb::FacetCatalog& catalog = kb::FacetCatalog::builtin();
    if (dump) {
        kb::Analyzer analyzer;
        auto join = [](const std::set<std::string>& values) {
            std::string out;
            for (const auto& v : values)
                out += (out.empty() ? "" : ",") + v;
            return out;
        };
        for (const auto& [id, record] : records) {
            const kb::FacetValues v = kb::extract_facets(record, analyzer, catalog);
            std::cout << id << "\tcountry=" << join(v.countries) << "\tactor=" << join(v.actors)
                      << "\ttheme=" << join(v.themes) << "\n";
        }
        return 0;
    }
    std::vector<GoldDoc> gold;
    std::ifstream in(gold_path);
    if (!in) {
        std::cerr << "facet_eval: cannot read " << gold_path << "\n";
        return 1;
    }
    std::string line;
    int line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (line.empty())
            continue;
        rapidjson::Document d;
        d.Parse(line.c_str());
        if (d.HasParseError() || !d.IsObject() || !d.HasMember("id") || !d["id"].IsString() ||
            !d.HasMember("expected") || !d["expected"].IsObject()) {
            std::cerr << gold_path << ":" << line_number << ": malformed line skipped\n";
            continue;
        }
        GoldDoc g;
        g.id = d["id"].GetString();
        g.test = kb::eval::is_test(g.id);
        const std::string source = d.HasMember("source") ? d["source"].GetString() : "";
        if (d.HasMember("text")) {
            g.record.id = g.id;
            g.record.text = d["text"].GetString();
            if (d.HasMember("title"))
                g.record.title = d["title"].GetString();
        } else if (auto it = (source == "html" ? html : records).find(g.id);
                   it != (source == "html" ? html : records).end()) {
            g.record = it->second;
        } else {
            std::cerr << "facet_eval: " << g.id << " (source " << source << ") not found in "
                      << (source == "html" ? pages : corpus) << "\n";
            continue;
        }
        g.expected = kb::eval::expected_facets(d["expected"], catalog);
        gold.push_back(std::move(g));
    }
    int train_docs = 0, test_docs = 0;
    for (const GoldDoc& g : gold)
        ++(g.test ? test_docs : train_docs);

    // How the theme threshold trades precision for recall, on the training half only.
    std::cout << "theme scoring sweep on the training half (title weight, min score long, min "
                 "score short, short words)\n";
    for (int min_score : {1, 2, 3})
        for (int short_min : {1, 2})
            for (std::size_t short_words : {100, 200, 400}) {
                kb::ThemeScoring s;
                s.min_score = min_score;
                s.short_min_score = short_min;
                s.short_text_words = short_words;
                const Score t = evaluate(gold, Half::Train, s, false)["theme"];
                std::printf("  3 %d %d %3zu  precision %.3f recall %.3f  F1 %.3f\n", min_score,
                            short_min, short_words, t.precision(), t.recall(), t.f1());
            }

    if (verbose) {
        std::cout << "\nerrors on the training half with the default scoring:\n";
        evaluate(gold, Half::Train, kb::ThemeScoring(), true);
    }
    std::cout << "\nfacet extraction, hand-labelled gold set " << gold_path << " (" << gold.size()
              << " documents; rules in tests/data/FACETS_GOLD.md)\n";
    print_table("training half", evaluate(gold, Half::Train, kb::ThemeScoring(), false),
                train_docs);
    print_table("test half (targets: precision >= 0.92, recall >= 0.85)",
                evaluate(gold, Half::Test, kb::ThemeScoring(), false), test_docs);
    return 0;
}
