#pragma once

#include "core/analysis/analyzer.h"
#include "core/search/index_handle.h"
#include "core/search/time_budget.h"
#include "core/search/vectors.h"
#include "core/search_types.h"

namespace kb {

/// What the steps of a search share: the index, its vectors, the analysis chain, the
/// searcher's settings and the request's time budget. The Searcher owns them all.
struct SearchContext {
    IndexHandle& index;
    IndexVectors& vectors;
    const Analyzer& analyzer;
    const RankingSettings& ranking;
    const RankingParams& scoring;
    TimeBudget& budget;
};

} // namespace kb
