#pragma once

#include <string_view>

namespace kb {

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

} // namespace kb
