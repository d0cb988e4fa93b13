#pragma once

// An in-memory Xapian index of a few records, built by the indexer's own document builder, for
// the unit tests that search a handful of texts.

#include "core/analysis/analyzer.h"
#include "core/indexing/document_builder.h"
#include "core/record.h"

#include <xapian.h>

#include <string>
#include <vector>

namespace kb::test {

inline Xapian::WritableDatabase memory_index(const std::vector<Record>& records) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const Analyzer analyzer;
    for (const Record& r : records)
        db.add_document(build_document(r, analyzer));
    return db;
}

} // namespace kb::test
