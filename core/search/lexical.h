#pragma once

#include "core/search/query/query_builder.h"
#include "core/search/search_context.h"
#include "core/search_types.h"

#include <string>

namespace kb {

/// `text` (the request's query or a correction) built once for every step of
/// the request: the lexical match, the vectors and the fusion read the same
/// ParsedQuery. It follows the request's expansion switches and the searcher's
/// query-side weights; without `with_synonyms`, general synonyms are left out
/// (semantic search, whose answer never listed synonym expansions).
ParsedQuery build_query(SearchContext& ctx, const std::string& text, const SearchRequest& request,
                        bool with_synonyms = true);

/// Matches `parsed` into `result`, relaxing to any term when all terms find
/// nothing, with the page, facets and totals. Without `snippets` the hits carry
/// no snippet (hybrid mode makes them for its page only).
void run_lexical(SearchContext& ctx, const ParsedQuery& parsed, const SearchRequest& request,
                 SearchResult& result, bool snippets = true);

} // namespace kb
