#pragma once

#include "core/search/search_context.h"
#include "core/search_types.h"

namespace kb {

/// Semantic search: the request's page of the records nearest the query's vector, the total
/// and facet counts over the `depth` nearest candidates.
void run_semantic(SearchContext& ctx, const SearchRequest& request, SearchResult& result);

} // namespace kb
