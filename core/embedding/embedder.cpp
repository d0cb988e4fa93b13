#include "core/embedding/embedder.h"

#include "core/analysis/analyzer.h"

#include <cmath>

namespace kb {

std::vector<std::string> embedding_words(std::string_view text) {
    // The analyzer owns an ICU break iterator: one per thread, built on first use.
    thread_local Analyzer analyzer;
    std::vector<std::string> words;
    for (Token& t : analyzer.tokenize(text)) {
        if (t.kind != TokenKind::Word || t.compound || t.implied || t.term.empty())
            continue;
        words.push_back(std::move(t.term));
    }
    return words;
}

float dot(const float* a, const float* b, unsigned dimension) {
    float s = 0;
    for (unsigned i = 0; i < dimension; ++i)
        s += a[i] * b[i];
    return s;
}

void l2_normalise(std::vector<float>& v) {
    double norm = 0;
    for (float x : v)
        norm += double(x) * x;
    if (norm <= 0)
        return;
    const float scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& x : v)
        x *= scale;
}

} // namespace kb
