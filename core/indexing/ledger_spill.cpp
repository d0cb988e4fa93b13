#include "core/indexing/ledger_spill.h"

#include "core/error.h"
#include "core/indexing/document_builder.h"

#include <cstdlib>
#include <system_error>

namespace kb {
namespace {

namespace fs = std::filesystem;

// Value slots of a spilled record (this database only, not the index's schema).
enum Slot : Xapian::valueno { kId, kHash, kCluster, kSource, kSignature };

fs::path make_temp_dir() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec)
        base = "/tmp";
    std::string pattern = (base / "kb-ledger-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
        throw Error(ErrorKind::Internal, "index_write_failed",
                    "cannot create a temporary directory in " + base.string() +
                        " for the records of this run (set TMPDIR to a writable folder)");
    return pattern;
}

} // namespace

LedgerSpill::LedgerSpill() : dir_(make_temp_dir()) {
    try {
        // Not in a transaction, which would keep every value in memory until its end (Xapian
        // 1.4 merges value changes at commit only); commits without fsync, as nothing here
        // needs to survive a crash.
        db_ = Xapian::WritableDatabase((dir_ / "db").string(),
                                       Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
    } catch (const Xapian::Error& e) {
        std::error_code ec;
        fs::remove_all(dir_, ec);
        throw Error(ErrorKind::Internal, "index_write_failed",
                    "cannot create " + dir_.string() +
                        " for the records of this run: " + e.get_description());
    }
}

LedgerSpill::~LedgerSpill() {
    try {
        db_.close();
    } catch (...) {
        // Removed below either way.
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void LedgerSpill::put(const Stored& stored, const std::vector<std::string>& bands) {
    Xapian::Document doc;
    doc.add_boolean_term(id_term(stored.id));
    for (const std::string& band : bands)
        doc.add_boolean_term(band);
    doc.add_value(kId, stored.id);
    doc.add_value(kHash, stored.hash);
    doc.add_value(kCluster, stored.cluster);
    doc.add_value(kSource, stored.source);
    if (stored.signature)
        doc.add_value(kSignature, serialise(*stored.signature));
    db_.replace_document(stored.key, doc);
}

void LedgerSpill::erase(Xapian::docid key) {
    try {
        db_.delete_document(key);
    } catch (const Xapian::DocNotFoundError&) {
        // Nothing stored at that key.
    }
}

std::optional<LedgerSpill::Stored> LedgerSpill::find(const std::string& id) const {
    const std::string term = id_term(id);
    const auto it = db_.postlist_begin(term);
    if (it == db_.postlist_end(term))
        return std::nullopt;
    return at(*it);
}

LedgerSpill::Stored LedgerSpill::at(Xapian::docid key) const {
    const Xapian::Document doc = db_.get_document(key);
    Stored s;
    s.key = key;
    s.id = doc.get_value(kId);
    s.hash = doc.get_value(kHash);
    s.cluster = doc.get_value(kCluster);
    s.source = doc.get_value(kSource);
    const std::string signature = doc.get_value(kSignature);
    if (!signature.empty())
        s.signature = unserialise(signature);
    return s;
}

} // namespace kb
