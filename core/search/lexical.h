#pragma once

#include "core/search/search_context.h"
#include "core/search_types.h"

#include <string>

namespace kb {

/// Matches `query` (the user's or a correction) into `result`, relaxing to any term when all
/// terms find nothing, with the page, facets and totals. Without `snippets` the hits carry no
/// snippet (hybrid mode makes them for its page only).
void run_lexical(SearchContext& ctx, const std::string& query, const SearchRequest& request,
                 SearchResult& result, bool snippets = true);

/// The query with unknown words replaced by spelling suggestions, or "" when none.
std::string spelling_correction(SearchContext& ctx, const std::string& query);

} // namespace kb
