#pragma once

#include <cstddef>
#include <string_view>

namespace kb {

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// Words of `text` as a reader counts them: maximal runs of letters, digits and combining
/// marks (ICU), an apostrophe or hyphen inside a run keeping it one word (« aujourd'hui »,
/// « Saint-Louis »); ill-formed bytes separate words.
std::size_t word_count(std::string_view text);

} // namespace kb
