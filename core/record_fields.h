#pragma once

#include "core/record.h"

#include <string>
#include <string_view>

namespace kb {

/// The field of `r` a key names (id, title, text, date, type, publisher, language,
/// source_file, url), nullptr for any other key: the stored format and the readers agree.
std::string* named_field(Record& r, std::string_view key);

} // namespace kb
