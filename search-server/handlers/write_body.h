#pragma once

// The body of a write (POST /documents, the Meilisearch document routes): a JSON object, a JSON
// array of objects, or JSON Lines (Content-Type *ndjson, *jsonl), read one way for every route.
// Errors are kb::Error(InvalidRequest): "empty_body" (nothing sent), "invalid_json" (the body
// is not JSON at all) and "invalid_record" (a record is not one; nothing is written).

#include "core/record.h"
#include "search-server/api/http_types.h"

#include <rapidjson/document.h>

#include <vector>

namespace kb::http {

/// The body's records, each checked (record_from_json, validate_record_id), with
/// source_file "api" when they give none.
std::vector<Record> records_from_body(const Request& request);

/// The body's JSON values as one array (an object alone: an array of one; JSON Lines: one per
/// line), for writes that merge them with stored records before reading them as records.
rapidjson::Document values_from_body(const Request& request);

/// One value of values_from_body() as a record, checked as records_from_body() does; errors
/// name it ("record 3: …").
Record record_at(const rapidjson::Value& value, std::size_t index);

} // namespace kb::http
