// ANN benchmark: hnswlib (VectorIndex) against exact search on 50,000 unit vectors of
// dimension 100 (the size of the passage vectors the indexer trains). Prints build time,
// recall@10 against brute force, p50/p99 query latency and memory for several ef values.
//
//   build/ann_bench [N] [DIM] [QUERIES]
//
// The vectors are clustered Gaussian noise (200 centres, as passages cluster by topic): harder
// for a graph than real embeddings of one corpus, easier than uniform noise.

#include "core/embedding/embedder.h"
#include "core/embedding/vector_index.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

long rss_kb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atol(line.c_str() + 6);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 50000;
    const unsigned dim = argc > 2 ? std::stoul(argv[2]) : 100;
    const std::size_t queries = argc > 3 ? std::stoul(argv[3]) : 500;
    constexpr std::size_t k = 10;

    std::mt19937 rng(42);
    std::normal_distribution<float> gauss(0, 1);
    std::vector<std::vector<float>> centres(200, std::vector<float>(dim));
    for (auto& c : centres)
        for (float& x : c)
            x = gauss(rng);
    auto sample = [&] {
        const auto& c = centres[rng() % centres.size()];
        std::vector<float> v(dim);
        for (unsigned i = 0; i < dim; ++i)
            v[i] = c[i] + 0.8f * gauss(rng);
        kb::l2_normalise(v);
        return v;
    };

    const long rss_before = rss_kb();
    kb::VectorIndex index(dim);
    for (std::size_t i = 0; i < n; ++i)
        index.add(static_cast<Xapian::docid>(i + 1), sample());
    auto t = Clock::now();
    index.build(2);
    const double build_ms = ms_since(t);
    const long rss_after = rss_kb();
    std::printf("ANN bench: %zu vectors, dimension %u, %zu queries, k=%zu, hnswlib M=16 "
                "ef_construction=100, 2 threads\n",
                n, dim, queries, k);
    std::printf(
        "build %.0f ms; memory %.1f MB by the index's count (vectors %.1f MB), RSS +%.1f MB\n",
        build_ms, index.memory_bytes() / 1e6, n * dim * 4 / 1e6, (rss_after - rss_before) / 1024.0);

    std::vector<std::vector<float>> qs;
    for (std::size_t i = 0; i < queries; ++i)
        qs.push_back(sample());
    std::vector<std::set<Xapian::docid>> truth;
    std::vector<double> exact_ms;
    for (const auto& q : qs) {
        t = Clock::now();
        std::set<Xapian::docid> s;
        for (const auto& h : index.exact(q.data(), k))
            s.insert(h.id);
        exact_ms.push_back(ms_since(t));
        truth.push_back(std::move(s));
    }
    std::sort(exact_ms.begin(), exact_ms.end());
    std::printf("%-22s recall@10 1.000  p50 %.3f ms  p99 %.3f ms\n", "exact (scan)",
                exact_ms[exact_ms.size() / 2], exact_ms[exact_ms.size() * 99 / 100]);
    for (std::size_t ef : {16, 32, 64, 128, 256}) {
        index.set_search_ef(ef);
        std::vector<double> lat;
        std::size_t hits = 0;
        for (std::size_t i = 0; i < qs.size(); ++i) {
            t = Clock::now();
            const auto found = index.search(qs[i].data(), k);
            lat.push_back(ms_since(t));
            for (const auto& h : found)
                hits += truth[i].count(h.id);
        }
        std::sort(lat.begin(), lat.end());
        std::printf("hnsw ef=%-13zu recall@10 %.3f  p50 %.3f ms  p99 %.3f ms\n", ef,
                    double(hits) / (qs.size() * k), lat[lat.size() / 2],
                    lat[lat.size() * 99 / 100]);
    }
    // A filter keeping one document in ten: the graph is asked for more neighbours.
    index.set_search_ef(64);
    std::vector<double> lat;
    std::size_t hits = 0, total = 0;
    for (std::size_t i = 0; i < qs.size(); ++i) {
        std::vector<Xapian::docid> allowed;
        for (Xapian::docid d = 1; d <= n; d += 10)
            allowed.push_back(d);
        std::set<Xapian::docid> want;
        for (const auto& h : index.exact(qs[i].data(), k, &allowed))
            want.insert(h.id);
        t = Clock::now();
        const auto found =
            index.search(qs[i].data(), k, [](Xapian::docid d) { return d % 10 == 1; });
        lat.push_back(ms_since(t));
        for (const auto& h : found)
            hits += want.count(h.id);
        total += want.size();
    }
    std::sort(lat.begin(), lat.end());
    std::printf("%-22s recall@10 %.3f  p50 %.3f ms  p99 %.3f ms\n", "hnsw ef=64, 1/10 filter",
                double(hits) / total, lat[lat.size() / 2], lat[lat.size() * 99 / 100]);
    return 0;
}
