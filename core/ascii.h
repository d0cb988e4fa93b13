#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace kb {

/// `s` with ASCII letters in lower case, for protocol tokens (HTTP header names and values,
/// robots.txt fields, charset names); other bytes unchanged.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace kb
