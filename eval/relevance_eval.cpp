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
//                  [--try "k1=0.7;exact_boost=1"]... [--fusion-only] (--dev: report on the training
//                  halves,
//                                                 without the peers, to explore without seeing
//                                                 test; --try: one more row per setting;
//                                                 --fusion-only: tune hybrid's fusion only)
// SETS: --piaf DIR --piaf-index IDX, --legi DIR --legi-index IDX,
//       --concepts FILE --concepts-index IDX (any subset).

#include "core/analysis/analyzer.h"
#include "core/error.h"
#include "eval/metrics.h"
#include "core/record.h"
#include "core/schema/schema.h"
#include "core/search/searcher.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using kb::eval::Judgements;
using kb::eval::Scores;

namespace {

// Queries per set in --quick runs (test half) and per set for tuning (train half).
constexpr std::size_t kQuickQueries = 1000;
constexpr std::size_t kTuneQueries = 400;
constexpr std::size_t kQuickTuneQueries = 250;
constexpr unsigned kDepth = 100; // ranks kept per query (Recall@100)

struct Query {
    std::string id, text;
    bool english = false;
    bool claims_no_shared_word = false; // as written in the file
    bool no_shared_word = false;        // as checked with the analysis chain
};

struct EvalSet {
    std::string key, name; // file-name key, table name
    std::string index;
    std::vector<Query> test, train;
    std::map<std::string, Judgements> qrels;
    bool concepts = false;
};

[[noreturn]] void die(const std::string& message) {
    std::cerr << "relevance_eval: " << message << "\n";
    std::exit(1);
}

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        die("cannot read " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

rapidjson::Document parse_json(const std::string& line, const std::string& where) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    if (d.HasParseError() || !d.IsObject())
        die(where + ": invalid JSON line");
    return d;
}

std::string str(const rapidjson::Value& v, const char* key) {
    auto it = v.FindMember(key);
    return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

// query_id \t doc_id \t grade (no header), as both shared sets ship them.
void read_qrels(const std::string& path, std::map<std::string, Judgements>& qrels) {
    for (const std::string& line : read_lines(path)) {
        std::istringstream fields(line);
        std::string q, d;
        int g = 0;
        std::getline(fields, q, '\t');
        std::getline(fields, d, '\t');
        fields >> g;
        qrels[q][d] = g;
    }
}

// A second fixed hash orders queries for subsampling (independent of the split's).
std::uint64_t order_key(const std::string& id) { return std::hash<std::string>{}(id + "#order"); }

std::vector<Query> sample(std::vector<Query> queries, std::size_t n) {
    if (queries.size() <= n)
        return queries;
    std::sort(queries.begin(), queries.end(),
              [](const Query& a, const Query& b) { return order_key(a.id) < order_key(b.id); });
    queries.resize(n);
    return queries;
}

void split_into(EvalSet& set, std::vector<Query> all) {
    for (Query& q : all) {
        if (!set.qrels.count(q.id))
            continue; // a query nobody judged measures nothing
        (kb::eval::is_test(q.id) ? set.test : set.train).push_back(std::move(q));
    }
}

EvalSet load_shared(const std::string& key, const std::string& name, const std::string& dir,
                    const std::string& queries_file, const std::string& qrels_file,
                    const std::string& index) {
    EvalSet set;
    set.key = key;
    set.name = name;
    set.index = index;
    read_qrels(dir + "/" + qrels_file, set.qrels);
    std::vector<Query> all;
    for (const std::string& line : read_lines(dir + "/" + queries_file)) {
        auto d = parse_json(line, queries_file);
        all.push_back({str(d, "id"), str(d, "text")});
    }
    split_into(set, std::move(all));
    return set;
}

// Content-word stems of a text through the one analysis chain (stop words left out).
std::set<std::string> stems(const kb::Analyzer& analyzer, const std::string& text) {
    std::set<std::string> out;
    for (const kb::Token& t : analyzer.tokenize(text))
        if (!t.stopword && !t.implied)
            out.insert(analyzer.stem(t.term));
    return out;
}

// The concept set: {"id","text","lang","no_shared_word","relevant":{doc: grade}}. Checks each
// "no shared word" claim against the relevant documents' title and text in the index.
EvalSet load_concepts(const std::string& file, const std::string& index,
                      std::vector<std::string>& flagged) {
    EvalSet set;
    set.key = "concepts";
    set.name = "concept set";
    set.index = index;
    set.concepts = true;
    kb::Searcher searcher(index);
    kb::Analyzer analyzer;
    std::vector<Query> all;
    std::map<std::string, std::set<std::string>> doc_stems;
    for (const std::string& line : read_lines(file)) {
        auto d = parse_json(line, file);
        Query q{str(d, "id"), str(d, "text")};
        q.english = str(d, "lang") == "en";
        q.claims_no_shared_word = d.HasMember("no_shared_word") && d["no_shared_word"].IsBool() &&
                                  d["no_shared_word"].GetBool();
        if (!d.HasMember("relevant") || !d["relevant"].IsObject())
            die(q.id + ": no 'relevant'");
        std::set<std::string> shared;
        const std::set<std::string> words = stems(analyzer, q.text);
        for (auto it = d["relevant"].MemberBegin(); it != d["relevant"].MemberEnd(); ++it) {
            const std::string doc = it->name.GetString();
            const int grade = it->value.GetInt();
            set.qrels[q.id][doc] = grade;
            if (grade <= 0)
                continue;
            if (!doc_stems.count(doc)) {
                auto r = searcher.document(doc);
                if (!r)
                    die(file + ": " + q.id + " judges unknown document " + doc);
                doc_stems[doc] = stems(analyzer, r->title + "\n" + r->text);
            }
            for (const std::string& w : words)
                if (doc_stems[doc].count(w))
                    shared.insert(w);
        }
        q.no_shared_word = shared.empty();
        if (q.claims_no_shared_word && !shared.empty()) {
            std::string list;
            for (const auto& w : shared)
                list += (list.empty() ? "" : ", ") + w;
            flagged.push_back(q.id + " claims no shared word but shares: " + list);
        }
        all.push_back(std::move(q));
    }
    split_into(set, std::move(all));
    return set;
}

// ---- systems -------------------------------------------------------------------------------

using Ranking = std::vector<std::string>;
using Runs = std::map<std::string, Ranking>; // query id → ranked document ids

// The one place a mode name reaches the request. SearchRequest has no mode yet (another
// branch adds it): only "lexical", what the searcher does today, is accepted.
void apply_mode(kb::SearchRequest& request, const std::string& mode) {
    auto parsed = kb::search_mode_from_name(mode);
    if (!parsed)
        throw kb::Error(kb::ErrorKind::InvalidRequest, "invalid_mode",
                        "mode '" + mode + "' is not one of lexical, semantic, hybrid");
    request.mode = *parsed;
}

struct PasserelleSystem {
    std::string name, mode;
    bool expand = true;
    kb::RankingParams ranking;
    std::optional<kb::Fusion> fusion;    ///< hybrid only; unset: the searcher's default
    std::optional<double> vector_weight; ///< hybrid only; unset: the searcher's default
    bool collapse = true; ///< one hit per near-duplicate cluster, as the server shows them
};

Runs run_passerelle(const EvalSet& set, const std::vector<Query>& queries,
                    const PasserelleSystem& system) {
    kb::Searcher searcher(set.index);
    searcher.set_scoring(system.ranking);
    Runs runs;
    for (const Query& q : queries) {
        kb::SearchRequest request;
        request.q = q.text;
        request.size = kDepth;
        request.facets = false;
        request.snippets = false;
        request.expand = system.expand;
        request.fusion = system.fusion;
        request.vector_weight = system.vector_weight;
        request.collapse_duplicates = system.collapse;
        try {
            apply_mode(request, system.mode);
            kb::SearchResult result = searcher.search(request);
            Ranking& r = runs[q.id];
            for (const kb::Hit& h : result.hits)
                r.push_back(h.id);
        } catch (const kb::Error& e) {
            die("system '" + system.name + "' rejected by the searcher: " + e.what() +
                " (see --modes)");
        }
    }
    return runs;
}

// A peer's run file: query_id \t doc_id \t rank, best first. Empty when the file is missing.
std::optional<Runs> read_run(const std::string& path) {
    if (!fs::exists(path))
        return std::nullopt;
    Runs runs;
    for (const std::string& line : read_lines(path)) {
        std::istringstream fields(line);
        std::string q, d;
        std::getline(fields, q, '\t');
        std::getline(fields, d, '\t');
        runs[q].push_back(d);
    }
    return runs;
}

Scores score(const EvalSet& set, const std::vector<Query>& queries, const Runs& runs,
             const std::function<bool(const Query&)>& keep = nullptr) {
    Scores s;
    static const Ranking none;
    for (const Query& q : queries) {
        if (keep && !keep(q))
            continue;
        auto r = runs.find(q.id);
        s.add(r == runs.end() ? none : r->second, set.qrels.at(q.id));
    }
    return s.mean();
}

// ---- tuning on the training halves ---------------------------------------------------------

double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v)
        s += x;
    return v.empty() ? 0 : s / double(v.size());
}

std::string describe(const kb::RankingParams& p) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "k1=%.2f b=%.2f title_boost=%.2f exact_boost=%.2f concept_weight=%.2f "
                  "passage_weight=%.2f max_all_terms_words=%u synonym_weight=%.2f",
                  p.k1, p.b, p.title_boost, p.exact_boost, p.concept_weight, p.passage_weight,
                  p.max_all_terms_words, p.synonym_weight);
    return buf;
}

// Coordinate search: the k1 x b grid, then title boost, passage weight and the all-terms
// threshold one at a time. Objective: the mean nDCG@10 over the sets, and no set below its
// figure with the current defaults (the "never below plain lexical").
kb::RankingParams tune(const std::vector<EvalSet>& sets, const std::string& mode, bool quick,
                       std::vector<double>& chosen_train, std::vector<double>& default_train) {
    std::vector<std::vector<Query>> train;
    for (const EvalSet& s : sets)
        train.push_back(sample(s.train, quick ? kQuickTuneQueries : kTuneQueries));
    auto evaluate = [&](const kb::RankingParams& p) {
        std::vector<double> per_set;
        for (std::size_t i = 0; i < sets.size(); ++i) {
            PasserelleSystem sys{"tuning", mode, true, p, {}, {}};
            per_set.push_back(
                score(sets[i], train[i], run_passerelle(sets[i], train[i], sys)).ndcg10);
        }
        return per_set;
    };
    const kb::RankingParams defaults;
    default_train = evaluate(defaults);
    kb::RankingParams best = defaults;
    std::vector<double> best_scores = default_train;
    int tried = 0;
    auto consider = [&](const kb::RankingParams& p) {
        std::vector<double> s = evaluate(p);
        ++tried;
        bool never_worse = true;
        for (std::size_t i = 0; i < s.size(); ++i)
            never_worse = never_worse && s[i] >= default_train[i] - 1e-9;
        std::cerr << "  tune " << describe(p) << " → nDCG@10";
        for (double x : s)
            std::cerr << " " << x;
        std::cerr << " mean " << mean(s) << (never_worse ? "" : " (a set below default)") << "\n";
        if (never_worse && mean(s) > mean(best_scores) + 1e-6) {
            best = p;
            best_scores = s;
        }
    };
    // The all-terms threshold first: it decides which documents match at all.
    for (unsigned n : {0u, 2u, 4u}) {
        kb::RankingParams p = defaults;
        p.max_all_terms_words = n;
        if (n != defaults.max_all_terms_words)
            consider(p);
    }
    const kb::RankingParams match_best = best;
    const std::vector<double> k1s =
        quick ? std::vector<double>{0.6, 1.0, 1.6} : std::vector<double>{0.7, 1.0, 1.3, 1.6};
    const std::vector<double> bs =
        quick ? std::vector<double>{0.3, 0.5, 0.8} : std::vector<double>{0.3, 0.5, 0.7, 0.9};
    for (double k1 : k1s)
        for (double b : bs) {
            kb::RankingParams p = match_best;
            p.k1 = k1;
            p.b = b;
            if (p.k1 == match_best.k1 && p.b == match_best.b)
                continue;
            consider(p);
        }
    const kb::RankingParams grid_best = best;
    for (double t : {0.0, 0.5}) { // higher boosts lost 0.02-0.1 nDCG@10 on PIAF train
        kb::RankingParams p = grid_best;
        p.title_boost = t;
        if (t != grid_best.title_boost)
            consider(p);
    }
    const kb::RankingParams after_title = best;
    for (double e : {0.0, 0.5, 1.0, 2.0}) {
        kb::RankingParams p = after_title;
        p.exact_boost = e;
        if (e != after_title.exact_boost)
            consider(p);
    }
    const kb::RankingParams after_exact = best;
    for (double c : {0.2, 0.4, 0.6}) {
        kb::RankingParams p = after_exact;
        p.concept_weight = c;
        if (c != after_exact.concept_weight)
            consider(p);
    }
    const kb::RankingParams title_best = best;
    for (double w : {0.8, 1.0, 1.25}) {
        kb::RankingParams p = title_best;
        p.passage_weight = w;
        if (w != title_best.passage_weight)
            consider(p);
    }
    std::cerr << "relevance_eval: tuned on " << tried << " settings: " << describe(best) << "\n";
    chosen_train = best_scores;
    return best;
}

// Hybrid's fusion, tuned on the same training samples: convex at a few vector weights, and RRF.
// The bar is plain lexical with the default parameters on every set (hybrid is only worth
// recommending as the default mode if it never loses to it), and the mean nDCG@10 decides.
struct FusionChoice {
    kb::Fusion fusion = kb::RankingSettings{}.fusion;
    double vector_weight = kb::RankingSettings{}.vector_weight;
    std::vector<double> train, lexical_train; ///< nDCG@10 per set: this choice, plain lexical
    bool beats_lexical = false; ///< at or above plain lexical on every set, above on the mean
};

std::string describe(kb::Fusion fusion, double weight) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "fusion=%s vector_weight=%.2f", kb::to_string(fusion), weight);
    return buf;
}

FusionChoice tune_fusion(const std::vector<EvalSet>& sets, const kb::RankingParams& ranking,
                         bool quick) {
    std::vector<std::vector<Query>> train;
    for (const EvalSet& s : sets)
        train.push_back(sample(s.train, quick ? kQuickTuneQueries : kTuneQueries));
    auto evaluate = [&](const PasserelleSystem& sys) {
        std::vector<double> per_set;
        for (std::size_t i = 0; i < sets.size(); ++i)
            per_set.push_back(
                score(sets[i], train[i], run_passerelle(sets[i], train[i], sys)).ndcg10);
        return per_set;
    };
    FusionChoice best;
    best.lexical_train = evaluate({"lexical", "lexical", true, ranking, {}, {}});
    best.train = evaluate({"hybrid", "hybrid", true, ranking, best.fusion, best.vector_weight});
    std::cerr << "  fusion: lexical nDCG@10";
    for (double x : best.lexical_train)
        std::cerr << " " << x;
    std::cerr << "; hybrid default " << describe(best.fusion, best.vector_weight);
    for (double x : best.train)
        std::cerr << " " << x;
    std::cerr << "\n";
    auto at_least_lexical = [&](const std::vector<double>& s) {
        for (std::size_t i = 0; i < s.size(); ++i)
            if (s[i] < best.lexical_train[i] - 1e-9)
                return false;
        return true;
    };
    bool best_ok = at_least_lexical(best.train);
    std::vector<std::pair<kb::Fusion, double>> grid;
    for (double w : {0.05, 0.1, 0.2, 0.3})
        grid.push_back({kb::Fusion::Convex, w});
    if (!quick)
        for (double w : {0.3, 0.5})
            grid.push_back({kb::Fusion::Rrf, w});
    for (const auto& [fusion, w] : grid) {
        if (fusion == kb::RankingSettings{}.fusion && w == kb::RankingSettings{}.vector_weight)
            continue; // the default, already measured
        std::vector<double> s = evaluate({"hybrid", "hybrid", true, ranking, fusion, w});
        const bool ok = at_least_lexical(s);
        std::cerr << "  fusion " << describe(fusion, w) << " → nDCG@10";
        for (double x : s)
            std::cerr << " " << x;
        std::cerr << " mean " << mean(s) << (ok ? "" : " (a set below lexical)") << "\n";
        // A setting that keeps every set at or above lexical beats one that does not.
        if ((ok && !best_ok) || (ok == best_ok && mean(s) > mean(best.train) + 1e-6)) {
            best.fusion = fusion;
            best.vector_weight = w;
            best.train = s;
            best_ok = ok;
        }
    }
    best.beats_lexical = best_ok && mean(best.train) > mean(best.lexical_train) + 1e-6;
    std::cerr << "relevance_eval: hybrid fusion tuned: "
              << describe(best.fusion, best.vector_weight)
              << (best.beats_lexical ? " (at or above lexical on every set)" : "") << "\n";
    return best;
}

// "k1=0.7;exact_boost=1" (a --try value) applied over the defaults; "collapse=0" turns the
// near-duplicate collapsing off; dies on an unknown name.
kb::RankingParams parse_params(const std::string& list, bool* collapse = nullptr) {
    kb::RankingParams p;
    std::istringstream items(list);
    for (std::string item; std::getline(items, item, ';');) {
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            die("--try: '" + item + "' is not name=value");
        const std::string name = item.substr(0, eq);
        const double v = std::stod(item.substr(eq + 1));
        if (name == "k1")
            p.k1 = v;
        else if (name == "b")
            p.b = v;
        else if (name == "title_boost")
            p.title_boost = v;
        else if (name == "exact_boost")
            p.exact_boost = v;
        else if (name == "concept_weight")
            p.concept_weight = v;
        else if (name == "passage_weight")
            p.passage_weight = v;
        else if (name == "max_all_terms_words")
            p.max_all_terms_words = static_cast<unsigned>(v);
        else if (name == "synonym_weight")
            p.synonym_weight = v;
        else if (name == "collapse" && collapse)
            *collapse = v != 0;
        else
            die("--try: unknown parameter " + name);
    }
    return p;
}

// ---- export for the peers -------------------------------------------------------------------

void export_set(const EvalSet& set, const std::vector<Query>& test, const std::string& work) {
    const std::string docs = work + "/" + set.key + ".docs.jsonl";
    if (!fs::exists(docs)) {
        // The peers get exactly the records the indexer read (same ids, titles, texts).
        Xapian::Database db(set.index);
        const std::string tmp = docs + ".tmp";
        std::ofstream out(tmp);
        const std::string kind(kb::schema::kRecordKindTerm);
        for (auto it = db.postlist_begin(kind); it != db.postlist_end(kind); ++it) {
            kb::Record r = kb::decode_record(db.get_document(*it).get_data());
            rapidjson::StringBuffer buf;
            rapidjson::Writer<rapidjson::StringBuffer> w(buf);
            w.StartObject();
            w.Key("id");
            w.String(r.id.c_str(), r.id.size());
            w.Key("title");
            w.String(r.title.c_str(), r.title.size());
            w.Key("text");
            w.String(r.text.c_str(), r.text.size());
            w.EndObject();
            out << buf.GetString() << "\n";
        }
        out.close();
        fs::rename(tmp, docs);
    }
    std::ofstream q(work + "/" + set.key + ".queries.tsv");
    for (const Query& query : test) {
        std::string text = query.text;
        for (char& c : text)
            if (c == '\t' || c == '\n' || c == '\r')
                c = ' ';
        q << query.id << "\t" << text << "\n";
    }
}

// ---- the table -------------------------------------------------------------------------------

struct Row {
    std::string set, system;
    Scores scores;
};

void print_table(const std::vector<Row>& rows) {
    std::printf("\n%-28s %-44s %6s %7s %8s %6s %6s\n", "set (test half)", "system", "n", "MRR@10",
                "nDCG@10", "R@10", "R@100");
    std::string last;
    for (const Row& r : rows) {
        if (!last.empty() && r.set != last)
            std::printf("\n");
        last = r.set;
        std::printf("%-28s %-44s %6zu %7.3f %8.3f %6.3f %6.3f\n", r.set.c_str(), r.system.c_str(),
                    r.scores.queries, r.scores.mrr10, r.scores.ndcg10, r.scores.recall10,
                    r.scores.recall100);
    }
}

} // namespace

int main(int argc, char** argv) {
    std::string work, piaf, piaf_index, legi, legi_index, concepts, concepts_index;
    std::vector<std::string> modes{"lexical"};
    std::vector<std::string> tries; // --try: extra settings to report (exploration)
    bool export_only = false, quick = false, no_tune = false, dev = false, fusion_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                die(a + " needs a value");
            return argv[++i];
        };
        if (a == "--work")
            work = value();
        else if (a == "--piaf")
            piaf = value();
        else if (a == "--piaf-index")
            piaf_index = value();
        else if (a == "--legi")
            legi = value();
        else if (a == "--legi-index")
            legi_index = value();
        else if (a == "--concepts")
            concepts = value();
        else if (a == "--concepts-index")
            concepts_index = value();
        else if (a == "--modes") {
            modes.clear();
            std::istringstream list(value());
            for (std::string m; std::getline(list, m, ',');)
                if (!m.empty())
                    modes.push_back(m);
            if (modes.empty())
                die("--modes needs at least one mode");
        } else if (a == "--export")
            export_only = true;
        else if (a == "--quick")
            quick = true;
        else if (a == "--dev")
            dev = true;
        else if (a == "--no-tune")
            no_tune = true;
        else if (a == "--fusion-only")
            fusion_only = true;
        else if (a == "--try")
            tries.push_back(value());
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
    for (const EvalSet& s : sets)
        test.push_back(quick && !s.concepts ? sample(dev ? s.train : s.test, kQuickQueries)
                                            : (dev ? s.train : s.test));
    if (dev && export_only)
        die("--dev reports on the training halves, which the peers never see");

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
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const EvalSet& set = sets[i];
        std::vector<std::pair<std::string, Runs>> runs;
        for (const PasserelleSystem& sys : systems) {
            std::cerr << "relevance_eval: " << set.name << ": " << sys.name << " on "
                      << test[i].size() << " queries\n";
            runs.emplace_back(sys.name, run_passerelle(set, test[i], sys));
        }
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
        auto add_rows = [&](const std::string& label, std::function<bool(const Query&)> keep) {
            for (const auto& [name, r] : runs)
                rows.push_back({label, name, score(set, test[i], r, keep)});
        };
        add_rows(set.name + (dev ? " (TRAIN, --dev)" : "") +
                     (quick && !set.concepts ? " (quick)" : ""),
                 nullptr);
        if (set.concepts) {
            add_rows("  no shared word (checked)", [](const Query& q) { return q.no_shared_word; });
            add_rows("  English questions", [](const Query& q) { return q.english; });
        }
    }
    print_table(rows);

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
        }
    std::printf("Run time %.0f s.\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return 0;
}
