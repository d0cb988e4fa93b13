#pragma once

#include "core/record.h"
#include "core/search_types.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

namespace kb::http {

/// "partial": whether a shard was missing or the time budget ran out, "timed_out" (only when
/// it did), and for a sharded index "shards": {"total", "available", "unavailable": [names]}.
void write_shards(rapidjson::Writer<rapidjson::StringBuffer>& w, const ShardStatus& shards,
                  bool timed_out = false);

/// {query, total, total_exact, page, size, took_ms, match_mode, hits:[...]}
std::string to_json(const SearchResult& result);
/// The same, with "filters": the request's facet filters and their labels.
std::string to_json(const SearchResult& result, const FacetFilters& applied);
/// {total, partial, facets_exact, facets:{…}}: the facet counts of a result (GET /facets).
std::string facets_json(const SearchResult& result);
/// The stored document: metadata, text, where its passages start and, when given, the facet
/// values it is tagged with ("facets": [{facet, id, label}]).
std::string to_json(const Record& record, const std::vector<PassageInfo>& passages = {},
                    const std::vector<std::string>& duplicates_of = {},
                    const std::vector<NamedConcept>& facets = {});

} // namespace kb::http
