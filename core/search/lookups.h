#pragma once

#include "core/record.h"
#include "core/search/index_handle.h"
#include "core/search_types.h"

#include <optional>
#include <string>
#include <vector>

namespace kb {

/// The stored record with this id, or nothing.
std::optional<Record> find_document(IndexHandle& index, const std::string& id);
/// Where a record's passages start, in passage order.
std::vector<PassageInfo> find_passages(IndexHandle& index, const std::string& id);
/// The theme, actor, country and region values a record is tagged with (the filters its
/// document carries), each with its French label, in facet then id order.
std::vector<NamedConcept> find_facets(IndexHandle& index, const std::string& id);
/// Ids of the other records of `id`'s near-duplicate cluster.
std::vector<std::string> find_duplicates(IndexHandle& index, const std::string& id);

} // namespace kb
