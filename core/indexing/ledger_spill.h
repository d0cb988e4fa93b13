#pragma once

#include "core/indexing/near_duplicates.h"

#include <xapian.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kb {

/// The records a WriteLedger remembers once there are too many to keep in memory: a throwaway
/// Xapian database in a temporary directory (TMPDIR), read and written by the ledger's thread
/// only. Each record is one document whose id is the record's key (its document id in a
/// sequential write), so a band's posting list visits candidates in key order, like the
/// snapshot's; Xapian's write buffer (XAPIAN_FLUSH_THRESHOLD documents) bounds its memory.
class LedgerSpill {
public:
    /// A record written in this run, as the ledger needs it back.
    struct Stored {
        Xapian::docid key = 0;
        std::string id, hash, cluster, source;
        std::optional<MinHash> signature; ///< none for a record without bands (no text)
    };

    /// Creates the directory and the database; throws kb::Error (index_write_failed) naming
    /// the directory when it cannot.
    LedgerSpill();
    /// Removes the directory.
    ~LedgerSpill();
    LedgerSpill(const LedgerSpill&) = delete;
    LedgerSpill& operator=(const LedgerSpill&) = delete;

    /// Adds or replaces the record at `stored.key`; `bands` are its band terms (empty without
    /// a signature).
    void put(const Stored& stored, const std::vector<std::string>& bands);
    /// Forgets the record at this key.
    void erase(Xapian::docid key);
    /// The record with this id, if this run wrote it and did not remove it.
    std::optional<Stored> find(const std::string& id) const;
    /// The records sharing a band term, in key order.
    Xapian::PostingIterator band_begin(const std::string& band) const {
        return db_.postlist_begin(band);
    }
    Xapian::PostingIterator band_end(const std::string& band) const {
        return db_.postlist_end(band);
    }
    /// The record at a key from band_begin.
    Stored at(Xapian::docid key) const;

private:
    std::filesystem::path dir_;
    mutable Xapian::WritableDatabase db_;
};

} // namespace kb
