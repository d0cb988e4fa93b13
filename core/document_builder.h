#pragma once

#include "analysis/analyzer.h"
#include "record.h"

#include <xapian.h>

namespace kb {

/// Turns a record into the Xapian document the index stores: word, stem, accented and title
/// terms from the analysis chain, boolean filter terms, value slots and the record as data.
Xapian::Document build_document(const Record& record, const Analyzer& analyzer);

/// The unique id term of a record id ("Q" + id).
std::string id_term(const std::string& id);

/// A stable hash of everything a record carries, stored so unchanged sources can be skipped.
std::string content_hash(const Record& record);

} // namespace kb
