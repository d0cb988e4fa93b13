#pragma once
// The systems under evaluation and their runs: Passerelle in process (one PasserelleSystem per
// row), the peers' run files, the scores of a run, the ranking settings as text, the table.

#include "core/search/searcher.h"
#include "eval/eval_sets.h"
#include "eval/metrics.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::eval {

constexpr unsigned kDepth = 100; // ranks kept per query (Recall@100)

using Ranking = std::vector<std::string>;
using Runs = std::map<std::string, Ranking>; // query id → ranked document ids

// The one place a mode name reaches the request; throws kb::Error on an unknown mode.
void apply_mode(kb::SearchRequest& request, const std::string& mode);

struct PasserelleSystem {
    std::string name, mode;
    bool expand = true;
    kb::RankingParams ranking;
    std::optional<kb::Fusion> fusion;    ///< hybrid only; unset: the searcher's default
    std::optional<double> vector_weight; ///< hybrid only; unset: the searcher's default
    bool collapse = true; ///< one hit per near-duplicate cluster, as the server shows them
};

Runs run_passerelle(const EvalSet& set, const std::vector<Query>& queries,
                    const PasserelleSystem& system);

/// A peer's run file: query_id \t doc_id \t rank, best first; nullopt when the file is missing.
std::optional<Runs> read_run(const std::string& path);

/// The mean scores of a run over the queries that keep accepts (all when keep is empty).
Scores score(const EvalSet& set, const std::vector<Query>& queries, const Runs& runs,
             const std::function<bool(const Query&)>& keep = nullptr);

/// nDCG@10 per set of one system on the given queries of each set.
std::vector<double> ndcg10_per_set(const std::vector<EvalSet>& sets,
                                   const std::vector<std::vector<Query>>& queries,
                                   const PasserelleSystem& system);

std::string describe(const kb::RankingParams& p);
std::string describe(kb::Fusion fusion, double weight);

/// "k1=0.7;exact_boost=1" (a --try value) applied over the defaults; "collapse=0" turns the
/// near-duplicate collapsing off; dies on an unknown name.
kb::RankingParams parse_params(const std::string& list, bool* collapse = nullptr);

struct Row {
    std::string set, system;
    Scores scores;
};

void print_table(const std::vector<Row>& rows);

/// Per question (tab-separated): id, language, the rank of its first relevant document (0 when
/// none in the run), the question, the top three ids with their grades. For --dev --list.
void write_list(const std::string& path, const EvalSet& set, const std::vector<Query>& queries,
                const Runs& runs);

} // namespace kb::eval
