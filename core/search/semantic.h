#pragma once

#include "core/search/query/query_builder.h"
#include "core/search/search_context.h"
#include "core/search_types.h"

namespace kb {

/// Semantic search: the request's page of the records nearest the query's
/// vector, the total and facet counts over the `depth` nearest candidates.
/// `parsed` (the request's query, see build_query) gives the expansions
/// reported and the words the snippets mark.
void run_semantic(SearchContext& ctx, const ParsedQuery& parsed, const SearchRequest& request,
                  SearchResult& result);

} // namespace kb
