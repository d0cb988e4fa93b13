#pragma once

#include <cstddef>
#include <string>

namespace kb {

enum class TokenKind { Word, Number };

/// One unit of analysed text: what the indexer writes and what a query searches for.
struct Token {
    std::string term;     ///< case-folded, accent-folded, elision-stripped: the positional term
    std::string accented; ///< case-folded form that keeps its accents; empty when equal to term
    std::string stem; ///< Snowball stem of term, once Analyzer::add_stems filled it (else empty)
    std::size_t begin = 0; ///< byte offset of the first byte in the analysed text
    std::size_t end = 0;   ///< byte offset one past the last byte
    unsigned position = 0; ///< word position; a compound shares its first part's position
    TokenKind kind = TokenKind::Word;
    bool stopword = false; ///< kept for phrases, never a ranking term
    bool compound = false; ///< joined form of a hyphenated compound, in addition to its parts
    bool implied = false;  ///< a year inside a period ("2023" for "2020-2026"): indexed only
};

} // namespace kb
