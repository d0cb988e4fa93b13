#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace kb {

/// A French stop list, stored in normalised (folded) form.
class Stopwords {
public:
    /// Parses the Snowball list format: one word per line, "|" starts a comment.
    static Stopwords parse_snowball(std::string_view text);
    /// The list shipped in stopwords-fr/ and compiled into the binaries.
    static const Stopwords& builtin();

    /// True when the folded term is a stopword.
    bool contains(std::string_view folded_term) const;
    std::size_t size() const { return words_.size(); }
    /// The words, folded, in byte order.
    std::vector<std::string> sorted() const;

private:
    std::unordered_set<std::string> words_;
};

} // namespace kb
