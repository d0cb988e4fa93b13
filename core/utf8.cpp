#include "core/utf8.h"

#include <unicode/utf8.h>

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

} // namespace kb
