#include "search-server/meili/hit_attributes.h"

#include "core/analysis/analyzer.h"
#include "core/facets/facet_catalog.h"
#include "core/search/snippet.h"
#include "search-server/meili/facet_attributes.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

namespace kb::http::meili {
namespace {

using Writer = JsonWriter;

std::string unescape_html(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            static const std::pair<const char*, char> entities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
            bool done = false;
            for (const auto& [e, c] : entities) {
                const std::size_t n = std::char_traits<char>::length(e);
                if (s.compare(i, n, e) == 0) {
                    out += c;
                    i += n - 1;
                    done = true;
                    break;
                }
            }
            if (done)
                continue;
        }
        out += s[i];
    }
    return out;
}

// The engine's marked text (HTML-escaped, private markers) as Meilisearch gives it: raw text
// with the client's tags, or (plain) without any.
std::string with_tags(const std::string& marked, const std::string& pre, const std::string& post) {
    const std::string raw = unescape_html(marked);
    std::string out;
    out.reserve(raw.size() + 32);
    for (char c : raw) {
        if (c == kPre[0])
            out += pre;
        else if (c == kPost[0])
            out += post;
        else
            out += c;
    }
    return out;
}

void strings(Writer& w, const std::vector<std::string>& list) {
    w.StartArray();
    for (const std::string& s : list)
        w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    w.EndArray();
}

// The hit's values of a facet attribute, as facetDistribution shows them.
std::vector<std::string> values_of(const Hit& h, const FacetAttribute& attribute) {
    std::vector<std::string> out;
    auto it = h.facets.find(attribute.facet);
    if (it == h.facets.end())
        return out;
    for (const std::string& id : it->second) {
        FacetCount c;
        c.id = id;
        c.label = id; // a type or a year: the value as counted
        if (const FacetEntry* e = FacetCatalog::builtin().find(attribute.facet, id))
            c.parent = e->parent;
        if (auto v = attribute_value(attribute, c, shown_label(attribute.facet, id, id));
            v && std::find(out.begin(), out.end(), *v) == out.end())
            out.push_back(std::move(*v));
    }
    return out;
}

// The facet attributes of a hit: lists of labels, the year as a number, place's two levels.
void write_facets(Writer& w, const MeiliQuery& m, const Hit& h) {
    auto wanted = [&](const char* name) { return m.retrieve_all || m.retrieve.count(name); };
    for (const FacetAttribute& a : facet_attributes()) {
        if (a.level != FacetAttribute::Level::None || a.facet == Facet::Type)
            continue; // place below; the type is the record's own field
        const std::string name = a.name();
        if (!wanted(name.c_str()))
            continue;
        const std::vector<std::string> values = values_of(h, a);
        w.Key(name.c_str());
        if (a.facet == Facet::Year) {
            if (values.empty())
                w.Null();
            else
                w.Int(std::stoi(values.front()));
        } else {
            strings(w, values);
        }
    }
    if (wanted("place")) {
        w.Key("place");
        w.StartObject();
        w.Key("lvl0");
        strings(w, values_of(h, {Facet::Region, FacetAttribute::Level::Lvl0}));
        w.Key("lvl1");
        strings(w, values_of(h, {Facet::Country, FacetAttribute::Level::Lvl1}));
        w.EndObject();
    }
}

// A text attribute of `_formatted`: cropped when asked (attributesToCrop), marked with the
// client's tags when asked (attributesToHighlight).
class Formatter {
public:
    Formatter(const MeiliQuery& m, const HighlightTerms& terms) : m_(m), terms_(terms) {}

    bool highlights(const std::string& name) const {
        return m_.highlight_all || m_.highlight.count(name);
    }
    std::optional<unsigned> crop_of(const std::string& name) const {
        if (auto it = m_.crop.find(name); it != m_.crop.end())
            return it->second;
        if (auto it = m_.crop.find("*"); it != m_.crop.end())
            return it->second;
        return std::nullopt;
    }
    /// `raw` (plain text) cropped to its words around the matches, marked when asked.
    std::string cropped(const std::string& name, const std::string& raw, unsigned words) const {
        thread_local Analyzer analyzer;
        const bool mark = highlights(name);
        return crop_text(raw, terms_, analyzer, words, m_.crop_marker, mark ? m_.pre : "",
                         mark ? m_.post : "");
    }

private:
    const MeiliQuery& m_;
    const HighlightTerms& terms_;
};

// One hit's attributes; `formatted`: with the client's highlight tags and crops where asked.
void write_attributes(Writer& w, const MeiliQuery& m, const Hit& h, const std::string* text,
                      const std::string& title_marked, const Formatter* formatted) {
    auto wanted = [&](const char* name) { return m.retrieve_all || m.retrieve.count(name); };
    if (wanted("id"))
        field(w, "id", h.id);
    if (wanted("title")) {
        std::string title = h.title;
        if (formatted) {
            if (auto words = formatted->crop_of("title"))
                title = formatted->cropped("title", h.title, *words);
            else if (!title_marked.empty())
                title = title_marked;
        }
        field(w, "title", title);
    }
    if (wanted("date"))
        field(w, "date", h.date);
    if (wanted("type"))
        field(w, "type", h.type);
    if (wanted("publisher"))
        field(w, "publisher", h.publisher);
    if (wanted("url"))
        field(w, "url", h.url);
    if (wanted("snippet")) {
        const bool mark =
            formatted && (formatted->highlights("snippet") || formatted->highlights("text"));
        std::string snippet = with_tags(h.snippet, mark ? m.pre : "", mark ? m.post : "");
        if (formatted)
            if (auto words = formatted->crop_of("snippet"))
                snippet = formatted->cropped("snippet", with_tags(h.snippet, "", ""), *words);
        field(w, "snippet", snippet);
    }
    // The whole text when retrieved; `_formatted` also has it when cropped (a hit's excerpt of
    // any length, without the whole text).
    const std::optional<unsigned> text_crop =
        formatted && m.crop.count("text") ? std::optional(m.crop.at("text")) : std::nullopt;
    if (text && (m.retrieve.count("text") || text_crop))
        field(w, "text", text_crop ? formatted->cropped("text", *text, *text_crop) : *text);
    write_facets(w, m, h);
}

} // namespace

bool needs_text(const MeiliQuery& m) { return m.retrieve.count("text") || m.crop.count("text"); }

void write_hit(JsonWriter& w, const MeiliQuery& m, const Hit& h, const HighlightTerms& terms,
               const std::string* text) {
    // The title is highlighted with the terms the searcher's snippets mark (those of the query,
    // or of its applied correction).
    thread_local Analyzer analyzer;
    std::string title_marked;
    const Formatter formatter(m, terms);
    if (m.formatted && formatter.highlights("title") && !terms.empty() && !h.title.empty()) {
        const std::string marked =
            make_snippet(h.title, terms, analyzer, h.title.size() + 64, kPre, kPost);
        // Only when the highlighter kept the title whole (it normalises white space).
        if (with_tags(marked, "", "") == h.title)
            title_marked = with_tags(marked, m.pre, m.post);
    }
    w.StartObject();
    write_attributes(w, m, h, text, title_marked, nullptr);
    if (m.formatted) {
        w.Key("_formatted");
        w.StartObject();
        write_attributes(w, m, h, text, title_marked, &formatter);
        w.EndObject();
    }
    if (m.show_ranking_score) {
        w.Key("_rankingScore");
        w.Double(h.relevance);
    }
    w.EndObject();
}

} // namespace kb::http::meili
