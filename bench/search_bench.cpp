// Search latency in-process: the same queries with and without facet counts (and with a
// facet filter, which adds one disjunctive count), on an index built from a JSONL corpus.
//
// Usage: search_bench [CORPUS.jsonl] [QUERIES.jsonl] [MAX_QUERIES]
// Defaults: the bundled CGCT, and the CGCT heading queries of ../shared/datasets/legi-codes-fr.

#include "index_writer.h"
#include "readers/jsonl_reader.h"
#include "searcher.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> load_queries(const std::string& path, std::size_t max) {
    std::vector<std::string> queries;
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::string line;
    while (std::getline(in, line) && queries.size() < max) {
        rapidjson::Document d;
        d.Parse(line.c_str());
        if (d.HasParseError() || !d.HasMember("text"))
            continue;
        // Keep the CGCT's own headings when the set spans several codes.
        if (d.HasMember("codes") && line.find("collectivites-territoriales") == std::string::npos)
            continue;
        queries.emplace_back(d["text"].GetString());
    }
    return queries;
}

void report(const char* name, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    double total = 0;
    for (double m : ms)
        total += m;
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, std::size_t(p * ms.size()))]; };
    std::printf("  %-34s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  %7.0f queries/s\n", name,
                pct(0.5), pct(0.9), pct(0.99), 1000.0 * ms.size() / total);
}

} // namespace

int main(int argc, char** argv) {
    const std::string corpus =
        argc > 1 ? argv[1]
                 : KB_SOURCE_DIR "/corpus/cgct/code-general-des-collectivites-territoriales.jsonl";
    const std::string queries_path = argc > 2 ? argv[2]
                                              : KB_SOURCE_DIR
                                         "/../shared/datasets/legi-codes-fr/queries-headings.jsonl";
    const std::size_t max_queries = argc > 3 ? std::stoul(argv[3]) : 500;

    const auto dir = std::filesystem::temp_directory_path() / "kb-search-bench";
    std::filesystem::remove_all(dir);
    {
        auto start = std::chrono::steady_clock::now();
        kb::IndexWriter writer(dir.string());
        kb::parse_jsonl(
            read_file(corpus), corpus, [&](kb::Record&& r) { writer.write(r); },
            [](kb::ReadProblem&& p) { std::cerr << p.to_string() << "\n"; });
        writer.commit();
        std::printf(
            "indexed %u documents from %s in %.1f s\n", writer.document_count(), corpus.c_str(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const auto queries = load_queries(queries_path, max_queries);
    std::printf("%zu queries from %s\n", queries.size(), queries_path.c_str());

    kb::Searcher searcher(dir.string());
    auto run = [&](bool facets, bool filter) {
        std::vector<double> ms;
        for (const std::string& q : queries) {
            kb::SearchRequest req;
            req.q = q;
            req.facets = facets;
            if (filter)
                req.filters.include[kb::Facet::Theme] = {"action-internationale"};
            auto start = std::chrono::steady_clock::now();
            kb::SearchResult r = searcher.search(req);
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
        }
        return ms;
    };
    run(true, false); // warm the caches
    report("lexical, no facets", run(false, false));
    report("lexical + facet counts", run(true, false));
    report("lexical + facets + theme filter", run(true, true));
    std::filesystem::remove_all(dir);
    return 0;
}
