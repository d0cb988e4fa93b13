// Facet extraction quality: precision and recall per facet against the hand-labelled gold set
// tests/data/facets_gold.jsonl (seeds, CGCT articles, PIAF paragraphs, other legal codes).
//
// Usage: facet_eval [GOLD.jsonl] [CORPUS_DIR]

#include "core/facets/facet_catalog.h"
#include "core/facets/facet_extractor.h"
#include "eval/facet_gold.h"
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
};

} // namespace

struct GoldDoc {
    std::string id;
    kb::Record record;
    kb::eval::ExpectedFacets expected;
};

std::map<std::string, Score> evaluate(const std::vector<GoldDoc>& gold,
                                      const kb::ThemeScoring& scoring, bool verbose) {
    const kb::FacetCatalog& catalog = kb::FacetCatalog::builtin();
    kb::Analyzer analyzer;
    std::map<std::string, Score> scores;
    for (const GoldDoc& g : gold) {
        const kb::FacetValues got = kb::extract_facets(g.record, analyzer, catalog, scoring);
        auto compare = [&](const char* name, const std::set<std::string>& want,
                           const std::set<std::string>& have) {
            Score& s = scores[name];
            for (const auto& x : have) {
                if (want.count(x))
                    ++s.tp;
                else {
                    ++s.fp;
                    if (verbose)
                        std::cout << "  FP " << name << " " << x << " in " << g.id << "\n";
                }
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

int main(int argc, char** argv) {
    const std::string gold_path =
        argc > 1 ? argv[1] : KB_SOURCE_DIR "/tests/data/facets_gold.jsonl";
    const std::filesystem::path corpus = argc > 2 ? argv[2] : KB_SOURCE_DIR "/corpus";

    std::map<std::string, kb::Record> records;
    kb::ReadSink sink{
        [&](kb::Record&& r) { records[r.id] = std::move(r); },
        [](kb::ReadProblem&& p) { std::cerr << "skipped " << p.to_string() << "\n"; }};
    for (const auto& f : kb::list_sources(corpus))
        kb::read_source(f, corpus, sink);

    const kb::FacetCatalog& catalog = kb::FacetCatalog::builtin();
    std::vector<GoldDoc> gold;
    std::ifstream in(gold_path);
    if (!in) {
        std::cerr << "facet_eval: cannot read " << gold_path << "\n";
        return 1;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        rapidjson::Document d;
        d.Parse(line.c_str());
        if (d.HasParseError() || !d.IsObject()) {
            std::cerr << gold_path << ": malformed line skipped\n";
            continue;
        }
        GoldDoc g;
        g.id = d["id"].GetString();
        if (d.HasMember("text")) {
            g.record.id = g.id;
            g.record.text = d["text"].GetString();
            if (d.HasMember("title"))
                g.record.title = d["title"].GetString();
        } else if (auto it = records.find(g.id); it != records.end()) {
            g.record = it->second;
        } else {
            std::cerr << "facet_eval: " << g.id << " is not in " << corpus << "\n";
            continue;
        }
        g.expected = kb::eval::expected_facets(d["expected"], catalog);
        gold.push_back(std::move(g));
    }

    // How the theme threshold trades precision for recall.
    std::cout
        << "theme scoring sweep (title weight, min score long, min score short, short words)\n";
    for (int min_score : {1, 2, 3})
        for (int short_min : {1, 2})
            for (std::size_t short_words : {100, 200, 400}) {
                kb::ThemeScoring s;
                s.min_score = min_score;
                s.short_min_score = short_min;
                s.short_text_words = short_words;
                const Score t = evaluate(gold, s, false)["theme"];
                std::printf("  3 %d %d %3zu  precision %.3f recall %.3f  F1 %.3f\n", min_score,
                            short_min, short_words, t.precision(), t.recall(),
                            2 * t.precision() * t.recall() / (t.precision() + t.recall()));
            }

    std::cout << "\nerrors with the default scoring:\n";
    const auto scores = evaluate(gold, kb::ThemeScoring(), true);
    const std::size_t docs = gold.size();
    std::cout << "\nfacet extraction on " << docs << " hand-labelled documents (" << gold_path
              << ")\n";
    std::cout << "facet     precision  recall   tp   fp   fn\n";
    for (const auto& [name, s] : scores)
        std::printf("%-9s %9.3f %7.3f %4d %4d %4d\n", name.c_str(), s.precision(), s.recall(), s.tp,
                    s.fp, s.fn);
    return 0;
}
