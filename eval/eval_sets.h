#pragma once
// The relevance evaluation's query sets: loading PIAF, legi-codes and the concept set with
// their judgements, the test/train split, fixed subsamples, and the export for the peers.

#include "eval/metrics.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace kb::eval {

// Queries per set in --quick runs (test half) and per set for tuning (train half).
constexpr std::size_t kQuickQueries = 1000;
constexpr std::size_t kTuneQueries = 400;
constexpr std::size_t kQuickTuneQueries = 250;

struct Query {
    std::string id, text;
    bool english = false;
    bool claims_no_shared_word = false; // as written in the file
    bool no_shared_word = false;        // as checked with the analysis chain
    std::string pair = {}; // concept set: the FR/EN pair id; the pair is split as one (by this id)
};

struct EvalSet {
    std::string key, name; // file-name key, table name
    std::string index;
    std::vector<Query> test, train;
    std::map<std::string, Judgements> qrels;
    bool concepts = false;
};

[[noreturn]] void die(const std::string& message);

/// The non-empty lines of a file; dies when it cannot be read.
std::vector<std::string> read_lines(const std::string& path);

/// A fixed subsample of n queries (all of them when there are fewer).
std::vector<Query> sample(std::vector<Query> queries, std::size_t n);

/// A shared set: DIR/queries_file (JSON lines {"id","text"}) and DIR/qrels_file.
EvalSet load_shared(const std::string& key, const std::string& name, const std::string& dir,
                    const std::string& queries_file, const std::string& qrels_file,
                    const std::string& index);

/// The concept set; each "no shared word" claim the index contradicts is added to flagged.
EvalSet load_concepts(const std::string& file, const std::string& index,
                      std::vector<std::string>& flagged);

/// WORK/<key>.docs.jsonl (once, from the index) and WORK/<key>.queries.tsv for the peers.
void export_set(const EvalSet& set, const std::vector<Query>& test, const std::string& work);

} // namespace kb::eval
