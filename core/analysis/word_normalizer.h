#pragma once

#include <string>
#include <string_view>

namespace kb {

/// The two normalised forms of one word.
struct NormalizedWord {
    std::string folded;   ///< NFKC, full case folding, ligatures split, accents removed
    std::string accented; ///< the same but keeping accents; empty when equal to folded
};

/// Normalises one word as the whole project does: apostrophe variants unified, NFKC with full
/// case folding (ICU), œ/æ split, accents folded, French elisions (l' d' qu' jusqu' ...) and
/// acronym dots ("a.p.d" → "apd") removed. Idempotent.
NormalizedWord normalize_word(std::string_view word);
/// The same, every character through ICU: the reference the fast paths of normalize_word (ASCII,
/// French accented letters) must agree with. For tests.
NormalizedWord normalize_word_with_icu(std::string_view word);

/// True for the characters French text uses as an apostrophe (kApostrophes, apostrophes.h).
bool is_apostrophe(char32_t c);
/// True for hyphens that join compounds (- ‐ ‑).
bool is_hyphen(char32_t c);
/// True for spaces that may separate digit groups in French numbers: every Unicode space
/// separator (Zs: U+0020, U+00A0, U+202F, U+2009, U+2007, U+2002...).
bool is_digit_group_space(char32_t c);
/// True when the case-folded word is an elided article or conjunction (l, d, qu, jusqu, ...).
bool is_elision(std::string_view folded_word);

} // namespace kb
