#pragma once

#include "core/indexing/index_writer.h"
#include "core/indexing/ledger_spill.h"
#include "core/indexing/near_duplicates.h"
#include "core/record.h"

#include <xapian.h>

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace kb {

/// What an IndexWriter knows of its run's writes, so outcomes and near-duplicate clusters are
/// decided on the calling thread without reading a database a writer thread is writing:
/// records written in this run are looked up in memory, older ones in a read-only snapshot of
/// the index taken before any write, in the document order a sequential write gives them.
///
/// Memory: about 1.5 KB per record written in the run (the 256-byte MinHash signature, the
/// cluster, 16 band links and 16 band-map nodes, the id and content hash), nothing per record
/// of earlier runs (read from the snapshot) nor per passage. Bounded: past `memory_records`
/// records (kLedgerRecordsInMemory, some 30 MB) they move to a LedgerSpill on disk and the
/// later ones go there too, so a run of any size holds at most that many in memory (plus the
/// ids removed in the run). Cost per record: 16 hash look-ups (posting-list look-ups once
/// spilled) and at most kMaxDuplicateCandidates similarity computations (64 comparisons each).
class WriteLedger {
public:
    /// Bounded: a band shared by very many records says little and costs much.
    static constexpr std::size_t kMaxDuplicateCandidates = 200;

    explicit WriteLedger(std::size_t memory_records = kLedgerRecordsInMemory)
        : memory_records_(memory_records) {}

    /// Adds a committed database of the index (a shard, in shard order) to the snapshot.
    void add_committed(const std::string& path);
    /// Numbers this run's records as in `count` new, empty databases (no snapshot).
    void start_empty(unsigned count) { last_.assign(count, 0); }

    /// Whether the record is new, changed or unchanged (by content hash).
    WriteOutcome compare(const Record& record) const;
    /// Whether a document with this record id exists now (this run's writes included).
    bool exists(const std::string& id) const;
    /// Decides the near-duplicate cluster of a record about to be written (the cluster of the
    /// most similar record from another source above kDuplicateThreshold, or its own id) and
    /// remembers the write. `doc` is its built record document, `passages` how many passage
    /// documents follow it, `db` the database (as numbered by start_empty or add_committed)
    /// it lands in.
    std::string write(const Record& record, const Xapian::Document& doc, std::size_t passages,
                      unsigned db, bool is_new);
    /// Remembers that the record with this id was deleted.
    void remove(const std::string& id);

    /// Counts the spelling words of a written record; they are added to the index at commit.
    void count_spelling(const std::vector<std::string>& words);
    /// The spelling words counted so far, and forgets them.
    std::unordered_map<std::string, Xapian::termcount> take_spelling();

private:
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    struct Written {
        std::string hash;            ///< content hash, "" when removed in this run
        Xapian::docid key = 0;       ///< the document id the record has in sequential order
        std::uint32_t entry = kNone; ///< its duplicate-index entry, kNone without one
        bool removed = false;
    };
    /// A record written in this run, as a near-duplicate candidate.
    struct Entry {
        MinHash signature;
        std::string id, cluster;
        std::uint32_t source = 0; ///< index in sources_
        Xapian::docid key = 0;
        bool alive = true;
        std::array<std::uint32_t, kBands> next; ///< the next entry of each band, by key
    };
    struct Band {
        std::uint32_t head = kNone, tail = kNone;
    };

    /// What the ledger knows of a record written (or removed) in this run.
    std::optional<Written> find(const std::string& id) const;
    /// Moves the records kept in memory to the spill.
    void spill();
    std::string cluster_of(const Record& record, const MinHash& signature,
                           const std::vector<std::string>& bands,
                           const std::vector<std::uint64_t>& band_hashes) const;
    /// The document id the record gets (or keeps, when replaced) in a sequential write.
    Xapian::docid key_for(const std::string& id, std::size_t passages, unsigned db, bool is_new);
    Xapian::docid key(unsigned db, Xapian::docid local) const {
        return (local - 1) * static_cast<Xapian::docid>(last_.size()) + db + 1;
    }
    std::uint32_t source_id(const std::string& file);
    void link(std::uint32_t e, std::size_t b, std::uint64_t band);

    std::unordered_map<std::string, Written> written_; ///< by record id
    std::vector<Entry> entries_;
    std::unordered_map<std::uint64_t, Band> bands_; ///< band term hash -> entries by key
    std::unordered_map<std::string, std::uint32_t> source_ids_;
    std::vector<std::string> sources_;
    std::unordered_map<std::string, Xapian::termcount> spelling_;
    std::size_t memory_records_;
    /// Once spilled: every record of the run is there (memory holds none), but the removed ids.
    std::unique_ptr<LedgerSpill> spill_;
    std::unordered_set<std::string> removed_;
    /// Candidates are visited in the order of the document ids the records would have in the
    /// index written sequentially (a shard's ids interleaved with the others', as Xapian
    /// numbers the documents of several databases), so ties and the candidate bound resolve
    /// the same whatever the number of writers: `last_` is each database's last document id.
    std::vector<Xapian::docid> last_;
    /// The committed index before this run's writes (nothing for a new one).
    Xapian::Database snapshot_;
    bool has_snapshot_ = false;
};

} // namespace kb
