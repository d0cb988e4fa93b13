#pragma once

#include <string_view>

namespace kb {

/// French alphabetical order (ICU's collator for "fr": accents and case weigh only when the
/// letters are equal, so « Égypte » sorts between « Éthiopie »'s neighbours, not after « Z »).
/// UTF-8 in; thread-safe (one collator per thread).
bool french_less(std::string_view a, std::string_view b);

} // namespace kb
