#pragma once

#include "core/search/query/query_builder.h"
#include "core/search/search_context.h"
#include "core/search_types.h"

namespace kb {

/// Hybrid search: fuses the lexical candidates in `result.hits` with the vector
/// ranking (RRF or convex, request.fusion else the searcher's) into the
/// request's page; `parsed` is the query the lexical candidates were matched
/// with (its words are marked in snippets).
void fuse(SearchContext& ctx, const ParsedQuery& parsed, const SearchRequest& request,
          SearchResult& result);

} // namespace kb
