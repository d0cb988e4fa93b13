#include "core/search/facet_counter.h"

#include "core/analysis/analyzer.h"
#include "core/facets/facet_catalog.h"
#include "core/schema/schema.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <set>
#include <string_view>
#include <unordered_set>

namespace kb {
namespace {

constexpr std::size_t kFacetFields = std::size(schema::kFacetSlots);
// A kFacetKeySlot value: cluster, parent, then one packed field per facet slot.
using Fields = std::array<std::string_view, 2 + kFacetFields>;

bool split_key(std::string_view value, Fields& fields) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::size_t end =
            i + 1 == fields.size() ? value.size() : value.find(schema::kFacetKeySeparator, start);
        if (end == std::string_view::npos)
            return false;
        fields[i] = value.substr(start, end - start);
        start = end + 1;
    }
    return true;
}

// Calls f(value) for each value of a packed multi-value field.
template <typename F> void each_value(std::string_view packed, F&& f) {
    std::size_t start = 0;
    while (start < packed.size()) {
        std::size_t end = packed.find(schema::kListSeparator, start);
        if (end == std::string_view::npos)
            end = packed.size();
        if (end > start)
            f(packed.substr(start, end - start));
        start = end + 1;
    }
}

std::size_t field_of(Facet facet) {
    const Xapian::valueno slot = schema::facet_slot(facet);
    for (std::size_t i = 0; i < kFacetFields; ++i)
        if (schema::kFacetSlots[i] == slot)
            return 2 + i;
    return 0;
}

} // namespace

// Keeps each distinct non-empty kFacetKeySlot value once, as ValueCountMatchSpy would without
// its counts (only the distinct values are read). A record's passages follow it and share its
// value: most documents compare with the last value kept and stop there.
class FacetCounter::DistinctKeys : public Xapian::MatchSpy {
public:
    void operator()(const Xapian::Document& doc, double /*wt*/) override {
        ++total_;
        std::string value = doc.get_value(schema::kFacetKeySlot);
        if (value.empty() || (last_ != nullptr && *last_ == value))
            return;
        // Elements of an unordered_set keep their address when it rehashes.
        last_ = &*keys_.insert(std::move(value)).first;
    }
    Xapian::doccount total() const { return total_; }
    const std::unordered_set<std::string>& keys() const { return keys_; }

private:
    std::unordered_set<std::string> keys_;
    const std::string* last_ = nullptr;
    Xapian::doccount total_ = 0;
};

FacetCounter::FacetCounter(std::vector<Facet> facets, Xapian::valueno dedupe_slot, bool remote)
    : facets_(std::move(facets)), dedupe_slot_(dedupe_slot), remote_(remote) {
    make_spy();
}

FacetCounter::~FacetCounter() = default;

void FacetCounter::make_spy() {
    local_spy_.reset();
    remote_spy_.reset();
    if (remote_)
        remote_spy_ = std::make_unique<Xapian::ValueCountMatchSpy>(schema::kFacetKeySlot);
    else
        local_spy_ = std::make_unique<DistinctKeys>();
}

void FacetCounter::attach(Xapian::Enquire& enquire) {
    if (remote_)
        enquire.add_matchspy(remote_spy_.get());
    else
        enquire.add_matchspy(local_spy_.get());
}

void FacetCounter::add(const Xapian::Document& doc) {
    if (remote_)
        (*remote_spy_)(doc, 1.0);
    else
        (*local_spy_)(doc, 1.0);
    tallied_ = false;
}

Xapian::doccount FacetCounter::seen() const {
    return remote_ ? remote_spy_->get_total() : local_spy_->total();
}

void FacetCounter::reset() {
    make_spy();
    scale_ = 1.0;
    tallied_ = false;
}

std::size_t FacetCounter::documents() const {
    tally();
    return documents_;
}

void FacetCounter::tally() const {
    if (tallied_)
        return;
    tallied_ = true;
    counts_.clear(); // add() may have come after an earlier tally
    documents_ = 0;
    // The values, sorted, start with the cluster then the parent id: all the documents of one
    // record (or cluster) are adjacent. A group of one value (the usual
    // case: a record and its passages share it) counts its values directly; a larger group
    // (cluster members from several records) counts the union of its members' values.
    const std::size_t key_field = dedupe_slot_ == schema::kClusterSlot ? 0 : 1;
    std::vector<std::size_t> fields;
    for (Facet f : facets_)
        fields.push_back(field_of(f));
    std::vector<Counts*> counts;
    for (Facet f : facets_)
        counts.push_back(&counts_[f]);
    // Looked up by view first: most values are already counted, and a key copy costs an
    // allocation (a measurable share of a faceted query when thousands of records match).
    auto bump = [](Counts& c, std::string_view v) {
        if (auto it = c.find(v); it != c.end())
            ++it->second;
        else
            c.emplace(std::string(v), 1);
    };

    std::vector<std::string_view> group; // the values of the current key
    auto flush = [&] {
        if (group.empty())
            return;
        ++documents_;
        Fields parts;
        if (group.size() == 1) {
            split_key(group[0], parts);
            for (std::size_t i = 0; i < fields.size(); ++i)
                each_value(parts[fields[i]], [&](std::string_view v) { bump(*counts[i], v); });
        } else {
            for (std::size_t i = 0; i < fields.size(); ++i) {
                std::set<std::string_view> united;
                for (std::string_view value : group) {
                    split_key(value, parts);
                    each_value(parts[fields[i]], [&](std::string_view v) { united.insert(v); });
                }
                for (std::string_view v : united)
                    bump(*counts[i], v);
            }
        }
        group.clear();
    };
    // The distinct values in order (ValueCountMatchSpy's come so), viewed where they are kept.
    std::vector<std::string> copies;
    std::vector<std::string_view> values;
    if (remote_) {
        for (auto it = remote_spy_->values_begin(); it != remote_spy_->values_end(); ++it)
            copies.push_back(*it);
        values.assign(copies.begin(), copies.end());
    } else {
        values.assign(local_spy_->keys().begin(), local_spy_->keys().end());
        std::sort(values.begin(), values.end());
    }
    std::string_view key;
    for (std::string_view value : values) {
        Fields parts;
        if (!split_key(value, parts))
            continue; // not written by this format
        if (group.empty() || parts[key_field] != key) {
            flush();
            key = parts[key_field];
        }
        group.push_back(value);
    }
    flush();
}

std::vector<FacetCount> FacetCounter::result(Facet facet_, std::size_t limit) const {
    tally();
    const FacetCatalog& catalog = FacetCatalog::builtin();
    thread_local Analyzer analyzer;
    std::vector<FacetCount> out;
    static const Counts none;
    auto found = counts_.find(facet_);
    for (const auto& [value, count] : found == counts_.end() ? none : found->second) {
        FacetCount c;
        c.count = scale_ == 1.0
                      ? count
                      : std::max<unsigned long long>(
                            1, static_cast<unsigned long long>(std::llround(count * scale_)));
        if (facet_ == Facet::Type) { // counted by label; the id is the analysed form
            c.id = analyzer.fold_phrase(value);
            c.label = value;
        } else if (facet_ == Facet::Year) {
            c.id = c.label = value;
        } else {
            c.id = value;
            const FacetEntry* e = catalog.find(facet_, value);
            c.label = e ? e->label : value;
            if (e)
                c.parent = e->parent;
        }
        out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [&](const FacetCount& a, const FacetCount& b) {
        if (facet_ == Facet::Year)
            return a.id > b.id; // newest first
        return a.count != b.count ? a.count > b.count : a.label < b.label;
    });
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

} // namespace kb
