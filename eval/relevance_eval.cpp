// Relevance evaluation: Passerelle (in process, through kb::Searcher) against SQLite FTS5 and
// PostgreSQL on the same documents and queries, MRR@10 / nDCG@10 / Recall@10 / Recall@100 on
// the held-out test half of each set; BM25 and field weights tuned on the training half.
// Run by eval/relevance_eval.sh (./kb eval), which builds the indexes and the peers' runs;
// eval/README.md says what each set and system is.
//
// Usage:
//   relevance_eval --export --work DIR SETS...    write DIR/<set>.docs.jsonl (from the index)
//                                                 and DIR/<set>.queries.tsv (test queries)
//   relevance_eval --work DIR SETS... [--modes lexical,...] [--quick] [--no-tune] [--dev]
//                  [--try "k1=0.7;exact_boost=1"]... [--fusion-only]
//     --dev: report on the training halves, without the peers, to explore without seeing test;
//     --try: one more row per setting; --fusion-only: tune hybrid's fusion only.
// SETS: --piaf DIR --piaf-index IDX, --legi DIR --legi-index IDX,
//       --concepts FILE --concepts-index IDX (any subset).
// The sets are loaded in eval_sets.cpp, the systems run and scored in eval_runs.cpp, the
// tuning grids are in eval_tuning.cpp; this file reads the options and prints the table.

#include "core/error.h"
#include "core/search/searcher.h"
#include "eval/eval_runs.h"
#include "eval/eval_sets.h"
#include "eval/eval_tuning.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace kb::eval;

int main(int argc, char** argv) {
    std::string work, piaf, piaf_index, legi, legi_index, concepts, concepts_index;
    std::vector<std::string> modes{"lexical"};
    std::vector<std::string> tries; // --try: extra settings to report (exploration)
    std::string list_path;          // --list: per-question ranks of the first system (--dev)
    bool export_only = false, quick = false, no_tune = false, dev = false, fusion_only = false;
    // Options that take a path, and flags.
    const std::map<std::string, std::string*> paths{{"--work", &work},
                                                    {"--piaf", &piaf},
                                                    {"--piaf-index", &piaf_index},
                                                    {"--legi", &legi},
                                                    {"--legi-index", &legi_index},
                                                    {"--concepts", &concepts},
                                                    {"--concepts-index", &concepts_index}};
    const std::map<std::string, bool*> flags{{"--export", &export_only},
                                             {"--quick", &quick},
                                             {"--dev", &dev},
                                             {"--no-tune", &no_tune},
                                             {"--fusion-only", &fusion_only}};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                die(a + " needs a value");
            return argv[++i];
        };
        if (auto path = paths.find(a); path != paths.end())
            *path->second = value();
        else if (auto flag = flags.find(a); flag != flags.end())
            *flag->second = true;
        else if (a == "--modes") {
            modes.clear();
            std::istringstream list(value());
            for (std::string m; std::getline(list, m, ',');)
                if (!m.empty())
                    modes.push_back(m);
            if (modes.empty())
                die("--modes needs at least one mode");
        } else if (a == "--try")
            tries.push_back(value());
        else if (a == "--list")
            list_path = value();
        else
            die("unknown option " + a + " (see the header of eval/relevance_eval.cpp)");
    }
    if (work.empty())
        die("--work DIR is required");
    fs::create_directories(work);

    const auto started = std::chrono::steady_clock::now();
    std::vector<EvalSet> sets;
    std::vector<std::string> flagged;
    try {
        if (!piaf.empty())
            sets.push_back(
                load_shared("piaf", "PIAF", piaf, "queries.jsonl", "qrels.tsv", piaf_index));
        if (!legi.empty())
            sets.push_back(load_shared("legi", "legi-codes headings", legi,
                                       "queries-headings.jsonl", "qrels-headings.tsv", legi_index));
        if (!concepts.empty())
            sets.push_back(load_concepts(concepts, concepts_index, flagged));
    } catch (const std::exception& e) {
        die(e.what());
    }
    if (sets.empty())
        die("no set given (--piaf, --legi, --concepts)");
    for (const auto& f : flagged)
        std::cerr << "relevance_eval: FLAGGED " << f << "\n";

    // Test queries (all of them, or a fixed sample with --quick; the concept set is small).
    std::vector<std::vector<Query>> test;
    test.reserve(sets.size());
    for (const EvalSet& s : sets)
        test.push_back(quick && !s.concepts ? sample(dev ? s.train : s.test, kQuickQueries)
                                            : (dev ? s.train : s.test));
    if (dev && export_only)
        die("--dev reports on the training halves, which the peers never see");
    if (!list_path.empty() && !dev)
        die("--list lists training questions only: add --dev");

    if (export_only) {
        for (std::size_t i = 0; i < sets.size(); ++i)
            export_set(sets[i], test[i], work);
        return 0;
    }

    // Fail before any work when the searcher does not know a mode.
    for (const std::string& mode : modes) {
        kb::SearchRequest probe;
        try {
            apply_mode(probe, mode);
        } catch (const kb::Error& e) {
            die(std::string("--modes: ") + e.what());
        }
    }
    std::vector<PasserelleSystem> systems;
    systems.reserve(2 * modes.size());
    for (const std::string& mode : modes) {
        systems.push_back({"Passerelle " + mode + " (default)", mode, true, {}, {}, {}});
        systems.push_back(
            {"Passerelle " + mode + ", no concept expansion", mode, false, {}, {}, {}});
    }
    // The "plain lexical" bar (Xapian's BM25, no exact-form boost, every word of a query
    // of up to 4 required), shown when the defaults are changed to something else: a new
    // default must not fall below it on any set.
    const kb::RankingParams previous{1.0, 0.5, 0, 0, 0.6, 1.0, 4, 0};
    const kb::RankingParams defaults;
    if (describe(defaults) != describe(previous))
        systems.push_back(
            {"Passerelle lexical, previous defaults", "lexical", true, previous, {}, {}});
    for (const std::string& t : tries) {
        bool collapse = true;
        const kb::RankingParams p = parse_params(t, &collapse);
        systems.push_back(
            {"Passerelle " + modes.front() + ", " + t, modes.front(), true, p, {}, {}, collapse});
    }
    std::vector<double> tuned_train, default_train;
    std::optional<kb::RankingParams> tuned;
    if (!no_tune && !fusion_only) {
        std::cerr << "relevance_eval: tuning on the training halves…\n";
        tuned = tune(sets, modes.front(), quick, tuned_train, default_train);
        if (describe(*tuned) != describe(defaults))
            systems.push_back({"Passerelle " + modes.front() + ", tuned on train",
                               modes.front(),
                               true,
                               *tuned,
                               {},
                               {}});
    }
    std::optional<FusionChoice> fusion;
    if (!no_tune && std::count(modes.begin(), modes.end(), "hybrid")) {
        std::cerr << "relevance_eval: tuning hybrid's fusion on the training halves…\n";
        fusion = tune_fusion(sets, defaults, quick);
        const kb::RankingSettings stock;
        if (fusion->fusion != stock.fusion || fusion->vector_weight != stock.vector_weight)
            systems.push_back({"Passerelle hybrid, fusion tuned on train", "hybrid", true, defaults,
                               fusion->fusion, fusion->vector_weight});
    }

    std::vector<Row> rows;
    std::string pair_lines; // the concept set's FR/EN pairs: English MRR@10 over French
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const EvalSet& set = sets[i];
        std::vector<std::pair<std::string, Runs>> runs;
        for (const PasserelleSystem& sys : systems) {
            std::cerr << "relevance_eval: " << set.name << ": " << sys.name << " on "
                      << test[i].size() << " queries\n";
            runs.emplace_back(sys.name, run_passerelle(set, test[i], sys));
        }
        if (!list_path.empty() && set.concepts)
            write_list(list_path, set, test[i], runs.front().second);
        using Peer = std::pair<const char*, const char*>;
        std::vector<Peer> peers{{"SQLite FTS5 (bm25, OR)", ".sqlite.run"},
                                {"PostgreSQL 15 (ts_rank_cd, OR)", ".pg.run"}};
        if (dev)
            peers.clear(); // the peers only ran the test queries
        for (const auto& [peer, file] : peers) {
            if (auto r = read_run(work + "/" + set.key + file))
                runs.emplace_back(peer, std::move(*r));
            else
                std::cerr << "relevance_eval: no " << set.key << file << ": " << peer
                          << " left out\n";
        }
        auto add_rows = [&](const std::string& label,
                            const std::function<bool(const Query&)>& keep) {
            for (const auto& [name, r] : runs)
                rows.push_back({label, name, score(set, test[i], r, keep)});
        };
        add_rows(set.name + (dev ? " (TRAIN, --dev)" : "") +
                     (quick && !set.concepts ? " (quick)" : ""),
                 nullptr);
        if (set.concepts) {
            add_rows("  no shared word (checked)", [](const Query& q) { return q.no_shared_word; });
            add_rows("  English questions", [](const Query& q) { return q.english; });
            add_rows("  FR/EN pairs, French half",
                     [](const Query& q) { return !q.pair.empty() && !q.english; });
            add_rows("  FR/EN pairs, English half",
                     [](const Query& q) { return !q.pair.empty() && q.english; });
            for (const auto& [name, r] : runs) {
                const Scores fr = score(
                    set, test[i], r, [](const Query& q) { return !q.pair.empty() && !q.english; });
                const Scores en = score(
                    set, test[i], r, [](const Query& q) { return !q.pair.empty() && q.english; });
                char line[200];
                std::snprintf(line, sizeof line, "  %-48s EN %.3f / FR %.3f = %.2f\n", name.c_str(),
                              en.mrr10, fr.mrr10, english_french_ratio(en.mrr10, fr.mrr10));
                pair_lines += line;
            }
        }
    }
    print_table(rows);
    if (!pair_lines.empty())
        std::printf("\nConcept set, FR/EN pairs%s: MRR@10 English half / French half (target ≥ "
                    "0.90)\n%s",
                    dev ? " (TRAIN, --dev)" : " (test half)", pair_lines.c_str());

    if (defaults.max_all_terms_words > 0)
        std::printf("\nQueries are the words typed: Passerelle's default match mode requires "
                    "every word of a query of up\nto %u content words (relaxed to any word when "
                    "that finds nothing) and ranks longer queries by any\nword;",
                    defaults.max_all_terms_words);
    else
        std::printf("\nQueries are the words typed: Passerelle ranks every query by any of its "
                    "words (BM25);");
    std::printf(" the peers get an OR of the query's words (FTS5: minus French stop words;\n"
                "PostgreSQL: websearch_to_tsquery with 'or'), since AND finds nothing on "
                "questions.\n");
    if (tuned) {
        std::printf("Tuned on the training halves: %s\n", describe(*tuned).c_str());
        std::printf("  train nDCG@10 per set, default → tuned:");
        for (std::size_t i = 0; i < sets.size(); ++i)
            std::printf(" %s %.3f → %.3f;", sets[i].key.c_str(), default_train[i], tuned_train[i]);
        std::printf("\n");
    }
    if (fusion) {
        std::printf(
            "Hybrid fusion tuned on the training halves: %s (default %s)%s\n",
            describe(fusion->fusion, fusion->vector_weight).c_str(),
            describe(kb::RankingSettings{}.fusion, kb::RankingSettings{}.vector_weight).c_str(),
            fusion->beats_lexical ? ", at or above lexical on every training set" : "");
        std::printf("  train nDCG@10 per set, lexical → hybrid tuned:");
        for (std::size_t i = 0; i < sets.size(); ++i)
            std::printf(" %s %.3f → %.3f;", sets[i].key.c_str(), fusion->lexical_train[i],
                        fusion->train[i]);
        std::printf("\n");
    }
    std::printf("Current defaults: %s\n", describe(defaults).c_str());
    for (const EvalSet& s : sets)
        if (s.concepts) {
            std::size_t all = 0, claimed = 0, checked = 0, english = 0;
            for (const auto* half : {&s.test, &s.train})
                for (const Query& q : *half) {
                    ++all;
                    claimed += q.claims_no_shared_word;
                    checked += q.no_shared_word;
                    english += q.english;
                }
            std::printf("Concept set: %zu questions (%zu test), %zu in English, %zu labelled "
                        "no-shared-word, %zu verified by the analysis chain, %zu flagged%s\n",
                        all, s.test.size(), english, claimed, checked, flagged.size(),
                        flagged.empty() ? "" : " (listed on stderr)");
            for (const auto& [label, half] : {std::pair{"test", &s.test}, {"train", &s.train}}) {
                std::size_t en = 0, nsw = 0, paired = 0;
                for (const Query& q : *half) {
                    en += q.english;
                    nsw += q.no_shared_word;
                    paired += !q.pair.empty();
                }
                std::printf("  %s half: %zu questions, %zu English, %zu no-shared-word "
                            "(verified), %zu FR/EN pairs\n",
                            label, half->size(), en, nsw, paired / 2);
            }
        }
    std::printf("Run time %.0f s.\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return 0;
}
