// Loading the evaluation sets and exporting them for the peers (eval/eval_sets.h).

#include "eval/eval_sets.h"

#include "core/analysis/analyzer.h"
#include "core/record.h"
#include "core/schema/schema.h"
#include "core/search/searcher.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <utility>

namespace fs = std::filesystem;

namespace kb::eval {

void die(const std::string& message) {
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

namespace {

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

void split_into(EvalSet& set, std::vector<Query> all) {
    for (Query& q : all) {
        if (!set.qrels.count(q.id))
            continue; // a query nobody judged measures nothing
        (is_test(q.pair.empty() ? q.id : q.pair) ? set.test : set.train).push_back(std::move(q));
    }
}

// Content-word stems of a text through the one analysis chain (stop words left out).
std::set<std::string> stems(const kb::Analyzer& analyzer, const std::string& text) {
    std::set<std::string> out;
    for (const kb::Token& t : analyzer.tokenize(text))
        if (!t.stopword && !t.implied)
            out.insert(analyzer.stem(t.term));
    return out;
}

} // namespace

std::vector<Query> sample(std::vector<Query> queries, std::size_t n) {
    if (queries.size() <= n)
        return queries;
    std::sort(queries.begin(), queries.end(),
              [](const Query& a, const Query& b) { return order_key(a.id) < order_key(b.id); });
    queries.resize(n);
    return queries;
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
    const std::string queries_path = dir + "/" + queries_file;
    for (const std::string& line : read_lines(queries_path)) {
        auto d = parse_json(line, queries_file);
        all.push_back({str(d, "id"), str(d, "text")});
    }
    split_into(set, std::move(all));
    return set;
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
        if (d.HasMember("pair"))
            q.pair = str(d, "pair");
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
                    die(std::string(file)
                            .append(": ")
                            .append(q.id)
                            .append(" judges unknown document ")
                            .append(doc));
                std::string title_and_text = r->title;
                title_and_text += "\n";
                title_and_text += r->text;
                doc_stems[doc] = stems(analyzer, title_and_text);
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

void export_set(const EvalSet& set, const std::vector<Query>& test, const std::string& work) {
    const std::string docs = work + "/" + set.key + ".docs.jsonl";
    if (!fs::exists(docs)) {
        // The peers get exactly the records the indexer read (same ids, titles, texts).
        Xapian::Database db(set.index);
        const std::string tmp = docs + ".tmp";
        std::ofstream out(tmp);
        const std::string kind(kb::schema::kRecordKindTerm);
        for (auto it = db.postlist_begin(kind); it != db.postlist_end(kind); ++it) {
            const kb::Record r = kb::decode_record(db.get_document(*it).get_data());
            rapidjson::StringBuffer buf;
            rapidjson::Writer<rapidjson::StringBuffer> w(buf);
            w.StartObject();
            for (const auto& [key, value] : {std::pair{"id", &r.id}, std::pair{"title", &r.title},
                                             std::pair{"text", &r.text}}) {
                w.Key(key);
                w.String(value->c_str(), static_cast<rapidjson::SizeType>(value->size()));
            }
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

} // namespace kb::eval
