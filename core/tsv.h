#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// Rows of a tab-separated data file; '#' lines and blank lines are skipped. Each row is
/// padded with empty columns up to `min_columns`.
std::vector<std::vector<std::string>> parse_tsv(std::string_view text, std::size_t min_columns = 0);

/// Splits a `|`-separated list, dropping empty items.
std::vector<std::string> split_list(const std::string& list, char separator = '|');

} // namespace kb
