#pragma once

#include "core/search/search_context.h"
#include "core/search_types.h"

#include <string_view>
#include <vector>

namespace kb {

/// Autocomplete (see Searcher::suggest): facet values, word completions (one form per stem,
/// the one the word before takes) and titles that start with what was typed, best first, at
/// most `limit`; each finds at least one document under `filters` when chosen as the page
/// chooses it, and says how many.
std::vector<Suggestion> suggest(SearchContext& ctx, std::string_view typed, unsigned limit,
                                const FacetFilters& filters = {});

} // namespace kb
