#include "core/embedding/fasttext_embedder.h"

#include "core/analysis/word_normalizer.h"
#include "core/error.h"

#include <cmath>
#include <cstdio>
#include <fasttext/args.h>
#include <fasttext/dictionary.h>
#include <fasttext/fasttext.h>
#include <fasttext/vector.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace kb {
namespace fs = std::filesystem;

namespace {

// SIF's smoothing constant (Arora et al. 2017 use 1e-3 to 1e-4): words more frequent than
// about one in a thousand are damped, rare ones weigh about 1.
constexpr double kSifA = 1e-3;

float sif_weight(double probability) { return static_cast<float>(kSifA / (kSifA + probability)); }

[[noreturn]] void unusable(const std::string& path, const std::string& why) {
    throw Error(ErrorKind::InvalidRequest, "vector_model_unusable",
                "cannot use the vector model " + path + ": " + why);
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

void train_fasttext(const std::vector<std::string>& texts, const std::string& model_path,
                    const FastTextTraining& options) {
    // fastText reads its training text from a file: the folded words, one passage a line.
    const fs::path input = model_path + ".train.txt";
    std::size_t words = 0;
    {
        std::ofstream out(input, std::ios::trunc);
        if (!out)
            throw Error(ErrorKind::Internal, "vectors_unwritable",
                        "cannot write " + input.string());
        for (const std::string& text : texts) {
            const std::vector<std::string> folded = embedding_words(text);
            for (const std::string& w : folded)
                out << w << ' ';
            out << '\n';
            words += folded.size();
        }
        if (!out)
            throw Error(ErrorKind::Internal, "vectors_unwritable",
                        "cannot write " + input.string());
    }
    struct Remove {
        fs::path p;
        ~Remove() {
            std::error_code ec;
            fs::remove(p, ec);
        }
    } cleanup{input};
    if (words < 1000)
        throw Error(ErrorKind::InvalidRequest, "too_little_text",
                    "too little text to train word vectors (" + std::to_string(words) +
                        " words; at least 1,000 are needed)");

    fasttext::Args args;
    args.input = input.string();
    args.model = fasttext::model_name::sg;
    args.dim = static_cast<int>(options.dimension);
    args.epoch = static_cast<int>(options.epochs);
    args.thread = static_cast<int>(std::max(1u, options.threads));
    args.minCount = static_cast<int>(options.min_count);
    args.ws = static_cast<int>(options.window);
    args.minn = static_cast<int>(options.min_ngram);
    args.maxn = static_cast<int>(options.max_ngram);
    args.bucket = options.max_ngram == 0 ? 0 : static_cast<int>(options.buckets);
    args.t = options.sampling;
    args.verbose = 0;
    fasttext::FastText model;
    try {
        model.train(args);
        model.saveModel(model_path);
    } catch (const std::exception& e) {
        throw Error(ErrorKind::Internal, "vector_training_failed",
                    std::string("training word vectors failed: ") + e.what());
    }
}

FastTextEmbedder::~FastTextEmbedder() = default;

std::unique_ptr<FastTextEmbedder> FastTextEmbedder::load(const std::string& path) {
    std::unique_ptr<FastTextEmbedder> e(new FastTextEmbedder);
    e->path_ = path;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        unusable(path, "no such file");
    if (ends_with(path, ".vec") || ends_with(path, ".txt")) {
        std::ifstream in(path);
        std::string line;
        std::size_t rows = 0, dim = 0;
        if (!std::getline(in, line) || !(std::istringstream(line) >> rows >> dim) || dim == 0 ||
            dim > 4096)
            unusable(path, "the first line must be '<words> <dimension>' (fastText .vec format)");
        e->dimension_ = static_cast<unsigned>(dim);
        // Zipf's law: the word of rank r has probability about 1 / (r · ln(1.78 N)).
        const double harmonic = std::log(1.78 * std::max<std::size_t>(rows, 2));
        std::size_t rank = 0;
        std::vector<float> v(dim);
        while (std::getline(in, line)) {
            ++rank;
            std::istringstream fields(line);
            std::string word;
            fields >> word;
            std::size_t i = 0;
            for (; i < dim && fields >> v[i]; ++i) {
            }
            if (i != dim)
                unusable(path, "line " + std::to_string(rank + 1) + " has too few values");
            const std::string folded = normalize_word(word).folded;
            if (folded.empty() || e->vec_words_.count(folded))
                continue;
            l2_normalise(v);
            e->vec_words_.emplace(
                folded, std::pair{e->vec_data_.size() / dim, sif_weight(1.0 / (rank * harmonic))});
            e->vec_data_.insert(e->vec_data_.end(), v.begin(), v.end());
        }
        if (e->vec_words_.empty())
            unusable(path, "no word vectors in it");
        return e;
    }
    e->model_ = std::make_unique<fasttext::FastText>();
    try {
        e->model_->loadModel(path);
    } catch (const std::exception& ex) {
        unusable(path, std::string("not a fastText .bin model (") + ex.what() + ")");
    }
    e->dimension_ = static_cast<unsigned>(e->model_->getDimension());
    const fasttext::Args args = e->model_->getArgs();
    e->subwords_ = args.maxn > 0;
    const auto dict = e->model_->getDictionary();
    const std::vector<int64_t> counts = dict->getCounts(fasttext::entry_type::word);
    double total = 0;
    for (int64_t c : counts)
        total += static_cast<double>(c);
    e->counts_.reserve(counts.size());
    for (int64_t c : counts)
        e->counts_.push_back(sif_weight(total > 0 ? c / total : 0));
    return e;
}

bool FastTextEmbedder::accumulate(const std::string& word, std::vector<float>& sum) const {
    if (model_) {
        const int32_t id = model_->getWordId(word);
        if (id < 0 && !subwords_)
            return false;
        // An unknown word (vector from its n-grams only) is rare: weight about 1.
        const float weight = id >= 0 ? counts_[static_cast<std::size_t>(id)] : 1.0f;
        fasttext::Vector v(dimension_);
        model_->getWordVector(v, word);
        double norm = 0;
        for (int64_t i = 0; i < v.size(); ++i)
            norm += double(v[i]) * v[i];
        if (norm <= 0)
            return false;
        // Unit word vectors: a word's weight is its SIF weight, not its vector's length.
        const float scale = weight / static_cast<float>(std::sqrt(norm));
        for (unsigned i = 0; i < dimension_; ++i)
            sum[i] += scale * v[i];
        return true;
    }
    auto it = vec_words_.find(word);
    if (it == vec_words_.end())
        return false;
    const float* row = &vec_data_[it->second.first * dimension_];
    for (unsigned i = 0; i < dimension_; ++i)
        sum[i] += it->second.second * row[i];
    return true;
}

std::vector<float> FastTextEmbedder::embed(std::string_view text) const {
    std::vector<float> sum(dimension_, 0.0f);
    for (const std::string& w : embedding_words(text))
        accumulate(w, sum);
    l2_normalise(sum);
    return sum;
}

std::vector<float> FastTextEmbedder::word_vector(const std::string& word) const {
    std::vector<float> v(dimension_, 0.0f);
    accumulate(word, v);
    l2_normalise(v);
    return v;
}

} // namespace kb
