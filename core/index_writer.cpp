#include "index_writer.h"

#include "analysis/acronyms.h"
#include "document_builder.h"
#include "error.h"
#include "near_duplicates.h"
#include "schema.h"
#include "shards.h"

#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

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

} // namespace

IndexWriter::IndexWriter(const std::string& path, unsigned shards) : path_(path) {
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
    if (!sharded_) {
        shards_.push_back(open_writable(path));
        meta_ = shards_[0];
        all_ = shards_[0];
        in_transaction_ = true;
        return;
    }
    fs::create_directories(path);
    for (unsigned i = 0; i < count; ++i) {
        shards_.push_back(open_writable((fs::path(path) / shard_name(i)).string()));
        in_transaction_ = true;
        all_.add_database(shards_.back());
    }
    meta_ = open_writable((fs::path(path) / kAuxName).string());
    meta_.set_metadata(std::string(schema::kRoleKey), std::string(schema::kAuxRole));
}

IndexWriter::~IndexWriter() {
    if (!in_transaction_)
        return;
    for (Xapian::WritableDatabase* db : databases()) {
        try {
            db->cancel_transaction();
        } catch (...) {
            // Not committed (or already committed by commit()): nothing to undo here.
        }
    }
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

WriteOutcome IndexWriter::compare(const Record& record) const {
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

WriteOutcome IndexWriter::write(const Record& record, const std::string& origin) {
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
        std::vector<std::thread> workers;
        std::vector<std::exception_ptr> errors(threads);
        for (unsigned t = 0; t < threads; ++t)
            workers.emplace_back([&, t] {
                try {
                    for (std::size_t k = t; k < batch.todo.size(); k += threads)
                        batch.built[k] = build_documents(batch.records[batch.todo[k]],
                                                         analyzers_[t], &batch.spelling[k]);
                } catch (...) {
                    errors[t] = std::current_exception();
                }
            });
        for (auto& w : workers)
            w.join();
        for (auto& e : errors)
            if (e)
                std::rethrow_exception(e);
        return std::move(batch);
    });
}

std::vector<WriteOutcome> IndexWriter::store_batch(PreparedBatch batch) {
    for (std::size_t k = 0; k < batch.todo.size(); ++k) {
        const std::size_t i = batch.todo[k];
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
    return all_.get_termfreq(std::string(schema::kRecordKindTerm));
}

bool IndexWriter::remove(const std::string& id) {
    const std::string term = id_term(id);
    if (all_.postlist_begin(term) == all_.postlist_end(term))
        return false;
    Xapian::WritableDatabase& db = shard_for(id);
    db.delete_document(term);
    db.delete_document(passage_term(id));
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
    write_synonyms();
    // Every shard knows the commit time too, so a shard served alone says when it was written.
    for (Xapian::WritableDatabase* db : databases())
        db->set_metadata(std::string(schema::kLastCommitKey), stamp);
    std::size_t committed = 0;
    const std::vector<Xapian::WritableDatabase*> all = databases();
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

} // namespace kb
