#pragma once

#include "core/analysis/token.h"

#include <algorithm>
#include <array>
#include <span>
#include <string_view>

namespace kb {

/// French questions put the subject pronoun after the verb with a hyphen ("s'est-il",
/// "a-t-elle", "existe-t-il", "est-ce"): the parts look like a compound, but documents say
/// "il s'est", so a query searches the verb alone. The single definition of that form.

/// Subject pronouns written after their verb. Not "nous" and "vous": "rendez-vous" is a noun.
inline constexpr std::array<std::string_view, 8> kInvertedPronouns = {"je", "tu",  "il",    "elle",
                                                                      "on", "ils", "elles", "ce"};

/// True when `parts` (the words of one hyphenated compound, folded) are a verb and its
/// inverted subject: verb-pronoun, or verb-t-pronoun with the euphonic "t".
inline bool is_subject_inversion(std::span<const Token* const> parts) {
    if (parts.size() != 2 && !(parts.size() == 3 && parts[1]->term == "t"))
        return false;
    if (parts.front()->kind != TokenKind::Word)
        return false;
    return std::find(kInvertedPronouns.begin(), kInvertedPronouns.end(), parts.back()->term) !=
           kInvertedPronouns.end();
}

} // namespace kb
