#include "core/utf8.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>

namespace kb {

bool is_valid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const int32_t length = static_cast<int32_t>(text.size());
    if (text.size() > static_cast<std::size_t>(INT32_MAX))
        return false;
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(s, i, length, c); // ICU's strict decoder: c < 0 on any ill-formed sequence
        if (c < 0)
            return false;
    }
    return true;
}

std::size_t word_count(std::string_view text) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int64_t>(text.size());
    std::size_t words = 0;
    bool in_word = false, joiner = false; // joiner: an apostrophe or hyphen right after a word
    for (int64_t i = 0; i < length;) {
        UChar32 c;
        int32_t step = 0;
        const int32_t left = static_cast<int32_t>(std::min<int64_t>(length - i, 8));
        U8_NEXT(s + i, step, left, c);
        i += step;
        const bool letter = c >= 0 && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0);
        if (letter) {
            if (!in_word && !joiner)
                ++words;
            in_word = true;
            joiner = false;
        } else {
            joiner = in_word && (c == '\'' || c == 0x2019 || c == '-' || c == 0x2010);
            in_word = false;
        }
    }
    return words;
}

} // namespace kb
