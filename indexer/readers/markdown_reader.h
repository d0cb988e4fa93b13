#pragma once

#include "core/record.h"

#include <string>
#include <string_view>

namespace kb {

/// Parses Markdown with an optional front matter block (YAML or TOML, front_matter.h) into a
/// Record. `default_id` is used when the front
/// matter has no id. Throws kb::Error("malformed_front_matter") with "source:line: reason".
Record parse_markdown(std::string_view content, const std::string& source,
                      const std::string& default_id);

/// Plain text: the first non-empty line is the title, the rest the body.
Record parse_plain_text(std::string_view content, const std::string& default_id);

} // namespace kb
