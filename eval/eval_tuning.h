#pragma once
// Tuning on the training halves: the ranking parameters (coordinate search) and hybrid's
// fusion. Progress goes to stderr.

#include "core/search/searcher.h"
#include "eval/eval_sets.h"

#include <string>
#include <vector>

namespace kb::eval {

double mean(const std::vector<double>& v);

/// The best ranking parameters for mode; chosen_train and default_train receive the training
/// nDCG@10 per set of the choice and of the defaults.
kb::RankingParams tune(const std::vector<EvalSet>& sets, const std::string& mode, bool quick,
                       std::vector<double>& chosen_train, std::vector<double>& default_train);

struct FusionChoice {
    kb::Fusion fusion = kb::RankingSettings{}.fusion;
    double vector_weight = kb::RankingSettings{}.vector_weight;
    std::vector<double> train, lexical_train; ///< nDCG@10 per set: this choice, plain lexical
    bool beats_lexical = false; ///< at or above plain lexical on every set, above on the mean
};

/// Hybrid's fusion for the given ranking parameters.
FusionChoice tune_fusion(const std::vector<EvalSet>& sets, const kb::RankingParams& ranking,
                         bool quick);

} // namespace kb::eval
