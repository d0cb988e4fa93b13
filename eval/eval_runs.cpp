// Passerelle's and the peers' runs, their scores and the table (eval/eval_runs.h).

#include "eval/eval_runs.h"

#include "core/error.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace kb::eval {

// SearchRequest has no mode yet (another branch adds it): only "lexical", what the searcher
// does today, is accepted.
void apply_mode(kb::SearchRequest& request, const std::string& mode) {
    auto parsed = kb::search_mode_from_name(mode);
    if (!parsed)
        throw kb::Error(kb::ErrorKind::InvalidRequest, "invalid_mode",
                        "mode '" + mode + "' is not one of lexical, semantic, hybrid");
    request.mode = *parsed;
}

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
             const std::function<bool(const Query&)>& keep) {
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

std::vector<double> ndcg10_per_set(const std::vector<EvalSet>& sets,
                                   const std::vector<std::vector<Query>>& queries,
                                   const PasserelleSystem& system) {
    std::vector<double> per_set;
    per_set.reserve(sets.size());
    for (std::size_t i = 0; i < sets.size(); ++i)
        per_set.push_back(
            score(sets[i], queries[i], run_passerelle(sets[i], queries[i], system)).ndcg10);
    return per_set;
}

std::string describe(const kb::RankingParams& p) {
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "k1=%.2f b=%.2f title_boost=%.2f exact_boost=%.2f concept_weight=%.2f "
                  "passage_weight=%.2f max_all_terms_words=%u synonym_weight=%.2f "
                  "translation_weight=%.2f all_terms_bonus=%.2f few_all_terms=%u tag_weight=%.2f",
                  p.k1, p.b, p.title_boost, p.exact_boost, p.concept_weight, p.passage_weight,
                  p.max_all_terms_words, p.synonym_weight, p.translation_weight, p.all_terms_bonus,
                  p.few_all_terms, p.tag_weight);
    return buf;
}

std::string describe(kb::Fusion fusion, double weight) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "fusion=%s vector_weight=%.2f", kb::to_string(fusion), weight);
    return buf;
}

kb::RankingParams parse_params(const std::string& list, bool* collapse) {
    static const std::map<std::string, double kb::RankingParams::*> weights{
        {"k1", &kb::RankingParams::k1},
        {"b", &kb::RankingParams::b},
        {"title_boost", &kb::RankingParams::title_boost},
        {"exact_boost", &kb::RankingParams::exact_boost},
        {"concept_weight", &kb::RankingParams::concept_weight},
        {"tag_weight", &kb::RankingParams::tag_weight},
        {"passage_weight", &kb::RankingParams::passage_weight},
        {"synonym_weight", &kb::RankingParams::synonym_weight},
        {"translation_weight", &kb::RankingParams::translation_weight},
        {"all_terms_bonus", &kb::RankingParams::all_terms_bonus}};
    kb::RankingParams p;
    std::istringstream items(list);
    for (std::string item; std::getline(items, item, ';');) {
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            die("--try: '" + item + "' is not name=value");
        const std::string name = item.substr(0, eq);
        const double v = std::stod(item.substr(eq + 1));
        if (auto field = weights.find(name); field != weights.end())
            p.*(field->second) = v;
        else if (name == "max_all_terms_words")
            p.max_all_terms_words = static_cast<unsigned>(v);
        else if (name == "few_all_terms")
            p.few_all_terms = static_cast<unsigned>(v);
        else if (name == "collapse" && collapse)
            *collapse = v != 0;
        else
            die("--try: unknown parameter " + name);
    }
    return p;
}

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

void write_list(const std::string& path, const EvalSet& set, const std::vector<Query>& queries,
                const Runs& runs) {
    std::ofstream out(path);
    if (!out)
        die("--list: cannot write " + path);
    static const Ranking none;
    for (const Query& q : queries) {
        auto r = runs.find(q.id);
        const Ranking& ranking = r == runs.end() ? none : r->second;
        const Judgements& judged = set.qrels.at(q.id);
        std::size_t first = 0;
        for (std::size_t k = 0; k < ranking.size() && first == 0; ++k)
            if (detail::grade(judged, ranking[k]) > 0)
                first = k + 1;
        out << q.id << '\t' << (q.english ? "en" : "fr") << '\t' << first << '\t' << q.text;
        for (std::size_t k = 0; k < std::min<std::size_t>(3, ranking.size()); ++k)
            out << '\t' << ranking[k] << ':' << detail::grade(judged, ranking[k]);
        out << '\n';
    }
}

} // namespace kb::eval
