#pragma once
// Ranking metrics of the relevance evaluation (eval/relevance_eval.cpp), header-only so the
// unit test (tests/eval_metrics_test.cpp) checks the very code that prints the table.
// Conventions (as trec_eval): a document counts once, at its first rank; a grade > 0 is
// relevant; nDCG uses the exponential gain 2^grade - 1 and the log2(rank + 1) discount, the
// ideal ranking being every judged document sorted by grade.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kb::eval {

/// Judged documents of one query: document id → grade (0 not relevant, 1, 2 …).
using Judgements = std::map<std::string, int>;

namespace detail {
// The ranking without repeated ids, cut at k.
inline std::vector<std::string> first_k(const std::vector<std::string>& ranking, std::size_t k) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const std::string& id : ranking) {
        if (out.size() >= k)
            break;
        if (seen.insert(id).second)
            out.push_back(id);
    }
    return out;
}
inline int grade(const Judgements& judged, const std::string& id) {
    auto it = judged.find(id);
    return it == judged.end() ? 0 : it->second;
}
} // namespace detail

/// Reciprocal rank of the first relevant document in the top k, 0 when there is none.
inline double reciprocal_rank(const std::vector<std::string>& ranking, const Judgements& judged,
                              std::size_t k) {
    const auto top = detail::first_k(ranking, k);
    for (std::size_t i = 0; i < top.size(); ++i)
        if (detail::grade(judged, top[i]) > 0)
            return 1.0 / double(i + 1);
    return 0;
}

/// Normalised discounted cumulative gain at k; 0 when nothing is relevant.
inline double ndcg(const std::vector<std::string>& ranking, const Judgements& judged,
                   std::size_t k) {
    auto gain = [](int g) { return g > 0 ? std::pow(2.0, g) - 1.0 : 0.0; };
    const auto top = detail::first_k(ranking, k);
    double dcg = 0;
    for (std::size_t i = 0; i < top.size(); ++i)
        dcg += gain(detail::grade(judged, top[i])) / std::log2(double(i) + 2.0);
    std::vector<int> grades;
    for (const auto& [id, g] : judged)
        if (g > 0)
            grades.push_back(g);
    std::sort(grades.rbegin(), grades.rend());
    double ideal = 0;
    for (std::size_t i = 0; i < grades.size() && i < k; ++i)
        ideal += gain(grades[i]) / std::log2(double(i) + 2.0);
    return ideal > 0 ? dcg / ideal : 0;
}

/// Share of the relevant documents found in the top k; 0 when nothing is relevant.
inline double recall(const std::vector<std::string>& ranking, const Judgements& judged,
                     std::size_t k) {
    std::size_t relevant = 0, found = 0;
    for (const auto& [id, g] : judged)
        if (g > 0)
            ++relevant;
    for (const std::string& id : detail::first_k(ranking, k))
        if (detail::grade(judged, id) > 0)
            ++found;
    return relevant ? double(found) / double(relevant) : 0;
}

/// The four figures the table prints, averaged over queries.
/// English figure over French figure on the FR/EN pairs (issue 17's target: ≥ 0.9); 0 when the
/// French figure is 0, since no ratio is defined there.
inline double english_french_ratio(double english, double french) {
    return french > 0 ? english / french : 0.0;
}

struct Scores {
    double mrr10 = 0, ndcg10 = 0, recall10 = 0, recall100 = 0;
    std::size_t queries = 0;
    /// Adds one query's ranking.
    void add(const std::vector<std::string>& ranking, const Judgements& judged) {
        mrr10 += reciprocal_rank(ranking, judged, 10);
        ndcg10 += ndcg(ranking, judged, 10);
        recall10 += recall(ranking, judged, 10);
        recall100 += recall(ranking, judged, 100);
        ++queries;
    }
    /// The means (sums divided by the number of queries).
    Scores mean() const {
        Scores m = *this;
        if (queries) {
            m.mrr10 /= double(queries);
            m.ndcg10 /= double(queries);
            m.recall10 /= double(queries);
            m.recall100 /= double(queries);
        }
        return m;
    }
};

/// Fixed-seed split: true when a query id falls in the held-out test half. FNV-1a 64 of a
/// salted id, mixed by MurmurHash3's finaliser (FNV-1a alone keeps sequential ids such as
/// "h00001" far from a half split), so the split depends on nothing but the id.
inline bool is_test(std::string_view query_id) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : std::string("passerelle-eval-v1:") + std::string(query_id)) {
        h ^= c;
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h & 1;
}

} // namespace kb::eval
