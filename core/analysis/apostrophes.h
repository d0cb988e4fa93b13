#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace kb {

/// The single definition of French apostrophes and elisions (the analysis chain, the phrase
/// matcher and the HTML reader read it).

/// A character French text writes as an apostrophe.
struct Apostrophe {
    char32_t code;
    std::string_view utf8;
};

/// Every apostrophe the analysis chain unifies to "'", the common ones first: ' ’ ‘ ʼ ′ ＇ `.
inline constexpr std::array<Apostrophe, 7> kApostrophes = {{{U'\'', "'"},
                                                            {U'\u2019', "\u2019"},
                                                            {U'\u2018', "\u2018"},
                                                            {U'\u02BC', "\u02BC"},
                                                            {U'\u2032', "\u2032"},
                                                            {U'\uFF07', "\uFF07"},
                                                            {U'`', "`"}}};

/// The apostrophes PhraseMatcher looks past to find the capital after an elision
/// ("l’Association"): ' ’ ‘ ʼ.
inline constexpr std::span<const Apostrophe> kElisionApostrophes = std::span(kApostrophes).first(4);
/// The apostrophes at which the HTML reader's stopword density splits words: ' ’.
inline constexpr std::span<const Apostrophe> kWordSplittingApostrophes =
    std::span(kApostrophes).first(2);

/// The French elided articles and conjunctions, case-folded, without their apostrophe.
inline constexpr std::array<std::string_view, 14> kElisions = {
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"};

} // namespace kb
