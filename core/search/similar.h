#pragma once

#include "core/search/search_context.h"
#include "core/search_types.h"

#include <string>

namespace kb {

/// Documents like the record `id`, without it (see Searcher::similar). Throws
/// kb::Error(NotFound) for an unknown id, kb::Error(Conflict) without usable vectors.
SearchResult find_similar(SearchContext& ctx, const std::string& id, unsigned size,
                          SimilarMethod method);

} // namespace kb
