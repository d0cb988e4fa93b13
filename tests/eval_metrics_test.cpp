// The ranking metrics of eval/relevance_eval on rankings computed by hand.
#define BOOST_TEST_MODULE eval_metrics
#include "eval/metrics.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace kb::eval;

BOOST_AUTO_TEST_CASE(reciprocal_rank_is_one_over_the_first_relevant_rank) {
    const Judgements j{{"b", 1}, {"d", 2}, {"x", 0}};
    BOOST_TEST(reciprocal_rank({"b", "a"}, j, 10) == 1.0);
    BOOST_TEST(reciprocal_rank({"x", "a", "d"}, j, 10) == 1.0 / 3);
    BOOST_TEST(reciprocal_rank({"x", "a", "d"}, j, 2) == 0.0); // beyond the cut
    BOOST_TEST(reciprocal_rank({}, j, 10) == 0.0);
    // A repeated id counts once, at its first rank.
    BOOST_TEST(reciprocal_rank({"a", "a", "b"}, j, 10) == 0.5);
}

BOOST_AUTO_TEST_CASE(ndcg_uses_exponential_gain_and_log2_discount) {
    const Judgements j{{"a", 2}, {"b", 1}};
    // Ideal: a (gain 3) at rank 1, b (gain 1) at rank 2 → 3 + 1/log2(3).
    const double ideal = 3 + 1 / std::log2(3.0);
    BOOST_TEST(ndcg({"a", "b"}, j, 10) == 1.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(ndcg({"b", "a"}, j, 10) == (1 + 3 / std::log2(3.0)) / ideal,
               boost::test_tools::tolerance(1e-12));
    // One relevant document at rank 3 with grade 1: 1/log2(4) = 0.5.
    BOOST_TEST(ndcg({"x", "y", "b"}, Judgements{{"b", 1}}, 10) == 0.5,
               boost::test_tools::tolerance(1e-12));
    // Cut at k: the ideal is cut too (one slot: a alone).
    BOOST_TEST(ndcg({"b"}, j, 1) == 1.0 / 3, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(ndcg({"a"}, Judgements{}, 10) == 0.0);
}

BOOST_AUTO_TEST_CASE(recall_counts_relevant_documents_in_the_top_k) {
    const Judgements j{{"a", 1}, {"b", 1}, {"c", 2}, {"d", 1}, {"z", 0}};
    BOOST_TEST(recall({"a", "z", "c"}, j, 10) == 0.5);
    BOOST_TEST(recall({"a", "z", "c"}, j, 2) == 0.25);
    BOOST_TEST(recall({"a", "a", "a"}, j, 10) == 0.25);
}

BOOST_AUTO_TEST_CASE(scores_average_over_queries) {
    Scores s;
    s.add({"a"}, Judgements{{"a", 1}});      // RR 1, nDCG 1, R 1
    s.add({"x", "a"}, Judgements{{"a", 1}}); // RR 0.5, nDCG 1/log2(3), R 1
    const Scores m = s.mean();
    BOOST_TEST(m.queries == 2u);
    BOOST_TEST(m.mrr10 == 0.75);
    BOOST_TEST(m.ndcg10 == (1 + 1 / std::log2(3.0)) / 2, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(m.recall10 == 1.0);
}

BOOST_AUTO_TEST_CASE(split_is_fixed_and_near_half) {
    int test = 0;
    for (int i = 0; i < 2000; ++i)
        test += is_test("q" + std::to_string(i));
    BOOST_TEST(test > 900);
    BOOST_TEST(test < 1100);
    BOOST_TEST(is_test("h00001") == is_test("h00001"));
}

BOOST_AUTO_TEST_CASE(english_french_ratio_divides_and_is_zero_without_a_french_figure) {
    BOOST_CHECK_CLOSE(kb::eval::english_french_ratio(0.45, 0.5), 0.9, 1e-9);
    BOOST_CHECK_CLOSE(kb::eval::english_french_ratio(0.6, 0.5), 1.2, 1e-9);
    BOOST_CHECK_EQUAL(kb::eval::english_french_ratio(0.3, 0.0), 0.0);
}
