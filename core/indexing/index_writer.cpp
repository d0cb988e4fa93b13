#include "core/indexing/index_writer.h"

#include "core/analysis/acronyms.h"
#include "core/indexing/document_builder.h"
#include "core/error.h"
#include "core/indexing/near_duplicates.h"
#include "core/parallel.h"
#include "core/schema/schema.h"
#include "core/search/shards.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace kb {

namespace {

namespace fs = std::filesystem;

Xapian::WritableDatabase open_writable(const std::string& path) {
    try {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
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

// The index path without a trailing separator, so its name and parent are meaningful.
fs::path clean_path(const std::string& path) {
    fs::path p = fs::absolute(path).lexically_normal();
    return p.filename().empty() ? p.parent_path() : p;
}

// "INDEX.staging-": the prefix of the staging directories of a new single-database index.
std::string staging_prefix(const fs::path& index) {
    return index.filename().string() + ".staging-";
}

// Removes the staging directories left next to `index` by killed runs (their process is
// gone); those of a live process (another run building the same index) are left alone.
void remove_stale_staging(const fs::path& index) {
    std::error_code ec;
    const std::string prefix = staging_prefix(index);
    for (const fs::directory_entry& e : fs::directory_iterator(index.parent_path(), ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && pid != getpid() && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM))
            continue;
        fs::remove_all(e.path(), ec);
    }
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

/// One record for a writer thread: the documents are moved in, so no other thread holds a
/// handle on them (Xapian::Document's reference count is not atomic).
struct IndexWriter::WriteJob {
    std::string id;
    bool is_new = false;
    Xapian::Document record;
    std::vector<Xapian::Document> passages;
};

/// What the calling thread knows of this run's writes in parallel mode, so it never reads a
/// database a writer thread is writing.
///
/// Memory: about 1.5 KB per record written in the run (the 256-byte MinHash signature, the
/// cluster, 16 band links and 16 band-map nodes, the id and content hash), nothing per record
/// of earlier runs (read from the snapshot) nor per passage: some 70 MB for 45,000 records.
/// Cost per record: 16 hash look-ups and at most kMaxDuplicateCandidates similarity
/// computations (64 comparisons each), as with the database look-ups they replace.
struct IndexWriter::RunState {
    struct Written {
        std::string hash;            ///< content hash, "" when removed in this run
        Xapian::docid key = 0;       ///< the document id the record has in all_ (see below)
        std::uint32_t entry = kNone; ///< its duplicate-index entry, kNone without one
        bool removed = false;
    };
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    /// A record written in this run, as a near-duplicate candidate.
    struct Entry {
        MinHash signature;
        std::string id, cluster;
        std::uint32_t source = 0; ///< index in sources
        Xapian::docid key = 0;
        bool alive = true;
        std::array<std::uint32_t, kBands> next; ///< the next entry of each band, by key
    };
    struct Band {
        std::uint32_t head = kNone, tail = kNone;
    };

    std::unordered_map<std::string, Written> written; ///< by record id
    std::vector<Entry> entries;
    std::unordered_map<std::uint64_t, Band> bands; ///< band term hash -> entries by key
    std::unordered_map<std::string, std::uint32_t> source_ids;
    std::vector<std::string> sources;
    std::unordered_map<std::string, Xapian::termcount> spelling; ///< added at commit
    /// Candidates are visited in the order of the document ids the records would have in
    /// all_ written sequentially (a shard's ids interleaved with the others', as Xapian
    /// numbers the documents of several databases), so ties and the candidate bound resolve
    /// exactly as they did: `last` is each virtual database's last document id.
    std::vector<Xapian::docid> last;
    /// The committed index at construction (nothing for a new one).
    Xapian::Database snapshot;
    bool has_snapshot = false;
    mutable std::vector<std::future<void>> writing;

    Xapian::docid key(unsigned db, Xapian::docid local) const {
        return (local - 1) * static_cast<Xapian::docid>(last.size()) + db + 1;
    }
    std::uint32_t source_id(const std::string& file) {
        auto [it, added] = source_ids.emplace(file, static_cast<std::uint32_t>(sources.size()));
        if (added)
            sources.push_back(file);
        return it->second;
    }
    void link(std::uint32_t e, std::size_t b, std::uint64_t band) {
        Band& list = bands[band];
        Entry& entry = entries[e];
        entry.next[b] = kNone;
        if (list.head == kNone) {
            list.head = list.tail = e;
        } else if (entries[list.tail].key <= entry.key) { // the common case: appended
            entries[list.tail].next[b] = e;
            list.tail = e;
        } else if (entry.key < entries[list.head].key) {
            entry.next[b] = list.head;
            list.head = e;
        } else {
            std::uint32_t at = list.head;
            while (entries[at].next[b] != kNone && entries[entries[at].next[b]].key <= entry.key)
                at = entries[at].next[b];
            entry.next[b] = entries[at].next[b];
            entries[at].next[b] = e;
        }
    }
};

IndexWriter::IndexWriter(const std::string& path, unsigned shards, unsigned writers) : path_(path) {
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
    if (!sharded_ && (single_exists || writers < 2)) {
        shards_.push_back(open_writable(path));
        meta_ = shards_[0];
        all_ = shards_[0];
        in_transaction_ = true;
        return;
    }
    parallel_ = writers >= 2;
    run_ = std::make_unique<RunState>();
    if (!sharded_) {
        // A new single database: staging databases merged at commit().
        staging_ = true;
        const fs::path index = clean_path(path);
        fs::create_directories(index.parent_path());
        remove_stale_staging(index);
        staging_dir_ =
            (index.parent_path() / (staging_prefix(index) + std::to_string(getpid()))).string();
        fs::remove_all(staging_dir_, ec);
        fs::create_directories(staging_dir_);
        open_with_batch_buffers(std::min(writers, 16u), [&](unsigned i) {
            shards_.push_back(open_writable((fs::path(staging_dir_) / std::to_string(i)).string()));
            in_transaction_ = true;
            all_.add_database(shards_.back());
        });
        meta_ = shards_[0];
        run_->last.assign(1, 0); // numbered as one sequentially written database
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
    if (!parallel_)
        return;
    // Before any write: the committed shards, with all_'s document numbering.
    for (unsigned i = 0; i < count; ++i) {
        Xapian::Database shard((fs::path(path) / shard_name(i)).string());
        run_->has_snapshot = run_->has_snapshot || shard.get_doccount() > 0;
        run_->last.push_back(shard.get_lastdocid());
        run_->snapshot.add_database(shard);
    }
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
    if (!run_)
        return;
    std::exception_ptr error;
    for (auto& f : run_->writing) {
        try {
            f.get();
        } catch (...) {
            if (!error)
                error = std::current_exception();
        }
    }
    run_->writing.clear();
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

Xapian::WritableDatabase& IndexWriter::shard_for(const std::string& id) {
    return shards_[shard_of(id, static_cast<unsigned>(shards_.size()))];
}

WriteOutcome IndexWriter::compare_parallel(const Record& record) const {
    const auto w = run_->written.find(record.id);
    if (w != run_->written.end()) {
        if (w->second.removed)
            return WriteOutcome::Added;
        return w->second.hash == content_hash(record) ? WriteOutcome::Unchanged
                                                      : WriteOutcome::Replaced;
    }
    if (!run_->has_snapshot)
        return WriteOutcome::Added;
    const std::string term = id_term(record.id);
    auto it = run_->snapshot.postlist_begin(term);
    if (it == run_->snapshot.postlist_end(term))
        return WriteOutcome::Added;
    return run_->snapshot.get_document(*it).get_value(schema::kContentHashSlot) ==
                   content_hash(record)
               ? WriteOutcome::Unchanged
               : WriteOutcome::Replaced;
}

bool IndexWriter::exists_now(const std::string& id) const {
    if (!parallel_) {
        const std::string term = id_term(id);
        return all_.postlist_begin(term) != all_.postlist_end(term);
    }
    const auto w = run_->written.find(id);
    if (w != run_->written.end())
        return !w->second.removed;
    if (!run_->has_snapshot)
        return false;
    const std::string term = id_term(id);
    return run_->snapshot.postlist_begin(term) != run_->snapshot.postlist_end(term);
}

WriteOutcome IndexWriter::compare(const Record& record) const {
    if (parallel_)
        return compare_parallel(record);
    const std::string term = id_term(record.id);
    auto it = all_.postlist_begin(term);
    if (it == all_.postlist_end(term))
        return WriteOutcome::Added;
    return all_.get_document(*it).get_value(schema::kContentHashSlot) == content_hash(record)
               ? WriteOutcome::Unchanged
               : WriteOutcome::Replaced;
}

std::string IndexWriter::cluster_for(const Record& record, const Xapian::Document& doc) const {
    const MinHash signature = unserialise(doc.get_value(schema::kMinHashSlot));
    std::set<Xapian::docid> seen;
    std::string cluster = record.id;
    double best = 0;
    for (const std::string& band : band_terms(signature)) {
        for (auto p = all_.postlist_begin(band); p != all_.postlist_end(band); ++p) {
            // Bounded: a band shared by very many records says little and costs much.
            if (seen.size() >= kMaxDuplicateCandidates)
                break;
            if (!seen.insert(*p).second)
                continue;
            const Xapian::Document other = all_.get_document(*p);
            if (other.get_value(schema::kParentSlot) == record.id)
                continue;
            const double sim =
                similarity(signature, unserialise(other.get_value(schema::kMinHashSlot)));
            if (sim < kDuplicateThreshold || sim <= best)
                continue;
            // Within one source (one code, one JSONL file) similar texts are distinct items
            // (mirrored articles of a legal code): only another source makes a duplicate.
            if (decode_record(other.get_data()).source_file == record.source_file)
                continue;
            best = sim;
            cluster = other.get_value(schema::kClusterSlot);
        }
    }
    return cluster;
}

void IndexWriter::store(const Record& record, const IndexedRecord& built, const std::string& origin,
                        const std::vector<std::string>& spelling, bool is_new) {
    Xapian::Document doc = built.record;
    if (!origin.empty())
        doc.add_boolean_term(std::string(schema::kOriginPrefix) + origin);
    const std::string cluster = cluster_for(record, doc);
    doc.add_value(schema::kClusterSlot, cluster);
    doc.add_value(schema::kFacetKeySlot, facet_key(cluster, doc));
    doc.add_boolean_term(std::string(schema::kClusterPrefix) + cluster);
    // Re-indexing lands in the same shard (the id's hash), where the old version is.
    Xapian::WritableDatabase& db = shard_for(record.id);
    if (is_new) {
        db.add_document(doc); // no lookup of an old version: there is none
    } else {
        db.replace_document(id_term(record.id), doc);
        db.delete_document(passage_term(record.id)); // the old passages, if any
    }
    for (Xapian::Document passage : built.passages) {
        passage.add_value(schema::kClusterSlot, cluster);
        passage.add_value(schema::kFacetKeySlot, facet_key(cluster, passage));
        db.add_document(passage);
    }
    // Spelling data only grows: frequencies of replaced documents are not subtracted, which
    // only makes old words slightly more likely as suggestions.
    std::unordered_map<std::string, Xapian::termcount> counts;
    for (const std::string& word : spelling)
        ++counts[word];
    for (const auto& [word, n] : counts)
        meta_.add_spelling(word, n);
}

void IndexWriter::plan(const Record& record, IndexedRecord&& built, const std::string& origin,
                       const std::vector<std::string>& spelling, bool is_new,
                       std::vector<std::vector<WriteJob>>& jobs) {
    RunState& run = *run_;
    Xapian::Document doc = std::move(built.record);
    if (!origin.empty())
        doc.add_boolean_term(std::string(schema::kOriginPrefix) + origin);

    // cluster_for, with this run's records from memory and older ones from the snapshot,
    // merged in all_'s document order.
    const MinHash signature = unserialise(doc.get_value(schema::kMinHashSlot));
    const std::vector<std::string> bands = band_terms(signature);
    std::vector<std::uint64_t> band_hashes;
    std::unordered_set<Xapian::docid> seen;
    std::string cluster = record.id;
    double best = 0;
    for (std::size_t b = 0; b < bands.size(); ++b) {
        band_hashes.push_back(fnv1a64(bands[b]));
        const auto list = run.bands.find(band_hashes.back());
        std::uint32_t e = list == run.bands.end() ? RunState::kNone : list->second.head;
        Xapian::PostingIterator p, end;
        if (run.has_snapshot) {
            p = run.snapshot.postlist_begin(bands[b]);
            end = run.snapshot.postlist_end(bands[b]);
        }
        // The snapshot's next candidate: records rewritten or removed in this run are
        // represented by their entry (same document id) or gone.
        std::optional<Xapian::Document> from_snapshot;
        auto next_from_snapshot = [&] {
            from_snapshot.reset();
            for (; p != end; ++p) {
                Xapian::Document d = run.snapshot.get_document(*p);
                if (!run.written.count(d.get_value(schema::kParentSlot))) {
                    from_snapshot = d;
                    return;
                }
            }
        };
        next_from_snapshot();
        for (;;) {
            while (e != RunState::kNone && !run.entries[e].alive)
                e = run.entries[e].next[b];
            const bool from_memory =
                e != RunState::kNone && (!from_snapshot || run.entries[e].key < *p);
            if (!from_memory && !from_snapshot)
                break;
            // Bounded: a band shared by very many records says little and costs much.
            if (seen.size() >= kMaxDuplicateCandidates)
                break;
            std::optional<Xapian::Document> other;
            std::uint32_t entry = RunState::kNone;
            Xapian::docid key;
            if (from_memory) {
                entry = e;
                key = run.entries[e].key;
                e = run.entries[e].next[b];
            } else {
                other = from_snapshot;
                key = *p;
                ++p;
                next_from_snapshot();
            }
            if (!seen.insert(key).second)
                continue;
            if ((other ? other->get_value(schema::kParentSlot) : run.entries[entry].id) ==
                record.id)
                continue;
            const double sim =
                similarity(signature, other ? unserialise(other->get_value(schema::kMinHashSlot))
                                            : run.entries[entry].signature);
            if (sim < kDuplicateThreshold || sim <= best)
                continue;
            // Within one source (one code, one JSONL file) similar texts are distinct items
            // (mirrored articles of a legal code): only another source makes a duplicate.
            if ((other ? decode_record(other->get_data()).source_file
                       : run.sources[run.entries[entry].source]) == record.source_file)
                continue;
            best = sim;
            cluster = other ? other->get_value(schema::kClusterSlot) : run.entries[entry].cluster;
        }
    }
    doc.add_value(schema::kClusterSlot, cluster);
    doc.add_value(schema::kFacetKeySlot, facet_key(cluster, doc));
    doc.add_boolean_term(std::string(schema::kClusterPrefix) + cluster);

    // The document id the record gets (or keeps, when replaced) in a sequential write.
    const unsigned db = shard_of(record.id, static_cast<unsigned>(shards_.size()));
    const unsigned vdb = sharded_ ? db : 0;
    const auto w = run.written.find(record.id);
    Xapian::docid key = 0;
    if (!is_new && w != run.written.end() && !w->second.removed) {
        key = w->second.key;
    } else if (!is_new && run.has_snapshot) {
        const std::string term = id_term(record.id);
        const auto it = run.snapshot.postlist_begin(term);
        if (it != run.snapshot.postlist_end(term))
            key = *it;
    }
    if (key == 0)
        key = run.key(vdb, ++run.last[vdb]);
    run.last[vdb] += static_cast<Xapian::docid>(built.passages.size());

    if (w != run.written.end() && w->second.entry != RunState::kNone)
        run.entries[w->second.entry].alive = false;
    std::uint32_t entry = RunState::kNone;
    if (!bands.empty()) {
        entry = static_cast<std::uint32_t>(run.entries.size());
        RunState::Entry& added = run.entries.emplace_back();
        added.signature = signature;
        added.id = record.id;
        added.cluster = cluster;
        added.source = run.source_id(record.source_file);
        added.key = key;
        for (std::size_t b = 0; b < bands.size(); ++b)
            run.link(entry, b, band_hashes[b]);
    }
    run.written[record.id] = {doc.get_value(schema::kContentHashSlot), key, entry, false};
    for (const std::string& word : spelling)
        ++run.spelling[word];

    WriteJob job;
    job.id = record.id;
    job.is_new = is_new;
    job.record = std::move(doc);
    job.passages = std::move(built.passages);
    for (Xapian::Document& passage : job.passages) {
        passage.add_value(schema::kClusterSlot, cluster);
        passage.add_value(schema::kFacetKeySlot, facet_key(cluster, passage));
    }
    jobs[db].push_back(std::move(job));
}

void IndexWriter::launch(std::vector<std::vector<WriteJob>>&& jobs) {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (jobs[i].empty())
            continue;
        run_->writing.push_back(
            std::async(std::launch::async, [db = &shards_[i], list = std::move(jobs[i])]() mutable {
                // Re-indexing lands in the same database (the id's hash), where the old
                // version is.
                for (const WriteJob& job : list) {
                    if (job.is_new) {
                        db->add_document(job.record);
                    } else {
                        db->replace_document(id_term(job.id), job.record);
                        db->delete_document(passage_term(job.id));
                    }
                    for (const Xapian::Document& passage : job.passages)
                        db->add_document(passage);
                }
                list.clear(); // the documents die on the thread that used them
            }));
    }
}

WriteOutcome IndexWriter::write(const Record& record, const std::string& origin) {
    if (parallel_)
        return write_batch({record}, {origin}, 1)[0];
    const WriteOutcome outcome = compare(record);
    if (outcome == WriteOutcome::Unchanged)
        return outcome;
    std::vector<std::string> spelling;
    store(record, build_documents(record, analyzer_, &spelling), origin, spelling,
          outcome == WriteOutcome::Added);
    return outcome;
}

std::future<IndexWriter::PreparedBatch> IndexWriter::prepare(std::vector<Record> records,
                                                             std::vector<std::string> origins,
                                                             unsigned threads) {
    PreparedBatch batch;
    batch.records = std::move(records);
    batch.origins = std::move(origins);
    batch.outcomes.resize(batch.records.size());
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
        batch.outcomes[i] = compare(batch.records[i]);
        if (batch.outcomes[i] != WriteOutcome::Unchanged)
            batch.todo.push_back(i);
    }
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
                    batch.built[k] = build_documents(batch.records[batch.todo[k]], analyzers_[t],
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
    if (parallel_) {
        std::vector<std::vector<WriteJob>> jobs(shards_.size());
        for (std::size_t k = 0; k < batch.todo.size(); ++k) {
            const std::size_t i = batch.todo[k];
            if (batch.outcomes[i] == WriteOutcome::Skipped)
                continue;
            // A record id seen twice in one batch is new only the first time.
            const bool is_new =
                batch.outcomes[i] == WriteOutcome::Added && !exists_now(batch.records[i].id);
            plan(batch.records[i], std::move(batch.built[k]),
                 batch.origins.empty() ? std::string() : batch.origins[i], batch.spelling[k],
                 is_new, jobs);
        }
        batch.built.clear();
        drain(); // the previous batch, written meanwhile
        launch(std::move(jobs));
        return batch.outcomes;
    }
    for (std::size_t k = 0; k < batch.todo.size(); ++k) {
        const std::size_t i = batch.todo[k];
        if (batch.outcomes[i] == WriteOutcome::Skipped)
            continue;
        // A record id seen twice in one batch is new only the first time.
        const bool is_new = batch.outcomes[i] == WriteOutcome::Added &&
                            all_.postlist_begin(id_term(batch.records[i].id)) ==
                                all_.postlist_end(id_term(batch.records[i].id));
        store(batch.records[i], batch.built[k],
              batch.origins.empty() ? std::string() : batch.origins[i], batch.spelling[k], is_new);
    }
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
    if (!exists_now(id))
        return false;
    const std::string term = id_term(id);
    Xapian::WritableDatabase& db = shard_for(id);
    db.delete_document(term);
    db.delete_document(passage_term(id));
    if (parallel_) {
        RunState::Written& w = run_->written[id];
        if (w.entry != RunState::kNone)
            run_->entries[w.entry].alive = false;
        w = {"", 0, RunState::kNone, true};
    }
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
    if (run_) {
        for (const auto& [word, n] : run_->spelling)
            meta_.add_spelling(word, n);
        run_->spelling.clear();
    }
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
        for (Xapian::WritableDatabase* db : all)
            commits.push_back(std::async(std::launch::async, [db] { db->commit_transaction(); }));
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
        in_transaction_ = false;
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
    const fs::path index = clean_path(path_);
    const fs::path merged = fs::path(staging_dir_) / "merged";
    try {
        for (auto& db : shards_)
            db.close();
        Xapian::Database staged;
        for (std::size_t i = 0; i < shards_.size(); ++i)
            staged.add_database(
                Xapian::Database((fs::path(staging_dir_) / std::to_string(i)).string()));
        // Renumbers the documents database after database; merges the spelling and synonym
        // tables; metadata comes from the first database, the only one that has any.
        staged.compact(merged.string());
        staged.close();
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::Internal, "commit_failed",
                    "cannot merge the staging databases of the new index " + path_ + ": " +
                        e.get_description() + " (no index was written: rerun the indexer)");
    }
    std::error_code ec;
    // Atomic: the complete index appears at once (over an empty directory, if one was there).
    fs::rename(merged, index, ec);
    if (ec)
        throw Error(ErrorKind::Internal, "commit_failed",
                    "cannot move the new index into place at " + path_ + ": " + ec.message());
    fs::remove_all(staging_dir_, ec);
    staging_dir_.clear();
    shards_.clear();
    meta_ = Xapian::WritableDatabase();
    all_ = Xapian::Database(index.string());
}

} // namespace kb
