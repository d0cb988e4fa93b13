#include "core/indexing/index_writer.h"

#include "core/analysis/acronyms.h"
#include "core/error.h"
#include "core/indexing/document_builder.h"
#include "core/indexing/staging.h"
#include "core/indexing/write_ledger.h"
#include "core/parallel.h"
#include "core/schema/schema.h"
#include "core/search/shards.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <optional>

namespace kb {

namespace {

namespace fs = std::filesystem;

// `transaction`: the writes of the run land at commit or not at all. Staging databases do
// without: they are merged into place at commit anyway, and a transaction would keep every
// document's values in memory until its end (Xapian 1.4 merges value changes at commit only:
// some 1.5 KB a record, the growth a long run's memory had).
Xapian::WritableDatabase open_writable(const std::string& path, bool transaction = true) {
    try {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN |
                                              (transaction ? 0 : Xapian::DB_NO_SYNC));
        if (transaction)
            db.begin_transaction(true);
        return db;
    } catch (const Xapian::DatabaseLockError& e) {
        throw Error(ErrorKind::Unavailable, "index_locked",
                    "index " + path + " is locked by another writer (" + e.get_msg() + ")");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::Internal, "index_open_failed",
                    "cannot open index " + path + ": " + e.get_description());
    }
}

[[noreturn]] void wrong_layout(const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, "index_layout", message);
}

// Opens `count` databases written in parallel, each with a buffer of kBatchFlushThreshold
// documents, unless the user set XAPIAN_FLUSH_THRESHOLD: the variable is set around the
// opening. Only parallel runs do this, before they start any thread (setenv is not
// thread-safe); a program that also writes sequentially calls use_batch_flush_threshold().
template <typename Open> void open_with_batch_buffers(unsigned count, Open open) {
    // Restores the environment as it was, even when an opening throws.
    struct Restore {
        bool was_set = std::getenv("XAPIAN_FLUSH_THRESHOLD") != nullptr;
        ~Restore() {
            if (!was_set)
                unsetenv("XAPIAN_FLUSH_THRESHOLD");
        }
    } restore;
    use_batch_flush_threshold();
    for (unsigned i = 0; i < count; ++i)
        open(i);
}

} // namespace

void use_batch_flush_threshold() {
    if (std::getenv("XAPIAN_FLUSH_THRESHOLD") == nullptr)
        setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(kBatchFlushThreshold).c_str(), 1);
}

IndexWriter::IndexWriter(const std::string& path, unsigned shards, unsigned writers,
                         std::size_t ledger_memory_records)
    : path_(path) {
    if (path.rfind("tcp:", 0) == 0 || path.find(',') != std::string::npos)
        wrong_layout("cannot write to " + path +
                     ": writes need a local index directory (remote shards are read-only)");
    std::error_code ec;
    const std::optional<unsigned> existing = sharded_index_shards(path);
    const bool single_exists = !existing && fs::exists(path, ec) && !fs::is_empty(path, ec);
    if (existing && shards == 1)
        wrong_layout("index " + path + " has " + std::to_string(*existing) +
                     " shards; it cannot become a single database: index into a new directory");
    if (existing && shards >= 2 && *existing != shards)
        wrong_layout("index " + path + " has " + std::to_string(*existing) + " shards, not " +
                     std::to_string(shards) +
                     ": records are placed by a hash of their id modulo the number of shards, "
                     "so changing it means a full rebuild: index into a new directory "
                     "(or delete this one) with --shards " +
                     std::to_string(shards));
    if (single_exists && shards >= 2 && !fs::exists(fs::path(path) / shard_name(0), ec))
        wrong_layout("index " + path +
                     " is a single database; it cannot be sharded in place: "
                     "index into a new directory with --shards " +
                     std::to_string(shards));
    const unsigned count = existing ? *existing : shards;
    sharded_ = count >= 2;
    ledger_ = std::make_unique<WriteLedger>(ledger_memory_records);
    if (!sharded_ && single_exists) {
        shards_.push_back(open_writable(path));
        meta_ = shards_[0];
        all_ = shards_[0];
        in_transaction_ = true;
        ledger_->add_committed(path);
        return;
    }
    parallel_ = writers >= 2;
    if (!sharded_) {
        // A new single database: staging databases merged at commit().
        staging_ = true;
        staging_dir_ = create_staging(path);
        open_with_batch_buffers(std::clamp(writers, 1u, 16u), [&](unsigned i) {
            shards_.push_back(open_writable(staging_part(staging_dir_, i), false));
            all_.add_database(shards_.back());
        });
        meta_ = shards_[0];
        ledger_->start_empty(1); // numbered as one sequentially written database
        return;
    }
    fs::create_directories(path);
    auto open_shard = [&](unsigned i) {
        shards_.push_back(open_writable((fs::path(path) / shard_name(i)).string()));
        in_transaction_ = true;
        all_.add_database(shards_.back());
    };
    if (parallel_)
        open_with_batch_buffers(count, open_shard);
    else
        for (unsigned i = 0; i < count; ++i)
            open_shard(i);
    meta_ = open_writable((fs::path(path) / kAuxName).string());
    meta_.set_metadata(std::string(schema::kRoleKey), std::string(schema::kAuxRole));
    // Before any write: the committed shards, with all_'s document numbering.
    for (unsigned i = 0; i < count; ++i)
        ledger_->add_committed((fs::path(path) / shard_name(i)).string());
}

IndexWriter::~IndexWriter() {
    try {
        drain();
    } catch (...) {
        // A failed write: the transaction is abandoned below anyway.
    }
    if (in_transaction_)
        for (Xapian::WritableDatabase* db : databases()) {
            try {
                db->cancel_transaction();
            } catch (...) {
                // Not committed (or already committed by commit()): nothing to undo here.
            }
        }
    if (staging_ && !staging_dir_.empty()) {
        for (auto& db : shards_)
            db.close();
        std::error_code ec;
        fs::remove_all(staging_dir_, ec); // an abandoned new index leaves nothing behind
    }
}

void IndexWriter::drain() const {
    std::exception_ptr error;
    for (auto& f : writing_) {
        try {
            f.get();
        } catch (...) {
            if (!error)
                error = std::current_exception();
        }
    }
    writing_.clear();
    if (error)
        std::rethrow_exception(error);
}

std::vector<Xapian::WritableDatabase*> IndexWriter::databases() {
    std::vector<Xapian::WritableDatabase*> out;
    for (auto& db : shards_)
        out.push_back(&db);
    if (sharded_)
        out.push_back(&meta_);
    return out;
}

namespace {

// A worker's part of a batch, in order. Re-indexing lands in the same database (the id's
// hash), where the old version is.
template <typename Job>
void write_jobs(Xapian::WritableDatabase& db, const std::vector<Job>& jobs) {
    for (const Job& job : jobs) {
        if (job.is_new) {
            db.add_document(job.record); // no lookup of an old version: there is none
        } else {
            db.replace_document(id_term(job.id), job.record);
            db.delete_document(passage_term(job.id)); // the old passages, if any
        }
        for (const Xapian::Document& passage : job.passages)
            db.add_document(passage);
    }
}

} // namespace

void IndexWriter::plan(const Record& record, IndexedRecord&& built, const std::string& origin,
                       const std::vector<std::string>& spelling, bool is_new,
                       std::vector<std::vector<WriteJob>>& jobs) {
    if (!origin.empty())
        built.record.add_boolean_term(std::string(schema::kOriginPrefix) + origin);
    const unsigned db = shard_of(record.id, static_cast<unsigned>(shards_.size()));
    const std::string cluster =
        ledger_->write(record, built.record, built.passages.size(), sharded_ ? db : 0, is_new);
    built.record.add_boolean_term(std::string(schema::kClusterPrefix) + cluster);
    set_cluster(built, cluster);
    // Spelling data only grows: frequencies of replaced documents are not subtracted, which
    // only makes old words slightly more likely as suggestions.
    ledger_->count_spelling(spelling);
    WriteJob& job = jobs[db].emplace_back();
    job.id = record.id;
    job.is_new = is_new;
    job.record = std::move(built.record);
    job.passages = std::move(built.passages);
}

void IndexWriter::launch(std::vector<std::vector<WriteJob>>&& jobs) {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (jobs[i].empty())
            continue;
        if (!parallel_) {
            write_jobs(shards_[i], jobs[i]);
            continue;
        }
        writing_.push_back(
            std::async(std::launch::async, [db = &shards_[i], list = std::move(jobs[i])]() mutable {
                write_jobs(*db, list);
                list.clear(); // the documents die on the thread that used them
            }));
    }
}

WriteOutcome IndexWriter::write(const Record& record, const std::string& origin) {
    PreparedBatch batch = compare_batch({record}, {origin});
    if (!batch.todo.empty()) {
        batch.built.resize(1);
        batch.spelling.resize(1);
        batch.errors.resize(1);
        try {
            batch.built[0] = build_unclustered(record, analyzer_, &batch.spelling[0]);
        } catch (...) {
            // As before the one write path: a parallel writer skips the record as write_batch
            // does, a sequential one lets the error through to its caller.
            if (!parallel_)
                throw;
            return WriteOutcome::Skipped;
        }
    }
    return store_batch(std::move(batch))[0];
}

IndexWriter::PreparedBatch IndexWriter::compare_batch(std::vector<Record> records,
                                                      std::vector<std::string> origins) const {
    PreparedBatch batch;
    batch.records = std::move(records);
    batch.origins = std::move(origins);
    batch.outcomes.resize(batch.records.size());
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
        batch.outcomes[i] = ledger_->compare(batch.records[i]);
        if (batch.outcomes[i] != WriteOutcome::Unchanged)
            batch.todo.push_back(i);
    }
    return batch;
}

std::future<IndexWriter::PreparedBatch> IndexWriter::prepare(std::vector<Record> records,
                                                             std::vector<std::string> origins,
                                                             unsigned threads) {
    PreparedBatch batch = compare_batch(std::move(records), std::move(origins));
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(batch.todo.size())));
    while (analyzers_.size() < threads)
        analyzers_.emplace_back();
    // Xapian::Document objects are independent of any database until added: building them
    // on several threads is safe, while the caller writes the previous batch.
    return std::async(std::launch::async, [this, threads, batch = std::move(batch)]() mutable {
        batch.built.resize(batch.todo.size());
        batch.spelling.resize(batch.todo.size());
        batch.errors.resize(batch.todo.size());
        std::atomic<unsigned> next_thread{0};
        // One record that cannot be built is skipped with its reason, never the run.
        run_on_threads(threads, [&] {
            const unsigned t = next_thread++;
            for (std::size_t k = t; k < batch.todo.size(); k += threads) {
                try {
                    batch.built[k] = build_unclustered(batch.records[batch.todo[k]], analyzers_[t],
                                                       &batch.spelling[k]);
                } catch (const Xapian::Error& e) {
                    batch.errors[k] = e.get_description();
                } catch (const std::exception& e) {
                    batch.errors[k] = e.what();
                }
            }
        });
        for (std::size_t k = 0; k < batch.todo.size(); ++k)
            if (!batch.errors[k].empty())
                batch.outcomes[batch.todo[k]] = WriteOutcome::Skipped;
        return std::move(batch);
    });
}

std::vector<WriteOutcome> IndexWriter::store_batch(PreparedBatch batch) {
    std::vector<std::vector<WriteJob>> jobs(shards_.size());
    for (std::size_t k = 0; k < batch.todo.size(); ++k) {
        const std::size_t i = batch.todo[k];
        if (batch.outcomes[i] == WriteOutcome::Skipped)
            continue;
        // A record id seen twice in one batch is new only the first time.
        const bool is_new =
            batch.outcomes[i] == WriteOutcome::Added && !ledger_->exists(batch.records[i].id);
        plan(batch.records[i], std::move(batch.built[k]),
             batch.origins.empty() ? std::string() : batch.origins[i], batch.spelling[k], is_new,
             jobs);
    }
    batch.built.clear();
    drain(); // the previous batch, written meanwhile
    launch(std::move(jobs));
    return batch.outcomes;
}

std::vector<WriteOutcome> IndexWriter::write_batch(const std::vector<Record>& records,
                                                   const std::vector<std::string>& origins,
                                                   unsigned threads) {
    return store_batch(prepare(records, origins, threads).get());
}

std::map<std::string, std::vector<std::string>>
IndexWriter::records_from(const std::string& prefix) const {
    drain();
    std::map<std::string, std::vector<std::string>> out;
    const std::string full = std::string(schema::kOriginPrefix) + prefix;
    for (auto t = all_.allterms_begin(full); t != all_.allterms_end(full); ++t) {
        const std::string origin = (*t).substr(schema::kOriginPrefix.size());
        for (auto p = all_.postlist_begin(*t); p != all_.postlist_end(*t); ++p)
            out[origin].push_back(decode_record(all_.get_document(*p).get_data()).id);
    }
    return out;
}

Xapian::doccount IndexWriter::document_count() const {
    drain();
    return all_.get_termfreq(std::string(schema::kRecordKindTerm));
}

bool IndexWriter::remove(const std::string& id) {
    drain();
    if (!ledger_->exists(id))
        return false;
    Xapian::WritableDatabase& db = shards_[shard_of(id, static_cast<unsigned>(shards_.size()))];
    db.delete_document(id_term(id));
    db.delete_document(passage_term(id));
    ledger_->remove(id);
    return true;
}

void IndexWriter::write_synonyms() {
    // The acronym table is rewritten on every run, so an edited data file takes effect.
    std::vector<std::string> old_keys(meta_.synonym_keys_begin(), meta_.synonym_keys_end());
    for (const std::string& key : old_keys)
        meta_.clear_synonyms(key);
    for (const auto& [key, value] : AcronymTable::builtin().synonym_pairs(analyzer_))
        meta_.add_synonym(key, value);
}

void IndexWriter::commit() {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    drain();
    for (const auto& [word, n] : ledger_->take_spelling())
        meta_.add_spelling(word, n);
    write_synonyms();
    // Every shard knows the commit time too, so a shard served alone says when it was written.
    // Staging databases: only the first has metadata (compaction keeps the first's value).
    for (Xapian::WritableDatabase* db : databases())
        if (!staging_ || db == &shards_[0])
            db->set_metadata(std::string(schema::kLastCommitKey), stamp);
    std::size_t committed = 0;
    const std::vector<Xapian::WritableDatabase*> all = databases();
    if (staging_) {
        // Each staging database flushes its last buffered documents on its own thread; if any
        // fails, nothing is moved into place, so the order does not matter.
        std::vector<std::future<void>> commits;
        commits.reserve(all.size());
        for (Xapian::WritableDatabase* db : all)
            commits.push_back(std::async(std::launch::async, [db] { db->commit(); }));
        std::exception_ptr failure;
        for (auto& c : commits) {
            try {
                c.get();
            } catch (...) {
                failure = std::current_exception();
            }
        }
        if (failure) { // the destructor abandons what is left and removes the staging
            try {
                std::rethrow_exception(failure);
            } catch (const Xapian::Error& e) {
                throw Error(ErrorKind::Internal, "commit_failed",
                            "cannot commit the staging databases of the new index " + path_ + ": " +
                                e.get_description() + " (no index was written: rerun the indexer)");
            }
        }
        commit_staging();
        return;
    }
    try {
        // Shards first, the aux database (spelling, synonyms) last.
        for (Xapian::WritableDatabase* db : all) {
            db->commit_transaction();
            ++committed;
        }
        in_transaction_ = false;
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::Internal, "commit_failed",
                    "cannot commit the index: " + e.get_description() +
                        (committed == 0 ? std::string(" (the index keeps its previous content)")
                                        : " (" + std::to_string(committed) + " of " +
                                              std::to_string(all.size()) +
                                              " shard databases were committed; the others keep "
                                              "their previous content: rerun the indexer)"));
    }
    if (sharded_ && !sharded_index_shards(path_))
        write_stub(path_, shard_count());
}

void IndexWriter::commit_staging() {
    for (auto& db : shards_)
        db.close();
    merge_staging(staging_dir_, shards_.size(), path_);
    staging_dir_.clear();
    shards_.clear();
    meta_ = Xapian::WritableDatabase();
    all_ = Xapian::Database(path_);
}

} // namespace kb
