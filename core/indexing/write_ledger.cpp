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

WriteOutcome WriteLedger::compare(const Record& record) const {
    const auto w = written_.find(record.id);
    if (w != written_.end()) {
        if (w->second.removed)
            return WriteOutcome::Added;
        return w->second.hash == content_hash(record) ? WriteOutcome::Unchanged
                                                      : WriteOutcome::Replaced;
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
    const auto w = written_.find(id);
    if (w != written_.end())
        return !w->second.removed;
    if (!has_snapshot_)
        return false;
    const std::string term = id_term(id);
    return snapshot_.postlist_begin(term) != snapshot_.postlist_end(term);
}

std::string WriteLedger::cluster_of(const Record& record, const MinHash& signature,
                                    const std::vector<std::string>& bands,
                                    const std::vector<std::uint64_t>& band_hashes) const {
    // This run's records from memory and older ones from the snapshot, merged in document
    // order.
    std::unordered_set<Xapian::docid> seen;
    std::string cluster = record.id;
    double best = 0;
    for (std::size_t b = 0; b < bands.size(); ++b) {
        const auto list = bands_.find(band_hashes[b]);
        std::uint32_t e = list == bands_.end() ? kNone : list->second.head;
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
                if (!written_.count(d.get_value(schema::kParentSlot))) {
                    from_snapshot = d;
                    return;
                }
            }
        };
        next_from_snapshot();
        for (;;) {
            while (e != kNone && !entries_[e].alive)
                e = entries_[e].next[b];
            const bool from_memory = e != kNone && (!from_snapshot || entries_[e].key < *p);
            if (!from_memory && !from_snapshot)
                break;
            if (seen.size() >= kMaxDuplicateCandidates)
                break;
            std::optional<Xapian::Document> other;
            std::uint32_t entry = kNone;
            Xapian::docid key;
            if (from_memory) {
                entry = e;
                key = entries_[e].key;
                e = entries_[e].next[b];
            } else {
                other = from_snapshot;
                key = *p;
                ++p;
                next_from_snapshot();
            }
            if (!seen.insert(key).second)
                continue;
            if ((other ? other->get_value(schema::kParentSlot) : entries_[entry].id) == record.id)
                continue;
            const double sim =
                similarity(signature, other ? unserialise(other->get_value(schema::kMinHashSlot))
                                            : entries_[entry].signature);
            if (sim < kDuplicateThreshold || sim <= best)
                continue;
            // Within one source (one code, one JSONL file) similar texts are distinct items
            // (mirrored articles of a legal code): only another source makes a duplicate.
            if ((other ? decode_record(other->get_data()).source_file
                       : sources_[entries_[entry].source]) == record.source_file)
                continue;
            best = sim;
            cluster = other ? other->get_value(schema::kClusterSlot) : entries_[entry].cluster;
        }
    }
    return cluster;
}

Xapian::docid WriteLedger::key_for(const std::string& id, std::size_t passages, unsigned db,
                                   bool is_new) {
    const auto w = written_.find(id);
    Xapian::docid found = 0;
    if (!is_new && w != written_.end() && !w->second.removed) {
        found = w->second.key;
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
    written_[record.id] = {doc.get_value(schema::kContentHashSlot), at, entry, false};
    return cluster;
}

void WriteLedger::remove(const std::string& id) {
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
