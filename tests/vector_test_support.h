#pragma once

// Texts, records and fastText settings shared by the vector tests: two topics that never share
// a content word, so a model trained on them in seconds separates them clearly.

#include "core/embedding/fasttext_embedder.h"
#include "core/embedding/vector_store.h"
#include "core/indexing/index_writer.h"
#include "core/record.h"

#include <random>
#include <string>
#include <vector>

namespace kb::test {

// Two topics that never share a content word, with the connecting words French text has.
inline const std::vector<std::string> kWater = {"eau",     "assainissement", "forage",  "puits",
                                                "potable", "latrines",       "pompage", "robinet"};
inline const std::vector<std::string> kTwinning = {"jumelage", "échanges", "culturels", "lycéens",
                                                   "comité",   "amitié",   "fanfare",   "festival"};
inline const std::vector<std::string> kGlue = {"le",   "la",   "des", "pour",
                                               "avec", "dans", "une", "et"};

// A sentence of `words` words drawn from one topic, with glue words between.
inline std::string sentence(const std::vector<std::string>& topic, std::mt19937& rng,
                            int words = 10) {
    std::string s;
    for (int i = 0; i < words; ++i) {
        s += (i % 2 ? kGlue[rng() % kGlue.size()] : topic[rng() % topic.size()]) + " ";
    }
    return s;
}

inline std::vector<std::string> training_texts(std::size_t n) {
    std::mt19937 rng(7);
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < n; ++i)
        texts.push_back(sentence(i % 2 ? kWater : kTwinning, rng));
    return texts;
}

// Small and quick: no subwords, one thread (deterministic enough), many epochs on little text;
// no subsampling, since every word of this tiny vocabulary is "frequent".
inline kb::FastTextTraining small_training() {
    kb::FastTextTraining t;
    t.dimension = 24;
    t.epochs = 15;
    t.threads = 1;
    t.min_count = 2;
    t.min_ngram = 0;
    t.max_ngram = 0;
    t.sampling = 1;
    return t;
}

// Record i: a water project (even i, in Senegal) or a twinning (odd i, in Lebanon).
inline kb::Record topic_record(int i) {
    std::mt19937 rng(100 + i);
    const bool water = i % 2 == 0;
    kb::Record r;
    r.id = (water ? "eau/" : "jumelage/") + std::to_string(i);
    r.title = water ? "Projet d'eau " + std::to_string(i) : "Jumelage " + std::to_string(i);
    for (int s = 0; s < 8; ++s)
        r.text += sentence(water ? kWater : kTwinning, rng) + ". ";
    r.metadata["countries"] = water ? "SN" : "LB";
    r.type = "étude";
    return r;
}

/// An index at `path` of topic_record(0 … records - 1), with vectors trained on it
/// (small_training, one thread).
inline void write_topic_index(const std::string& path, int records) {
    {
        kb::IndexWriter writer(path);
        for (int i = 0; i < records; ++i)
            writer.write(topic_record(i));
        writer.commit();
    }
    kb::VectorBuildOptions o;
    o.train = true;
    o.training = small_training();
    o.threads = 1;
    kb::build_vectors(path, o);
}

} // namespace kb::test
