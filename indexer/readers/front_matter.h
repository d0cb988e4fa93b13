#pragma once

#include "core/record.h"

#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// Reads a Markdown file's front matter into `r`: YAML between a first line `---` and the next
/// `---` (or `...`), read by yaml-cpp, or TOML between `+++` lines (Hugo), read by toml++.
/// Keys id, title, date, type, publisher, language, source_file and url fill those fields
/// (`text` stays metadata: the body is the text); any other key goes to metadata. Lists become
/// "a; b" (as JSON Lines arrays do), nested maps "parent.child" keys, dates and date-times
/// their ISO day. Returns the index of the first body line (0 when there is no front matter).
/// Throws kb::Error("malformed_front_matter") with "source:line: reason", the line in the file.
std::size_t read_front_matter(const std::vector<std::string_view>& lines, const std::string& source,
                              Record& r);

} // namespace kb
