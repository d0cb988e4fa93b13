#pragma once

#include "core/analysis/analyzer.h"
#include "core/indexing/document_builder.h"
#include "core/record.h"

#include <xapian.h>

#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kb {

/// How many changed documents Xapian buffers per database before writing them out during batch
/// indexing (XAPIAN_FLUSH_THRESHOLD; Xapian's own default is 10,000). Smaller buffers keep
/// Xapian's in-memory inverter small enough to stay in the CPU caches: on legi-codes-fr
/// (bench/README.md, "Ingestion") 1,000 per database indexes faster and in far less memory than
/// 10,000, sequentially and in parallel; the extra flushes cost less than they save.
constexpr unsigned kBatchFlushThreshold = 1000;

/// How many records of a run the write ledger keeps in memory before it moves them to a
/// temporary database (write_ledger.h): some 30 MB, and a run of any size stays under it.
constexpr std::size_t kLedgerRecordsInMemory = 20000;

/// For batch indexing programs: sets XAPIAN_FLUSH_THRESHOLD to kBatchFlushThreshold unless the
/// user set it. Xapian reads it when a database is opened and has no other setting for it.
/// Call it at start-up, before any thread exists (setenv is not thread-safe).
void use_batch_flush_threshold();

/// What happened to one record.
/// Skipped: the record's documents could not be built (PreparedBatch::errors says why).
enum class WriteOutcome { Added, Replaced, Unchanged, Skipped };

/// How many records of a run or request each outcome had.
struct WriteTally {
    std::size_t added = 0, replaced = 0, unchanged = 0;
    void count(WriteOutcome o) {
        switch (o) {
        case WriteOutcome::Added:
            ++added;
            break;
        case WriteOutcome::Replaced:
            ++replaced;
            break;
        case WriteOutcome::Unchanged:
            ++unchanged;
            break;
        case WriteOutcome::Skipped: // reported by the caller, with its reason
            break;
        }
    }
};

class WriteLedger;

/// Writes records into a Xapian database inside one transaction: either every write of the
/// run lands at commit(), or (on destruction without commit, a crash, a kill) none does.
///
/// A sharded index (a directory with shard-0 … shard-N-1, an aux database and a XAPIANDB stub
/// listing them, see shards.h) is written with one transaction per shard: a record and its
/// passages go to shard_of(id); duplicate detection and "unchanged" checks read all shards;
/// spelling, synonyms and metadata go to the aux database. commit() commits the shards then
/// the aux database: a kill between two of those commits leaves some shards with this run's
/// records and others with the previous run's (each record whole, old or new); the next run
/// converges, since committed records are then skipped as unchanged.
///
/// One write path: outcomes, clusters and spelling are decided on the calling thread from a
/// WriteLedger (this run's records in memory, older ones in a read-only snapshot of the index
/// taken at construction, in the document order of a sequential write), then each database's
/// documents are written by its worker. With one writer the calling thread is the worker.
/// Parallel writing (`writers` >= 2): a Xapian database may only be used by one thread at a
/// time, so each shard is written by a thread of its own. A new single-database index is
/// written the same way into `writers` staging databases (one when sequential; staging.h,
/// records placed by shard_of(id)) which commit() merges with Xapian's compaction and renames
/// into place: a kill at any moment leaves no index or the complete one, and the next run
/// removes the leftover staging directory. Staging databases are written outside a Xapian
/// transaction (which would hold every value in memory until commit), so a new index is
/// written in bounded memory whatever its size; in-place writes to an existing index keep
/// their transaction, whose memory grows by some 1.5 KB a changed record. An existing single
/// database is written by one worker. The merge renumbers documents (the first staging database's
/// first), so later incremental runs may break ties between equally similar candidates differently
/// than on a sequential build.
class IndexWriter {
public:
    /// Opens or creates the index at `path`. `shards`: 0 keeps the existing layout (a single
    /// database for a new index), 1 asks for a single database, N >= 2 for N shards. Throws
    /// kb::Error naming the path on failure, and when `shards` contradicts the existing layout
    /// (re-sharding would move records between shards: rebuild into a new directory instead).
    /// `writers` >= 2 writes shards (or a new single database) in parallel, see above.
    /// `ledger_memory_records`: see kLedgerRecordsInMemory (tests make it small).
    explicit IndexWriter(const std::string& path, unsigned shards = 0, unsigned writers = 1,
                         std::size_t ledger_memory_records = kLedgerRecordsInMemory);
    /// Abandons the transaction if commit() was not reached.
    ~IndexWriter();
    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    /// Adds or replaces the document with the record's id; unchanged content is skipped.
    /// `origin` (a file's absolute path) is remembered so --prune can find what disappeared.
    WriteOutcome write(const Record& record, const std::string& origin = "");
    /// The same for many records: their documents are built in parallel on `threads` threads
    /// (the analysis chain is the costly part), then written in order.
    std::vector<WriteOutcome> write_batch(const std::vector<Record>& records,
                                          const std::vector<std::string>& origins,
                                          unsigned threads);

    /// A batch whose documents are being built in the background.
    struct PreparedBatch {
        std::vector<Record> records;
        std::vector<std::string> origins;
        std::vector<WriteOutcome> outcomes;
        std::vector<std::size_t> todo; ///< indexes of the records to write
        std::vector<IndexedRecord> built;
        std::vector<std::vector<std::string>> spelling;
        /// Per entry of `todo`: why its documents could not be built ("" when they were).
        std::vector<std::string> errors;
    };
    /// Pipelining: compares the batch with the index now, then builds its documents on
    /// `threads` background threads, so the caller can store the previous batch meanwhile.
    /// At most one prepared batch may be pending at a time.
    std::future<PreparedBatch> prepare(std::vector<Record> records,
                                       std::vector<std::string> origins, unsigned threads);
    /// Writes a prepared batch, in order.
    std::vector<WriteOutcome> store_batch(PreparedBatch batch);
    /// Ids of the records indexed from origins starting with `prefix`, by origin.
    std::map<std::string, std::vector<std::string>> records_from(const std::string& prefix) const;
    /// Deletes the document with this id; false when there was none.
    bool remove(const std::string& id);
    /// Commits everything written since construction, atomically.
    void commit();
    /// Number of documents in the database as this writer sees it.
    Xapian::doccount document_count() const;
    /// 1 for a single database.
    unsigned shard_count() const { return staging_ ? 1 : static_cast<unsigned>(shards_.size()); }
    /// Whether writes go to several databases on threads of their own.
    bool parallel() const { return parallel_; }

private:
    /// One record for a worker: the documents are moved in, so no other thread holds a handle
    /// on them (Xapian::Document's reference count is not atomic).
    struct WriteJob {
        std::string id;
        bool is_new = false;
        Xapian::Document record;
        std::vector<Xapian::Document> passages;
    };

    /// Every database this writer commits: the shards, then the aux database if sharded.
    std::vector<Xapian::WritableDatabase*> databases();
    void write_synonyms();
    /// The outcome of each record and the records to build (PreparedBatch::todo).
    PreparedBatch compare_batch(std::vector<Record> records,
                                std::vector<std::string> origins) const;
    /// The serial part of a write: cluster, spelling, bookkeeping; adds the worker's job.
    void plan(const Record& record, IndexedRecord&& built, const std::string& origin,
              const std::vector<std::string>& spelling, bool is_new,
              std::vector<std::vector<WriteJob>>& jobs);
    /// Hands each database its jobs: on a thread of its own when parallel, else in place.
    void launch(std::vector<std::vector<WriteJob>>&& jobs);
    /// Waits for the writer threads; rethrows their first error.
    void drain() const;
    void commit_staging();

    std::string path_;
    std::vector<Xapian::WritableDatabase> shards_;
    /// Spelling, synonyms and metadata: the aux database of a sharded index, else the index.
    Xapian::WritableDatabase meta_;
    /// Every shard as one database, for reads (sees this run's uncommitted writes).
    Xapian::Database all_;
    bool sharded_ = false;
    Analyzer analyzer_;
    std::vector<Analyzer> analyzers_; ///< one per worker thread of write_batch
    bool in_transaction_ = false;
    bool parallel_ = false;
    /// A new single database written as shards_.size() staging databases in staging_dir_.
    bool staging_ = false;
    std::string staging_dir_;
    std::unique_ptr<WriteLedger> ledger_;
    mutable std::vector<std::future<void>> writing_; ///< the workers of the last batch
};

} // namespace kb
