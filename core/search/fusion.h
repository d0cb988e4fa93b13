#pragma once

#include "core/search/search_context.h"
#include "core/search_types.h"

namespace kb {

/// Hybrid search: fuses the lexical candidates in `result.hits` with the vector ranking
/// (RRF or convex, request.fusion else the searcher's) into the request's page.
void fuse(SearchContext& ctx, const SearchRequest& request, SearchResult& result);

} // namespace kb
