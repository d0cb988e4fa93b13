// Analysis throughput: the full French chain (ICU breaking, normalisation, elisions, numbers,
// compounds, stopwords, stemming, term generation into a Xapian::Document) against Xapian's
// bare TermGenerator with the French stemmer, on the same texts, in one run.
//
// Usage: analysis_bench [JSONL] [ROUNDS]   (default: corpus/cgct/…jsonl, 3 rounds)

#include "core/analysis/analyzer.h"
#include "core/indexing/document_builder.h"

#include <rapidjson/document.h>
#include <xapian.h>

#include <chrono>
#include <exception>
#include <fstream>
#include <iostream>

namespace {

std::vector<std::string> load_texts(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::vector<std::string> texts;
    std::string line;
    while (std::getline(in, line)) {
        rapidjson::Document d;
        d.Parse(line.c_str());
        if (!d.HasParseError() && d.IsObject() && d.HasMember("text") && d["text"].IsString())
            texts.emplace_back(d["text"].GetString(), d["text"].GetStringLength());
    }
    return texts;
}

template <typename F> double best_seconds(int rounds, F&& f) {
    double best = 1e9;
    for (int r = 0; r < rounds; ++r) {
        auto start = std::chrono::steady_clock::now();
        f();
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

} // namespace

int main(int argc, char** argv) try {
    const std::string path = argc > 1 ? argv[1]
                                      : KB_SOURCE_DIR
                                 "/corpus/cgct/code-general-des-collectivites-territoriales.jsonl";
    const int rounds = argc > 2 ? std::stoi(argv[2]) : 3;
    const std::vector<std::string> texts = load_texts(path);
    std::size_t bytes = 0;
    for (const auto& t : texts)
        bytes += t.size();
    const double mb = bytes / 1e6;
    std::cout << "texts: " << texts.size() << " from " << path << ", " << mb << " MB, best of "
              << rounds << " rounds\n";

    std::size_t sink = 0;
    const double bare = best_seconds(rounds, [&] {
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("french"));
        for (const auto& t : texts) {
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(t);
            sink += doc.termlist_count();
        }
    });

    kb::Analyzer analyzer;
    const double tokenize_only = best_seconds(rounds, [&] {
        for (const auto& t : texts)
            sink += analyzer.tokenize(t).size();
    });
    const double chain = best_seconds(rounds, [&] {
        for (const auto& t : texts)
            sink += kb::index_text(t, analyzer).termlist_count();
    });
    const double full = best_seconds(rounds, [&] {
        for (const auto& t : texts) {
            kb::Record r;
            r.id = "x";
            r.text = t;
            sink += kb::build_documents(r, analyzer).record.termlist_count();
        }
    });

    auto line = [&](const char* name, double s) {
        std::cout << "  " << name << ": " << s << " s, " << mb / s << " MB/s\n";
    };
    line("Xapian TermGenerator (french stemmer)   ", bare);
    line("kb chain, tokenize only                 ", tokenize_only);
    line("kb chain, full (terms into a document)  ", chain);
    line("whole record (+ facets, MinHash, passages)", full);
    std::cout << "  ratio full chain / bare TermGenerator: " << chain / bare
              << "x (target <= 2x)\n";
    return sink == 0; // keeps the work observable
} catch (const std::exception& e) {
    std::cerr << "analysis_bench: " << e.what() << "\n";
    return 1;
}
