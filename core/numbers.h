#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kb {

/// The whole of `s` as a decimal number without sign, or nullopt. Never throws: stored values
/// and request fields are parsed with this, not with std::stoul.
inline std::optional<std::uint64_t> parse_count(std::string_view s) {
    std::uint64_t n = 0;
    if (s.empty())
        return std::nullopt;
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (error != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return n;
}

} // namespace kb
