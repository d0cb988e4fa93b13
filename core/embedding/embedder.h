#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// Turns a text into a fixed-size vector whose cosine similarity to another text's vector says
/// how related they are. Implementations must be safe to call from several threads at once
/// (the server shares one embedder between its workers).
class Embedder {
public:
    virtual ~Embedder() = default;
    /// The text's vector, L2-normalised; all zeros when no word of the text is known.
    virtual std::vector<float> embed(std::string_view text) const = 0;
    /// Length of every vector embed() returns.
    virtual unsigned dimension() const = 0;
    /// What produced the vectors ("fasttext:/path/model.bin"), for logs and /health.
    virtual std::string name() const = 0;
};

/// The words an embedder sees: the analysis chain's folded forms (lower case, accents removed,
/// elisions dropped), numbers and hyphenated compounds' joined forms left out. Training text
/// goes through the same function, so the indexer and queries agree. Thread-safe.
std::vector<std::string> embedding_words(std::string_view text);

/// Cosine similarity of two L2-normalised vectors (their dot product).
float dot(const float* a, const float* b, unsigned dimension);

/// Scales `v` to unit length; leaves an all-zero vector as it is.
void l2_normalise(std::vector<float>& v);

} // namespace kb
