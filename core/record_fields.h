#pragma once

#include "core/record.h"

#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// The field of `r` a key names (id, title, text, date, type, publisher, language,
/// source_file, url), nullptr for any other key: the stored format and the readers agree.
std::string* named_field(Record& r, std::string_view key);

/// The names of an `author` metadata value: "A; B" → {"A", "B"}, each trimmed, empties dropped.
std::vector<std::string> split_authors(const std::string& joined);

/// Copies what a result list shows of a record (id, title, date, type, publisher, url) into
/// `to`: a search hit, or the record stored with each of the record's passages.
template <typename T> void copy_listed_fields(const Record& from, T& to) {
    to.id = from.id;
    to.title = from.title;
    to.date = from.date;
    to.type = from.type;
    to.publisher = from.publisher;
    to.url = from.url;
}

} // namespace kb
