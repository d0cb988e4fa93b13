#include "search-server/json/json_output.h"

#include "core/facets/facet_catalog.h"
#include "core/schema/schema.h"
#include "search-server/json/json_writer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kb::http {
namespace {

void write_concepts(JsonWriter& w, const char* name, const std::vector<NamedConcept>& concepts) {
    w.Key(name);
    w.StartArray();
    for (const NamedConcept& c : concepts) {
        w.StartObject();
        field(w, "facet", c.facet);
        field(w, "id", c.id);
        field(w, "label", c.label);
        field(w, "typed", c.typed);
        w.EndObject();
    }
    w.EndArray();
}

using Writer = JsonWriter;

// A country's region by its label as the catalog writes it (« Europe de l'Ouest »): the id is
// a folded key, never something to show.
void write_region_label(Writer& w, const std::string& region) {
    if (region.empty())
        return;
    if (const FacetEntry* e = FacetCatalog::builtin().find(Facet::Region, region))
        field(w, "region_label", e->label);
}

// The label of a filter value: the counts' own (types have no catalog entry), else the
// catalog's, else the value itself.
std::string filter_label(const SearchResult& r, Facet facet, const std::string& id) {
    if (auto counted = r.facets.find(facet); counted != r.facets.end())
        for (const FacetCount& c : counted->second)
            if (c.id == id && !c.label.empty())
                return c.label;
    if (const FacetEntry* e = FacetCatalog::builtin().find(facet, id))
        return e->label;
    return id;
}

// "filters": the facet filters the request applied, with the labels a page shows for them
// (« Pays : Sénégal » even when no document is about Senegal) and a country's region.
void write_applied_filters(Writer& w, const SearchResult& r, const FacetFilters& applied) {
    w.Key("filters");
    w.StartArray();
    for (const auto* side : {&applied.include, &applied.exclude})
        for (const auto& [facet, values] : *side)
            for (const std::string& id : values) {
                w.StartObject();
                field(w, "field", std::string(facet_name(facet)));
                field(w, "id", id);
                field(w, "label", filter_label(r, facet, id));
                bool_field(w, "exclude", side == &applied.exclude);
                if (facet == Facet::Country)
                    if (const FacetEntry* e = FacetCatalog::builtin().find(facet, id);
                        e && !e->parent.empty()) {
                        field(w, "region", e->parent);
                        write_region_label(w, e->parent);
                    }
                w.EndObject();
            }
    w.EndArray();
}

// facets_exact, then the counts: false when they were scaled up from a sample of the matches.
void write_facets(Writer& w, const SearchResult& r) {
    bool_field(w, "facets_exact", r.facets_exact);
    const std::map<Facet, std::vector<FacetCount>>& facets = r.facets;
    w.Key("facets");
    w.StartObject();
    for (const auto& [facet, values] : facets) {
        w.Key(facet_name(facet));
        w.StartArray();
        for (const FacetCount& c : values) {
            w.StartObject();
            field(w, "id", c.id);
            field(w, "label", c.label);
            uint_field(w, "count", c.count);
            if (!c.parent.empty())
                field(w, facet == Facet::Country ? "region" : "broader", c.parent);
            if (facet == Facet::Country)
                write_region_label(w, c.parent);
            w.EndObject();
        }
        w.EndArray();
    }
    w.EndObject();
}

// id, title, date, type, publisher: what a hit and a stored record both begin with.
template <typename HitOrRecord> void write_identity(Writer& w, const HitOrRecord& x) {
    field(w, "id", x.id);
    field(w, "title", x.title);
    field(w, "date", x.date);
    field(w, "type", x.type);
    field(w, "publisher", x.publisher);
}

} // namespace

void write_shards(rapidjson::Writer<rapidjson::StringBuffer>& w, const ShardStatus& shards,
                  bool timed_out) {
    bool_field(w, "partial", shards.partial() || timed_out);
    if (timed_out) {
        bool_field(w, "timed_out", true);
    }
    if (shards.total <= 1 && !shards.partial())
        return; // one database: nothing more to say
    w.Key("shards");
    w.StartObject();
    uint_field(w, "total", shards.total);
    uint_field(w, "available", shards.available);
    w.Key("unavailable");
    w.StartArray();
    for (const std::string& name : shards.unavailable)
        w.String(name.c_str());
    w.EndArray();
    w.EndObject();
}

std::string facets_json(const SearchResult& r) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    uint_field(w, "total", r.total);
    write_shards(w, r.shards, r.timed_out);
    // The facet table, so the page and the widget list facets without a copy of their own.
    w.Key("fields");
    w.StartArray();
    for (const schema::FacetSpec& spec : schema::kFacetTable) {
        w.StartObject();
        field(w, "name", std::string(spec.name));
        field(w, "label", std::string(spec.label_fr));
        w.EndObject();
    }
    w.EndArray();
    write_facets(w, r);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string to_json(const SearchResult& r) { return to_json(r, FacetFilters{}); }

std::string to_json(const SearchResult& r, const FacetFilters& applied) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    field(w, "query", r.query);
    uint_field(w, "total", r.total);
    bool_field(w, "total_exact", r.total_exact);
    // "eq": total is the count; "gte": at least total matched; "approx": an estimate.
    w.Key("total_relation");
    w.String(r.total_exact ? "eq" : r.total_lower_bound ? "gte" : "approx");
    uint_field(w, "page", r.page);
    uint_field(w, "size", r.size);
    w.Key("took_ms");
    w.Double(static_cast<double>(static_cast<long long>(r.took_ms * 1000)) / 1000);
    w.Key("match_mode");
    w.String(to_string(r.mode));
    if (r.mode == MatchMode::FewAllTerms)
        uint_field(w, "all_terms_total", r.all_terms_total);
    w.Key("mode");
    w.String(to_string(r.search_mode));
    w.Key("mode_fallback");
    if (r.mode_fallback.empty())
        w.Null();
    else
        w.String(r.mode_fallback.c_str());
    w.Key("expansions");
    w.StartArray();
    for (const std::string& e : r.expansions)
        w.String(e.c_str());
    w.EndArray();
    w.Key("query_language");
    w.String(r.query_language.c_str());
    w.Key("did_you_mean");
    if (r.did_you_mean.empty())
        w.Null();
    else
        w.String(r.did_you_mean.c_str());
    bool_field(w, "corrected", r.corrected);
    // Concepts the query named that no document is about (the hits are for the rest).
    write_concepts(w, "missing_concepts", r.missing_concepts);
    write_shards(w, r.shards, r.timed_out);
    write_applied_filters(w, r, applied);
    write_facets(w, r);
    w.Key("hits");
    w.StartArray();
    for (const Hit& h : r.hits) {
        w.StartObject();
        write_identity(w, h);
        field(w, "url", h.url);
        if (!h.authors.empty()) {
            w.Key("authors");
            w.StartArray();
            for (const std::string& a : h.authors)
                w.String(a.c_str());
            w.EndArray();
        }
        field(w, "snippet", h.snippet);
        w.Key("score");
        w.Double(h.score);
        if (h.passage >= 0) {
            w.Key("passage");
            w.Int(h.passage);
        }
        if (h.page > 0) {
            uint_field(w, "page", h.page);
        }
        if (!h.heading.empty())
            field(w, "heading", h.heading);
        if (!h.via.empty())
            write_concepts(w, "via", h.via);
        if (!h.matched_terms.empty()) {
            w.Key("matched_terms");
            w.StartArray();
            for (const std::string& t : h.matched_terms)
                w.String(t.c_str());
            w.EndArray();
        }
        if (h.ranking) {
            // explain in semantic and hybrid modes: each ranking's view of the hit.
            w.Key("ranking");
            w.StartObject();
            // A rank of 0 is "not in that ranking": null.
            auto rank = [&w](const char* name, unsigned value) {
                w.Key(name);
                value ? w.Uint(value) : w.Null();
            };
            rank("lexical_rank", h.ranking->lexical_rank);
            w.Key("lexical_score");
            w.Double(h.ranking->lexical_score);
            rank("vector_rank", h.ranking->vector_rank);
            w.Key("vector_similarity");
            if (h.ranking->vector_similarity)
                w.Double(*h.ranking->vector_similarity);
            else
                w.Null();
            w.Key("fused_score");
            w.Double(h.ranking->fused_score);
            w.EndObject();
        }
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string to_json(const Record& r, const std::vector<PassageInfo>& passages,
                    const std::vector<std::string>& duplicates_of,
                    const std::vector<NamedConcept>& facets) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    write_identity(w, r);
    field(w, "language", r.language);
    field(w, "source_file", r.source_file);
    field(w, "url", r.url);
    w.Key("metadata");
    w.StartObject();
    for (const auto& [k, v] : r.metadata)
        field(w, k.c_str(), v);
    w.EndObject();
    field(w, "text", r.text);
    w.Key("facets");
    w.StartArray();
    for (const NamedConcept& c : facets) {
        w.StartObject();
        field(w, "facet", c.facet);
        field(w, "id", c.id);
        field(w, "label", c.label);
        w.EndObject();
    }
    w.EndArray();
    if (!r.sections.empty()) { // the headings of a Markdown text: a table of contents
        w.Key("sections");
        w.StartArray();
        for (const Section& s : r.sections) {
            w.StartObject();
            uint_field(w, "begin", s.begin);
            uint_field(w, "level", s.level);
            field(w, "heading", s.heading);
            w.EndObject();
        }
        w.EndArray();
    }
    w.Key("duplicates_of");
    w.StartArray();
    for (const std::string& d : duplicates_of)
        w.String(d.c_str());
    w.EndArray();
    w.Key("passages");
    w.StartArray();
    for (const PassageInfo& p : passages) {
        w.StartObject();
        uint_field(w, "n", p.n);
        if (p.page) {
            uint_field(w, "page", p.page);
        }
        uint_field(w, "begin", p.begin);
        uint_field(w, "length", p.length);
        if (!p.heading.empty())
            field(w, "heading", p.heading);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

} // namespace kb::http
