#include "index_writer.h"

#include "analysis/acronyms.h"
#include "document_builder.h"
#include "error.h"
#include "schema.h"

#include <chrono>
#include <ctime>

namespace kb {

IndexWriter::IndexWriter(const std::string& path) {
    try {
        db_ = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
        db_.begin_transaction(true);
        in_transaction_ = true;
    } catch (const Xapian::DatabaseLockError& e) {
        throw Error(ErrorKind::Unavailable, "index_locked",
                    "index " + path + " is locked by another writer (" + e.get_msg() + ")");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::Internal, "index_open_failed",
                    "cannot open index " + path + ": " + e.get_description());
    }
}

IndexWriter::~IndexWriter() {
    if (!in_transaction_) return;
    try {
        db_.cancel_transaction();
    } catch (...) {
        // Nothing was committed; the on-disk index is as it was before this run.
    }
}

WriteOutcome IndexWriter::write(const Record& record) {
    const std::string term = id_term(record.id);
    const std::string hash = content_hash(record);
    bool existed = false;
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
        existed = true;
        if (db_.get_document(*it).get_value(schema::kContentHashSlot) == hash)
            return WriteOutcome::Unchanged;
    }
    std::vector<std::string> spelling;
    IndexedRecord built = build_documents(record, analyzer_, &spelling);
    db_.replace_document(term, built.record);
    db_.delete_document(passage_term(record.id)); // the old passages, if any
    for (const Xapian::Document& passage : built.passages) db_.add_document(passage);
    // Spelling data only grows: frequencies of replaced documents are not subtracted, which
    // only makes old words slightly more likely as suggestions.
    for (const std::string& word : spelling) db_.add_spelling(word);
    return existed ? WriteOutcome::Replaced : WriteOutcome::Added;
}

Xapian::doccount IndexWriter::document_count() const {
    return db_.get_termfreq(std::string(schema::kRecordKindTerm));
}

bool IndexWriter::remove(const std::string& id) {
    const std::string term = id_term(id);
    if (db_.postlist_begin(term) == db_.postlist_end(term)) return false;
    db_.delete_document(term);
    db_.delete_document(passage_term(id));
    return true;
}

void IndexWriter::write_synonyms() {
    // The acronym table is rewritten on every run, so an edited data file takes effect.
    std::vector<std::string> old_keys(db_.synonym_keys_begin(), db_.synonym_keys_end());
    for (const std::string& key : old_keys) db_.clear_synonyms(key);
    for (const auto& [key, value] : AcronymTable::builtin().synonym_pairs(analyzer_))
        db_.add_synonym(key, value);
}

void IndexWriter::commit() {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    db_.set_metadata(std::string(schema::kLastCommitKey), stamp);
    write_synonyms();
    try {
        db_.commit_transaction();
        in_transaction_ = false;
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::Internal, "commit_failed",
                    "cannot commit the index: " + e.get_description() +
                        " (the index keeps its previous content)");
    }
}

} // namespace kb
