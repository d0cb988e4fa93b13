// kb::Analyzer::tokenize on arbitrary bytes (the analysis chain sees every indexed text and
// every query). Invariants: token byte ranges lie inside the input with begin < end; the
// positions of plain tokens (not compounds, not implied years) strictly increase; a compound
// or implied year shares a position some plain token has; normalize_word is idempotent on
// every token's slice of the input, as word_normalizer.h promises; a word's slice holds no
// space of any kind (French typography's U+202F, U+00A0, U+2009 separate words like U+0020).

#include "core/analysis/analyzer.h"
#include "core/analysis/word_normalizer.h"
#include "core/error.h"
#include "fuzz/fuzz_support.h"

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const kb::Analyzer analyzer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<kb::Token> tokens;
    try {
        tokens = analyzer.tokenize(text);
    } catch (...) {
        // "Invalid UTF-8 is tolerated (replaced), never an error": nothing may escape.
        kb::fuzz::unexpected_exception("Analyzer::tokenize");
    }

    std::set<unsigned> plain_positions;
    bool have_last = false;
    unsigned last = 0;
    for (const kb::Token& t : tokens) {
        const std::string where = "token '" + t.term + "' [" + std::to_string(t.begin) + "," +
                                  std::to_string(t.end) + ")";
        if (t.begin >= t.end)
            kb::fuzz::fail(where + ": begin >= end");
        if (t.end > size)
            kb::fuzz::fail(where + ": ends past the input (" + std::to_string(size) + ")");
        if (t.term.empty())
            kb::fuzz::fail(where + ": empty term");
        if (t.compound || t.implied)
            continue;
        if (have_last && t.position <= last)
            kb::fuzz::fail(where + ": position " + std::to_string(t.position) +
                           " does not follow " + std::to_string(last));
        have_last = true;
        last = t.position;
        plain_positions.insert(t.position);
    }
    for (const kb::Token& t : tokens)
        if ((t.compound || t.implied) && !plain_positions.count(t.position))
            kb::fuzz::fail("compound/implied token '" + t.term + "' at position " +
                           std::to_string(t.position) + " that no plain token has");

    for (const kb::Token& t : tokens) {
        if (t.kind != kb::TokenKind::Word || t.compound)
            continue;
        const std::string_view slice = text.substr(t.begin, t.end - t.begin);
        for (std::int32_t i = 0; i < static_cast<std::int32_t>(slice.size());) {
            UChar32 c;
            U8_NEXT(reinterpret_cast<const std::uint8_t*>(slice.data()), i,
                    static_cast<std::int32_t>(slice.size()), c);
            if (c >= 0 && kb::is_digit_group_space(static_cast<char32_t>(c)))
                kb::fuzz::fail("word token '" + std::string(slice) + "' holds a space");
        }
        try {
            const kb::NormalizedWord once = kb::normalize_word(slice);
            const kb::NormalizedWord twice = kb::normalize_word(once.folded);
            if (twice.folded != once.folded)
                kb::fuzz::fail("normalize_word not idempotent on '" + std::string(slice) + "': '" +
                               once.folded + "' then '" + twice.folded + "'");
            if (!once.accented.empty()) {
                const kb::NormalizedWord again = kb::normalize_word(once.accented);
                if (again.folded != once.folded)
                    kb::fuzz::fail("accented form '" + once.accented + "' of '" +
                                   std::string(slice) + "' folds to '" + again.folded + "', not '" +
                                   once.folded + "'");
            }
        } catch (...) {
            kb::fuzz::unexpected_exception("normalize_word");
        }
    }
    return 0;
}
