// Search latency in-process: the same queries with and without facet counts (and with a
// facet filter, which adds one disjunctive count), on an index built from a JSONL corpus.
//
// Usage: search_bench [CORPUS.jsonl] [QUERIES.jsonl] [MAX_QUERIES]
//        search_bench --index DIR [--queries QUERIES.jsonl] [--max N] [--tsv]
//                     [--facet-sample N] [--facet-error] [--slowest N] [--ids FILE]
// Defaults: the bundled CGCT, and the CGCT heading queries of ../shared/datasets/legi-codes-fr.
// --index opens an existing index instead of building one (bench/scale runs it on indexes of
// up to a million passages); --tsv prints one line per run: name, p50, p90, p99 (ms), queries/s.
// --facet-sample sets search.facet_sample (default the server's; 0: count every match).
// --facet-error also compares the sampled counts with exact ones: for the queries whose counts
// were estimated, the relative error of each facet's 5 largest exact counts.
// --slowest N prints, to stderr, the N slowest queries of the facet-count run with how they
// matched, and each one's time again without concept expansion and without facet counts
// (where the tail comes from).
// --ids FILE writes each query's first page and total, with and without facet counts (a line
// per query and run: the run, the query, the total, exact or not, then the record ids and
// scores), so two layouts of one corpus (one database, remote shards) or two builds can be
// compared.
// --index also takes what the server's --index takes: a stub file or a list of shards.

#include "bench/bench_args.h"
#include "core/indexing/index_writer.h"
#include "core/search/searcher.h"
#include "indexer/readers/jsonl_reader.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
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

bool tsv = false;

void report(const char* name, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    double total = 0;
    for (double m : ms)
        total += m;
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, std::size_t(p * ms.size()))]; };
    if (tsv)
        std::printf("%s\t%.3f\t%.3f\t%.3f\t%.1f\n", name, pct(0.5), pct(0.9), pct(0.99),
                    1000.0 * ms.size() / total);
    else
        std::printf("  %-34s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  %7.0f queries/s\n", name,
                    pct(0.5), pct(0.9), pct(0.99), 1000.0 * ms.size() / total);
}

// Relative errors of sampled facet counts against exact ones (the sample set to 0), over the
// queries whose counts were estimates: each facet's 5 largest exact counts.
void report_facet_error(kb::Searcher& searcher, const std::vector<std::string>& queries,
                        kb::RankingSettings settings) {
    std::vector<double> errors;
    std::size_t estimated = 0;
    for (const std::string& q : queries) {
        kb::SearchRequest req;
        req.q = q;
        searcher.set_ranking(settings);
        const kb::SearchResult sampled = searcher.search(req);
        if (sampled.facets_exact)
            continue;
        ++estimated;
        kb::RankingSettings exact_settings = settings;
        exact_settings.facet_sample = 0;
        searcher.set_ranking(exact_settings);
        const kb::SearchResult exact = searcher.search(req);
        for (const auto& [facet, counts] : exact.facets) {
            std::map<std::string, unsigned long long> got;
            if (auto it = sampled.facets.find(facet); it != sampled.facets.end())
                for (const kb::FacetCount& c : it->second)
                    got[c.id] = c.count;
            for (std::size_t i = 0; i < counts.size() && i < 5; ++i)
                errors.push_back(std::abs(double(got[counts[i].id]) - double(counts[i].count)) /
                                 double(counts[i].count));
        }
    }
    searcher.set_ranking(settings);
    std::sort(errors.begin(), errors.end());
    auto pct = [&](double p) {
        return errors.empty() ? 0.0
                              : errors[std::min(errors.size() - 1, std::size_t(p * errors.size()))];
    };
    std::printf(tsv ? "facet estimate error\t%.3f\t%.3f\t%.3f\t%zu/%zu\n"
                    : "  facet estimates: relative error p50 %.3f  p90 %.3f  p99 %.3f  "
                      "(%zu of %zu queries estimated)\n",
                pct(0.5), pct(0.9), pct(0.99), estimated, queries.size());
}

} // namespace

namespace {

int run(const std::vector<std::string>& args);

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    for (const std::string& a : args)
        if (a == "-h" || a == "--help") {
            std::printf("usage: search_bench [CORPUS.jsonl] [QUERIES.jsonl] [MAX_QUERIES]\n"
                        "       search_bench --index DIR [--queries QUERIES.jsonl] [--max N] "
                        "[--tsv] [--facet-sample N] [--facet-error] [--slowest N]\n");
            return 0;
        }
    try {
        return run(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "search_bench: %s (--help for usage)\n", e.what());
        return 1;
    }
}

namespace {

int run(const std::vector<std::string>& args) {
    std::string existing_index;
    std::string corpus =
        KB_SOURCE_DIR "/corpus/cgct/code-general-des-collectivites-territoriales.jsonl";
    std::string queries_path =
        KB_SOURCE_DIR "/../shared/datasets/legi-codes-fr/queries-headings.jsonl";
    std::size_t max_queries = 500;
    std::optional<unsigned> facet_sample;
    bool facet_error = false;
    std::size_t slowest = 0;
    std::string ids_path;
    std::vector<std::string> positional;
    for (kb::bench::Args a(args); a.next();) {
        if (a.is("--index"))
            existing_index = a.value();
        else if (a.is("--queries"))
            queries_path = a.value();
        else if (a.is("--max"))
            max_queries = std::stoul(a.value());
        else if (a.is("--tsv"))
            tsv = true;
        else if (a.is("--facet-sample"))
            facet_sample = std::stoul(a.value());
        else if (a.is("--facet-error"))
            facet_error = true;
        else if (a.is("--slowest"))
            slowest = std::stoul(a.value());
        else if (a.is("--ids"))
            ids_path = a.value();
        else if (a.current().rfind("--", 0) == 0)
            throw std::runtime_error("unknown option " + a.current());
        else
            positional.push_back(a.current());
    }
    if (positional.size() > 0)
        corpus = positional[0];
    if (positional.size() > 1)
        queries_path = positional[1];
    if (positional.size() > 2)
        max_queries = std::stoul(positional[2]);

    const auto dir = existing_index.empty()
                         ? std::filesystem::temp_directory_path() / "kb-search-bench"
                         : std::filesystem::path(existing_index);
    if (existing_index.empty()) {
        std::filesystem::remove_all(dir);
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
    std::fprintf(tsv ? stderr : stdout, "%zu queries from %s\n", queries.size(),
                 queries_path.c_str());

    kb::Searcher searcher(dir.string());
    kb::RankingSettings settings;
    if (facet_sample)
        settings.facet_sample = *facet_sample;
    searcher.set_ranking(settings);
    struct Slow {
        double ms;
        std::size_t query;
        kb::MatchMode mode;
        unsigned long long total;
    };
    std::vector<Slow> slow;
    std::ofstream ids;
    auto run = [&](bool facets, bool filter, bool write_ids = false) {
        std::vector<double> ms;
        slow.clear();
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
            slow.push_back({ms.back(), slow.size(), r.mode, r.total});
            if (write_ids) {
                ids << (facets ? "facets" : "plain") << '\t' << q << '\t' << r.total
                    << (r.total_exact         ? " exact"
                        : r.total_lower_bound ? " at least"
                                              : " about")
                    << std::setprecision(17);
                for (const kb::Hit& h : r.hits)
                    ids << '\t' << h.id << ' ' << h.score;
                ids << '\n';
            }
        }
        return ms;
    };
    run(true, false); // warm the caches
    if (!ids_path.empty()) {
        ids.open(ids_path);
        if (!ids)
            throw std::runtime_error("cannot write " + ids_path);
    }
    report("lexical, no facets", run(false, false, ids.is_open()));
    report("lexical + facet counts", run(true, false, ids.is_open()));
    ids.close();
    std::sort(slow.begin(), slow.end(), [](const Slow& a, const Slow& b) { return a.ms > b.ms; });
    // The same query again, one cost left out at a time (the mean of 3 runs each).
    auto time_of = [&](const std::string& q, bool expand, bool facets) {
        kb::SearchRequest req;
        req.q = q;
        req.expand = expand;
        req.facets = facets;
        const auto start = std::chrono::steady_clock::now();
        for (int k = 0; k < 3; ++k)
            searcher.search(req);
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                   .count() /
               3;
    };
    if (slowest > 0)
        std::fprintf(stderr, "slowest\tms\tno expansion ms\tno facets ms\tmode\tmatches\tquery\n");
    for (std::size_t i = 0; i < std::min(slowest, slow.size()); ++i) {
        const std::string& q = queries[slow[i].query];
        std::fprintf(stderr, "slow\t%.1f\t%.1f\t%.1f\t%s\t%llu\t%s\n", slow[i].ms,
                     time_of(q, false, true), time_of(q, true, false), kb::to_string(slow[i].mode),
                     slow[i].total, q.c_str());
    }
    report("lexical + facets + theme filter", run(true, true));
    if (facet_error)
        report_facet_error(searcher, queries, settings);
    if (existing_index.empty())
        std::filesystem::remove_all(dir);
    return 0;
}

} // namespace
