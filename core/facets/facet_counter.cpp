#include "facets/facet_counter.h"

#include "analysis/analyzer.h"
#include "facets/facet_catalog.h"
#include "schema.h"

#include <algorithm>

namespace kb {

FacetCounter::FacetCounter(std::vector<Facet> facets, Xapian::valueno dedupe_slot)
    : facets_(std::move(facets)), dedupe_slot_(dedupe_slot) {}

void FacetCounter::operator()(const Xapian::Document& doc, double) {
    // A record matches through itself and its passages: count it once.
    std::string key = doc.get_value(dedupe_slot_);
    if (key.empty())
        key = doc.get_value(schema::kParentSlot);
    if (!key.empty() && !seen_.insert(key).second)
        return;
    for (Facet facet : facets_) {
        const std::string packed = doc.get_value(schema::facet_slot(facet));
        auto& counts = counts_[facet];
        std::size_t start = 0;
        while (start < packed.size()) {
            std::size_t end = packed.find(schema::kListSeparator, start);
            if (end == std::string::npos)
                end = packed.size();
            if (end > start)
                ++counts[packed.substr(start, end - start)];
            start = end + 1;
        }
    }
}

std::vector<FacetCount> FacetCounter::result(Facet facet_, std::size_t limit) const {
    const FacetCatalog& catalog = FacetCatalog::builtin();
    thread_local Analyzer analyzer;
    std::vector<FacetCount> out;
    static const std::map<std::string, unsigned long long> none;
    auto found = counts_.find(facet_);
    for (const auto& [value, count] : found == counts_.end() ? none : found->second) {
        FacetCount c;
        c.count = count;
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
