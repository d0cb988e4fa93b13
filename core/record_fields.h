#pragma once

#include "core/record.h"

namespace kb {

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
