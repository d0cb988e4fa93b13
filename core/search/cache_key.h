#pragma once

#include "core/search/index_handle.h"
#include "core/search_types.h"

#include <optional>
#include <string>

namespace kb {

/// What identifies `request`'s page on `index` as it is now, ranked with `ranking` and
/// `scoring` (see Searcher::cache_key); nothing when the page must not be cached.
std::optional<std::string> result_cache_key(const IndexHandle& index,
                                            const RankingSettings& ranking,
                                            const RankingParams& scoring,
                                            const SearchRequest& request);

} // namespace kb
