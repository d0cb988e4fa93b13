#pragma once

#include "core/analysis/stopwords.h"
#include "core/analysis/token.h"

#include <unicode/uversion.h>
#include <xapian.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace kb {

/// The French analysis chain, used verbatim by the indexer and by every query: ICU word
/// breaking (French locale), normalisation (see normalize_word), French typographic spaces
/// (U+202F, U+00A0, U+2009, U+2007: every Unicode space separates words as U+0020 does),
/// French numbers ("4 700", "4\u202F700", "4.700" → 4700; "12 000,50" → 12000,50),
/// hyphenated compounds (parts plus joined form), stopword marking, and
/// Snowball French stemming of folded terms.
/// Not thread-safe (it owns an ICU break iterator and a stemmer): make one per thread.
class Analyzer {
public:
    explicit Analyzer(const Stopwords& stopwords = Stopwords::builtin());
    ~Analyzer();
    Analyzer(Analyzer&&) noexcept;
    Analyzer& operator=(Analyzer&&) noexcept;

    /// Splits UTF-8 text into tokens with byte offsets into `text`; positions start at 0.
    /// Invalid UTF-8 is tolerated (replaced), never an error.
    std::vector<Token> tokenize(std::string_view text) const;
    /// Snowball French stem of a folded term.
    std::string stem(const std::string& folded_term) const;
    /// Fills Token::stem, for a caller that needs each token's stem more than once (the
    /// indexer: ranking terms and facet matching).
    void add_stems(std::vector<Token>& tokens) const;
    /// The token's stem: Token::stem when filled, else computed.
    std::string stem(const Token& token) const {
        return token.stem.empty() ? stem(token.term) : token.stem;
    }
    /// The folded form of one word alone (for facets, synonyms and data files).
    std::string fold(std::string_view word) const;
    /// Folded terms of a short text joined by single spaces ("Aide publique" → "aide publique").
    std::string fold_phrase(std::string_view text) const;
    const Stopwords& stopwords() const { return *stopwords_; }

private:
    const Stopwords* stopwords_;
    std::unique_ptr<icu::BreakIterator> breaker_;
    mutable Xapian::Stem stemmer_;
    /// Stems already computed: word frequencies are Zipfian, so most calls are hits.
    mutable std::unordered_map<std::string, std::string> stem_cache_;
};

} // namespace kb
