#pragma once

#include "analysis/analyzer.h"
#include "record.h"

#include <xapian.h>

#include <string>

namespace kb {

/// What happened to one record.
enum class WriteOutcome { Added, Replaced, Unchanged };

/// Writes records into a Xapian database inside one transaction: either every write of the
/// run lands at commit(), or (on destruction without commit, a crash, a kill) none does.
class IndexWriter {
public:
    /// Opens or creates the database at `path`. Throws kb::Error naming the path on failure.
    explicit IndexWriter(const std::string& path);
    /// Abandons the transaction if commit() was not reached.
    ~IndexWriter();
    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    /// Adds or replaces the document with the record's id; unchanged content is skipped.
    WriteOutcome write(const Record& record);
    /// Deletes the document with this id; false when there was none.
    bool remove(const std::string& id);
    /// Commits everything written since construction, atomically.
    void commit();
    /// Number of documents in the database as this writer sees it.
    Xapian::doccount document_count() const;
    Xapian::WritableDatabase& database() { return db_; }

private:
    void write_synonyms();

    Xapian::WritableDatabase db_;
    Analyzer analyzer_;
    bool in_transaction_ = false;
};

} // namespace kb
