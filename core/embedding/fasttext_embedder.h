#pragma once

#include "core/embedding/embedder.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fasttext {
class FastText;
}

namespace kb {

/// How train_fasttext() trains skip-gram vectors. The defaults keep training on the bundled
/// corpus well under a minute on two cores (measured in README.md).
struct FastTextTraining {
    unsigned dimension = 100;
    unsigned epochs = 5;
    unsigned threads = 2;
    unsigned min_count = 3; ///< rarer words get no vector of their own
    unsigned window = 5;
    /// Character n-grams (fastText subwords) give inflected and misspelt query words a vector;
    /// 0/0 disables them (faster training, smaller model).
    unsigned min_ngram = 0, max_ngram = 0;
    unsigned buckets = 100000;
    /// Frequent words are subsampled (fastText's -t): kept with probability about √(t / f).
    double sampling = 1e-4; ///< hashed n-gram rows (fastText's default 2M costs 800 MB at dim 100)
};

/// Trains fastText skip-gram vectors on `texts` (one passage each, passed through
/// embedding_words()) and writes the model (.bin, with word counts for SIF weights) to
/// `model_path`. Throws kb::Error(InvalidRequest) when the texts have too few words.
void train_fasttext(const std::vector<std::string>& texts, const std::string& model_path,
                    const FastTextTraining& options = {});

/// Embeds texts as a SIF-weighted average (weight a / (a + p(w)), p from the training counts)
/// of fastText word vectors, L2-normalised. Loads a fastText model (.bin) or a text vectors
/// file (.vec, one "word v1 … vd" a line, most frequent first: p(w) is estimated from the
/// rank by Zipf's law). Words are looked up in their folded form; a .vec file's words are
/// folded on loading (the first, most frequent, spelling wins).
class FastTextEmbedder : public Embedder {
public:
    /// Loads a .bin or .vec file; throws kb::Error(InvalidRequest) naming the file on failure.
    static std::unique_ptr<FastTextEmbedder> load(const std::string& path);
    ~FastTextEmbedder() override;

    std::vector<float> embed(std::string_view text) const override;
    unsigned dimension() const override { return dimension_; }
    std::string name() const override { return "fasttext:" + path_; }

    /// One folded word's vector, L2-normalised (zeros when unknown).
    std::vector<float> word_vector(const std::string& word) const;

private:
    FastTextEmbedder() = default;
    /// Adds weight × the word's vector to `sum`; false when the word has no vector.
    bool accumulate(const std::string& word, std::vector<float>& sum) const;

    std::string path_;
    unsigned dimension_ = 0;
    std::unique_ptr<fasttext::FastText> model_; ///< a .bin model
    std::vector<float> counts_;                 ///< .bin: SIF weight by word id
    bool subwords_ = false;
    /// A .vec file: folded word → row in vec_data_, and its SIF weight.
    std::unordered_map<std::string, std::pair<std::size_t, float>> vec_words_;
    std::vector<float> vec_data_;
};

} // namespace kb
