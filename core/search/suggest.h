#pragma once

#include "core/search/search_context.h"
#include "core/search_types.h"

#include <string_view>
#include <vector>

namespace kb {

/// Autocomplete (see Searcher::suggest): facet values, frequent words and titles that start
/// with what was typed, best first, at most `limit`.
std::vector<Suggestion> suggest(SearchContext& ctx, std::string_view typed, unsigned limit);

} // namespace kb
