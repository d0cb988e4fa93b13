#pragma once

#include "core/record.h"
#include "indexer/readers/read_problem.h"

#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <string_view>

namespace kb {

/// Parses JSON Lines: one object per line with "id" and "text" (required), "title", "date",
/// "type", "publisher", "language", "url", "source_file" and any other scalar field kept as
/// metadata. Blank lines are ignored; a malformed line is reported through `on_problem`
/// (`source`:line: reason) and skipped, never stopping the file. `source` only names the
/// content in problems: a record keeps the "source_file" it declares, else none (read_bytes
/// and POST /documents give it one, never a path of the machine that indexes).
void parse_jsonl(std::string_view content, const std::string& source,
                 const std::function<void(Record&&)>& on_record,
                 const std::function<void(ReadProblem&&)>& on_problem);

/// Parses one JSON object into a Record; throws kb::Error(InvalidRequest) naming what is wrong.
Record parse_json_record(std::string_view json);
/// The same for an already parsed value (no re-serialising: nothing here recurses on depth).
Record record_from_json(const rapidjson::Value& doc);

} // namespace kb
