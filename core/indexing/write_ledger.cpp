#include "core/indexing/write_ledger.h"

#include "core/indexing/document_builder.h"
#include "core/schema/schema.h"
#include "core/search/shards.h"

#include <optional>
#include <unordered_set>

namespace kb {

void WriteLedger::add_committed(const std::string& path) {
    Xapian::Database db(path);
    has_snapshot_ = has_snapshot_ || db.get_doccount() > 0;
    last_.push_back(db.get_lastdocid());
    snapshot_.add_database(db);
}

std::optional<WriteLedger::Written> WriteLedger::find(const std::string& id) const {
    if (!spill_) {
        const auto w = written_.find(id);
        if (w == written_.end())
            return std::nullopt;
        return w->second;
    }
    if (removed_.count(id))
        return Written{"", 0, kNone, true};
    if (auto stored = spill_->find(id))
        return Written{stored->hash, stored->key, kNone, false};
    return std::nullopt;
}

WriteOutcome WriteLedger::compare(const Record& record) const {
    if (const auto w = find(record.id)) {
        if (w->removed)
            return WriteOutcome::Added;
        return w->hash == content_hash(record) ? WriteOutcome::Unchanged : WriteOutcome::Replaced;
    }
    if (!has_snapshot_)
        return WriteOutcome::Added;
    const std::string term = id_term(record.id);
    auto it = snapshot_.postlist_begin(term);
    if (it == snapshot_.postlist_end(term))
        return WriteOutcome::Added;
    return snapshot_.get_document(*it).get_value(schema::kContentHashSlot) == content_hash(record)
               ? WriteOutcome::Unchanged
               : WriteOutcome::Replaced;
}

bool WriteLedger::exists(const std::string& id) const {
    if (const auto w = find(id))
        return !w->removed;
    if (!has_snapshot_)
        return false;
    const std::string term = id_term(id);
    return snapshot_.postlist_begin(term) != snapshot_.postlist_end(term);
}

namespace {

// A near-duplicate candidate: a document of the snapshot, or a record of this run.
struct Candidate {
    Xapian::docid key = 0;
    std::optional<Xapian::Document> doc; ///< from the snapshot
    std::string id, cluster, source;     ///< from this run
    MinHash signature{};

    std::string parent() const { return doc ? doc->get_value(schema::kParentSlot) : id; }
    MinHash minhash() const {
        return doc ? unserialise(doc->get_value(schema::kMinHashSlot)) : signature;
    }
    std::string source_file() const {
        return doc ? decode_record(doc->get_data()).source_file : source;
    }
    std::string cluster_id() const { return doc ? doc->get_value(schema::kClusterSlot) : cluster; }
};

} // namespace

std::string WriteLedger::cluster_of(const Record& record, const MinHash& signature,
                                    const std::vector<std::string>& bands,
                                    const std::vector<std::uint64_t>& band_hashes) const {
    // This run's records (from memory or the spill) and older ones from the snapshot, merged
    // in document order.
    std::unordered_set<Xapian::docid> seen;
    std::string cluster = record.id;
    double best = 0;
    for (std::size_t b = 0; b < bands.size(); ++b) {
        std::uint32_t e = kNone;
        Xapian::PostingIterator s, s_end;
        if (spill_) {
            s = spill_->band_begin(bands[b]);
            s_end = spill_->band_end(bands[b]);
        } else if (const auto list = bands_.find(band_hashes[b]); list != bands_.end()) {
            e = list->second.head;
        }
        // The key of this run's next candidate, if any.
        auto run_key = [&]() -> std::optional<Xapian::docid> {
            if (spill_)
                return s != s_end ? std::optional<Xapian::docid>(*s) : std::nullopt;
            while (e != kNone && !entries_[e].alive)
                e = entries_[e].next[b];
            return e != kNone ? std::optional<Xapian::docid>(entries_[e].key) : std::nullopt;
        };
        auto take_run = [&] {
            Candidate c;
            if (spill_) {
                LedgerSpill::Stored stored = spill_->at(*s);
                ++s;
                c.key = stored.key;
                c.id = std::move(stored.id);
                c.cluster = std::move(stored.cluster);
                c.source = std::move(stored.source);
                c.signature = stored.signature.value_or(MinHash{});
            } else {
                const Entry& entry = entries_[e];
                e = entry.next[b];
                c.key = entry.key;
                c.id = entry.id;
                c.cluster = entry.cluster;
                c.source = sources_[entry.source];
                c.signature = entry.signature;
            }
            return c;
        };
        Xapian::PostingIterator p, end;
        if (has_snapshot_) {
            p = snapshot_.postlist_begin(bands[b]);
            end = snapshot_.postlist_end(bands[b]);
        }
        // The snapshot's next candidate: records rewritten or removed in this run are
        // represented by their entry (same document id) or gone.
        std::optional<Xapian::Document> from_snapshot;
        auto next_from_snapshot = [&] {
            from_snapshot.reset();
            for (; p != end; ++p) {
                Xapian::Document d = snapshot_.get_document(*p);
                if (!find(d.get_value(schema::kParentSlot))) {
                    from_snapshot = d;
                    return;
                }
            }
        };
        next_from_snapshot();
        for (;;) {
            const std::optional<Xapian::docid> run = run_key();
            const bool from_run = run && (!from_snapshot || *run < *p);
            if (!from_run && !from_snapshot)
                break;
            if (seen.size() >= kMaxDuplicateCandidates)
                break;
            Candidate other;
            if (from_run) {
                other = take_run();
            } else {
                other.key = *p;
                other.doc = from_snapshot;
                ++p;
                next_from_snapshot();
            }
            if (!seen.insert(other.key).second)
                continue;
            if (other.parent() == record.id)
                continue;
            const double sim = similarity(signature, other.minhash());
            if (sim < kDuplicateThreshold || sim <= best)
                continue;
            // Within one source (one code, one JSONL file) similar texts are distinct items
            // (mirrored articles of a legal code): only another source makes a duplicate.
            if (other.source_file() == record.source_file)
                continue;
            best = sim;
            cluster = other.cluster_id();
        }
    }
    return cluster;
}

Xapian::docid WriteLedger::key_for(const std::string& id, std::size_t passages, unsigned db,
                                   bool is_new) {
    const std::optional<Written> w = find(id);
    Xapian::docid found = 0;
    if (!is_new && w && !w->removed) {
        found = w->key;
    } else if (!is_new && has_snapshot_) {
        const std::string term = id_term(id);
        const auto it = snapshot_.postlist_begin(term);
        if (it != snapshot_.postlist_end(term))
            found = *it;
    }
    if (found == 0)
        found = key(db, ++last_[db]);
    last_[db] += static_cast<Xapian::docid>(passages);
    return found;
}

std::string WriteLedger::write(const Record& record, const Xapian::Document& doc,
                               std::size_t passages, unsigned db, bool is_new) {
    const MinHash signature = unserialise(doc.get_value(schema::kMinHashSlot));
    const std::vector<std::string> bands = band_terms(signature);
    std::vector<std::uint64_t> band_hashes;
    band_hashes.reserve(bands.size());
    for (const std::string& band : bands)
        band_hashes.push_back(fnv1a64(band));
    std::string cluster = cluster_of(record, signature, bands, band_hashes);

    const Xapian::docid at = key_for(record.id, passages, db, is_new);
    const std::string hash = doc.get_value(schema::kContentHashSlot);
    if (spill_) {
        if (const auto before = spill_->find(record.id); before && before->key != at)
            spill_->erase(before->key);
        removed_.erase(record.id);
        LedgerSpill::Stored stored{at, record.id, hash, cluster, record.source_file, {}};
        if (!bands.empty())
            stored.signature = signature;
        spill_->put(stored, bands);
        return cluster;
    }
    const auto w = written_.find(record.id);
    if (w != written_.end() && w->second.entry != kNone)
        entries_[w->second.entry].alive = false;
    std::uint32_t entry = kNone;
    if (!bands.empty()) {
        entry = static_cast<std::uint32_t>(entries_.size());
        Entry& added = entries_.emplace_back();
        added.signature = signature;
        added.id = record.id;
        added.cluster = cluster;
        added.source = source_id(record.source_file);
        added.key = at;
        for (std::size_t b = 0; b < bands.size(); ++b)
            link(entry, b, band_hashes[b]);
    }
    written_[record.id] = {hash, at, entry, false};
    if (written_.size() > memory_records_)
        spill();
    return cluster;
}

void WriteLedger::spill() {
    spill_ = std::make_unique<LedgerSpill>();
    for (const auto& [id, w] : written_) {
        if (w.removed) {
            removed_.insert(id);
            continue;
        }
        LedgerSpill::Stored stored{w.key, id, w.hash, "", "", {}};
        std::vector<std::string> bands;
        if (w.entry != kNone) {
            const Entry& entry = entries_[w.entry];
            stored.cluster = entry.cluster;
            stored.source = sources_[entry.source];
            stored.signature = entry.signature;
            bands = band_terms(entry.signature);
        }
        spill_->put(stored, bands);
    }
    written_ = {};
    entries_ = {};
    bands_ = {};
    source_ids_ = {};
    sources_ = {};
}

void WriteLedger::remove(const std::string& id) {
    if (spill_) {
        if (const auto stored = spill_->find(id))
            spill_->erase(stored->key);
        removed_.insert(id);
        return;
    }
    Written& w = written_[id];
    if (w.entry != kNone)
        entries_[w.entry].alive = false;
    w = {"", 0, kNone, true};
}

void WriteLedger::count_spelling(const std::vector<std::string>& words) {
    for (const std::string& word : words)
        ++spelling_[word];
}

std::unordered_map<std::string, Xapian::termcount> WriteLedger::take_spelling() {
    return std::exchange(spelling_, {});
}

std::uint32_t WriteLedger::source_id(const std::string& file) {
    auto [it, added] = source_ids_.emplace(file, static_cast<std::uint32_t>(sources_.size()));
    if (added)
        sources_.push_back(file);
    return it->second;
}

void WriteLedger::link(std::uint32_t e, std::size_t b, std::uint64_t band) {
    Band& list = bands_[band];
    Entry& entry = entries_[e];
    entry.next[b] = kNone;
    if (list.head == kNone) {
        list.head = list.tail = e;
    } else if (entries_[list.tail].key <= entry.key) { // the common case: appended
        entries_[list.tail].next[b] = e;
        list.tail = e;
    } else if (entry.key < entries_[list.head].key) {
        entry.next[b] = list.head;
        list.head = e;
    } else {
        std::uint32_t at = list.head;
        while (entries_[at].next[b] != kNone && entries_[entries_[at].next[b]].key <= entry.key)
            at = entries_[at].next[b];
        entry.next[b] = entries_[at].next[b];
        entries_[at].next[b] = e;
    }
}

} // namespace kb
