#include "core/search/lookups.h"

#include "core/facets/facet_catalog.h"
#include "core/indexing/document_builder.h"
#include "core/numbers.h"
#include "core/schema/schema.h"
#include "core/search/hits.h"

#include <algorithm>

namespace kb {

std::vector<std::string> find_duplicates(IndexHandle& index, const std::string& id) {
    return index.with_retry([&] {
        const Xapian::Database& db = index.db();
        std::vector<std::string> out;
        const std::string term = id_term(id);
        auto it = db.postlist_begin(term);
        if (it == db.postlist_end(term))
            return out;
        const std::string cluster = std::string(schema::kClusterPrefix) +
                                    db.get_document(*it).get_value(schema::kClusterSlot);
        for (auto p = db.postlist_begin(cluster); p != db.postlist_end(cluster); ++p) {
            const std::string other = db.get_document(*p).get_value(schema::kParentSlot);
            if (other != id)
                out.push_back(other);
        }
        return out;
    });
}

std::vector<NamedConcept> find_facets(IndexHandle& index, const std::string& id) {
    return index.with_retry([&] {
        const Xapian::Database& db = index.db();
        std::vector<NamedConcept> out;
        const std::string term = id_term(id);
        auto it = db.postlist_begin(term);
        if (it == db.postlist_end(term))
            return out;
        const Xapian::Document doc = db.get_document(*it);
        const FacetCatalog& catalog = FacetCatalog::builtin();
        for (const schema::FacetSpec& spec : schema::kFacetTable) {
            if (spec.values_from != schema::FacetValuesFrom::Catalog)
                continue;
            // The slot holds the record's ids joined by kListSeparator, as counting reads them.
            const std::string packed = doc.get_value(spec.slot);
            std::size_t begin = 0;
            while (begin < packed.size()) {
                std::size_t end = packed.find(schema::kListSeparator, begin);
                if (end == std::string::npos)
                    end = packed.size();
                std::string value = packed.substr(begin, end - begin);
                const FacetEntry* e = catalog.find(spec.facet, value);
                out.push_back({std::string(spec.name), value, e ? e->label : value, ""});
                begin = end + 1;
            }
        }
        return out;
    });
}

std::optional<Record> find_document(IndexHandle& index, const std::string& id) {
    return index.with_retry([&]() -> std::optional<Record> {
        const Xapian::Database& db = index.db();
        const std::string term = id_term(id);
        auto it = db.postlist_begin(term);
        if (it == db.postlist_end(term))
            return std::nullopt;
        return decode_record(db.get_document(*it).get_data());
    });
}

std::vector<PassageInfo> find_passages(IndexHandle& index, const std::string& id) {
    return index.with_retry([&] {
        const Xapian::Database& db = index.db();
        std::vector<PassageInfo> out;
        const std::string term = passage_term(id);
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            Record r = decode_record(db.get_document(*it).get_data());
            PassageInfo p;
            p.n = static_cast<unsigned>(std::min<std::uint64_t>(
                parse_count(r.metadata["passage"]).value_or(0), kMaxStoredCount));
            p.page = static_cast<unsigned>(std::min<std::uint64_t>(
                parse_count(r.metadata["page"]).value_or(0), kMaxStoredCount));
            p.begin = parse_count(r.metadata["begin"]).value_or(0);
            p.length = r.text.size();
            p.heading = r.metadata["heading"];
            out.push_back(p);
        }
        std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.n < b.n; });
        return out;
    });
}

} // namespace kb
