// The semantic layer's costs, in-process, on one index:
// 1. query understanding: parse_query with concept recognition and expansion (the field's
//    acronyms from the index's synonym table, themes, actors, countries in French and English)
//    against the same parse without them — the "≤ 1 ms per query";
// 2. /search per mode (lexical, hybrid, semantic) with facet counts, as the server runs it —
//    the "default-mode /search p99 ≤ 30 ms on the legi-codes + PIAF corpus".
//
// Usage: semantic_bench --index DIR [--queries FILE]... [--max N] [--modes lexical,hybrid,...]
// FILE: JSON Lines with a "text" field (eval/data/concept_questions.jsonl, the legi-codes
// headings) or TSV "id<TAB>text" (the evaluation's *.queries.tsv). Default: the concept
// questions. bench/README.md has the figures and how the legi + PIAF index is built.

#include "bench/bench_args.h"
#include "core/analysis/analyzer.h"
#include "core/search/query/query_builder.h"
#include "core/search/searcher.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::vector<std::string> load_queries(const std::string& path, std::size_t max) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line) && out.size() < max) {
        if (line.empty())
            continue;
        if (line.front() == '{') {
            rapidjson::Document d;
            d.Parse(line.c_str());
            if (!d.HasParseError() && d.IsObject() && d.HasMember("text") && d["text"].IsString())
                out.emplace_back(d["text"].GetString());
        } else if (auto tab = line.find('\t'); tab != std::string::npos) {
            out.push_back(line.substr(tab + 1));
        }
    }
    return out;
}

struct Stats {
    double p50, p90, p99, mean;
};

Stats stats(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    double total = 0;
    for (double m : ms)
        total += m;
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, std::size_t(p * ms.size()))]; };
    return {pct(0.5), pct(0.9), pct(0.99), total / double(ms.size())};
}

void print(const std::string& name, const std::vector<double>& ms, const std::string& extra = "") {
    const Stats s = stats(ms);
    std::printf("  %-40s p50 %7.3f  p90 %7.3f  p99 %7.3f  mean %7.3f ms%s\n", name.c_str(), s.p50,
                s.p90, s.p99, s.mean, extra.c_str());
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, sep))
        if (!item.empty())
            out.push_back(item);
    return out;
}

} // namespace

int main(int argc, char** argv) try {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string index;
    std::vector<std::string> query_files;
    std::size_t max = 1000;
    std::vector<std::string> modes = {"lexical", "hybrid", "semantic"};
    for (kb::bench::Args a(args); a.next();) {
        if (a.is("--index"))
            index = a.value();
        else if (a.is("--queries"))
            query_files.push_back(a.value());
        else if (a.is("--max"))
            max = std::stoul(a.value());
        else if (a.is("--modes"))
            modes = split(a.value(), ',');
        else
            throw std::runtime_error("unknown argument " + a.current() +
                                     " (see the file's header)");
    }
    if (index.empty())
        throw std::runtime_error("--index DIR is required");
    if (query_files.empty())
        query_files.push_back(KB_SOURCE_DIR "/eval/data/concept_questions.jsonl");

    std::vector<std::string> queries;
    for (const std::string& f : query_files) {
        auto q = load_queries(f, max);
        std::printf("%zu queries from %s\n", q.size(), f.c_str());
        queries.insert(queries.end(), q.begin(), q.end());
    }
    if (queries.empty())
        throw std::runtime_error("no queries");

    const Xapian::Database db(index);
    std::printf("index %s: %u documents\n", index.c_str(), db.get_doccount());

    // 1. Query understanding. Each query parsed twice per round, best of 3 rounds per query
    //    (the first round also warms the synonym table's blocks).
    std::printf("\n== query understanding (parse_query), per query\n");
    const kb::Analyzer analyzer;
    std::vector<double> ms_with, ms_without, overhead;
    std::size_t expanded = 0, english = 0;
    for (const std::string& q : queries) {
        double best_with = 1e9, best_without = 1e9;
        for (int round = 0; round < 3; ++round) {
            auto t = Clock::now();
            const kb::ParsedQuery p = kb::parse_query(q, analyzer, &db, true);
            best_with = std::min(best_with, ms_since(t));
            t = Clock::now();
            const kb::ParsedQuery plain = kb::parse_query(q, analyzer, &db, false);
            best_without = std::min(best_without, ms_since(t));
            if (round == 0) {
                expanded += p.expansions.empty() ? 0 : 1;
                english += p.english ? 1 : 0;
            }
        }
        ms_with.push_back(best_with);
        ms_without.push_back(best_without);
        overhead.push_back(std::max(0.0, best_with - best_without));
    }
    char extra[120];
    std::snprintf(extra, sizeof extra, "   (%zu of %zu queries expanded, %zu taken as English)",
                  expanded, queries.size(), english);
    print("with concepts and expansion", ms_with, extra);
    print("without (expand=false)", ms_without);
    print("concept recognition + expansion", overhead);

    // 2. /search per mode, facets counted, snippets built: what the server does per request.
    std::printf("\n== /search in-process, facets and snippets, per query\n");
    kb::Searcher searcher(index);
    std::printf("  vectors: %s\n", searcher.vector_status().c_str());
    for (const std::string& name : modes) {
        const auto mode = kb::search_mode_from_name(name);
        if (!mode)
            throw std::runtime_error("unknown mode " + name);
        if (*mode != kb::SearchMode::Lexical && searcher.vector_status() != "ready") {
            std::printf("  %-40s skipped: the index's vectors are %s\n", name.c_str(),
                        searcher.vector_status().c_str());
            continue;
        }
        std::vector<double> ms;
        for (int round = 0; round < 2; ++round) { // the first round warms the caches
            ms.clear();
            for (const std::string& q : queries) {
                kb::SearchRequest req;
                req.q = q;
                req.mode = *mode;
                const auto t = Clock::now();
                const kb::SearchResult r = searcher.search(req);
                ms.push_back(ms_since(t));
            }
        }
        print(name, ms);
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "semantic_bench: " << e.what() << "\n";
    return 1;
}
