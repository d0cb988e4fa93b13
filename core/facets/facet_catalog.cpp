#include "core/facets/facet_catalog.h"

#include "core/builtin_data.h"
#include "core/tsv.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>

namespace kb {

namespace {

std::string to_utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

} // namespace

const FacetCatalog& FacetCatalog::builtin() {
    static const FacetCatalog catalog;
    return catalog;
}

void FacetCatalog::add_alias(Facet facet, const std::string& alias, const std::string& id,
                             bool english) {
    const std::string key = analyzer_.fold_phrase(alias);
    if (key.empty())
        return;
    aliases_[facet].emplace(key, id); // first writer wins
    alias_texts_[facet].emplace(key, alias);
    auto& labels = concept_labels_[{facet, id}];
    if (std::find(labels.begin(), labels.end(), key) == labels.end())
        labels.push_back(key);
    if (english)
        english_.insert(key);
    else
        french_.insert(key);
    // Concepts a query can name: themes by their stems (plural, English spelling variants),
    // countries and actors by their exact words. Two-letter ISO codes are not concepts.
    if (facet == Facet::Theme)
        theme_concepts_.add(alias, id, analyzer_);
    else if (key.size() > 2)
        named_concepts_.add(alias, std::string(facet_name(facet)) + ":" + id, analyzer_);
}

void FacetCatalog::add_aliases(Facet facet, PhraseMatcher& matcher, const std::string& id,
                               const std::vector<std::string>& aliases) {
    for (const std::string& alias : aliases) {
        add_alias(facet, alias, id);
        matcher.add(alias, id, analyzer_);
    }
}

void FacetCatalog::add_named(Facet facet, PhraseMatcher& matcher, const std::string& id,
                             const std::string& label, const std::vector<std::string>& aliases) {
    add_alias(facet, id, id);
    add_alias(facet, label, id);
    labels_[facet].insert(analyzer_.fold_phrase(label));
    matcher.add(label, id, analyzer_);
    add_aliases(facet, matcher, id, aliases);
}

FacetCatalog::FacetCatalog() {
    // Countries: ICU's names in French (matched in text) and English (accepted as filters).
    auto& countries = entries_[Facet::Country];
    for (const char* const* code = icu::Locale::getISOCountries(); *code; ++code) {
        const icu::Locale locale("", *code);
        icu::UnicodeString fr, en;
        locale.getDisplayCountry(icu::Locale::getFrench(), fr);
        locale.getDisplayCountry(icu::Locale::getEnglish(), en);
        const std::string id = *code;
        if (fr.isEmpty() || to_utf8(fr) == id)
            continue;
        countries[id] = {id, to_utf8(fr), to_utf8(en), "", ""};
        add_named(Facet::Country, countries_, id, to_utf8(fr), {});
        add_alias(Facet::Country, to_utf8(en), id, true);
    }
    for (const auto& row : parse_tsv(builtin_data::kCountryAliases, 2))
        if (countries.count(row[0]))
            add_aliases(Facet::Country, countries_, row[0], split_list(row[1]));

    // Regions (two-level facet region > country).
    for (const auto& row : parse_tsv(builtin_data::kRegions, 5)) {
        const std::string& id = row[0];
        entries_[Facet::Region][id] = {id, row[1], "", "", ""};
        add_named(Facet::Region, regions_, id, row[1], split_list(row[2]));
        const bool primary = row[4] == "yes";
        for (const std::string& country : split_list(row[3], ' ')) {
            auto& list = country_regions_[country];
            if (primary) {
                list.insert(list.begin(), id);
                if (countries.count(country))
                    countries[country].parent = id;
            } else {
                list.push_back(id);
            }
        }
    }

    // Actors (gazetteer).
    for (const auto& row : parse_tsv(builtin_data::kActors, 5)) {
        const std::string& id = row[0];
        entries_[Facet::Actor][id] = {id, row[1], "", "", row[3]};
        add_named(Facet::Actor, actors_, id, row[1], split_list(row[2]));
    }

    // Themes (SKOS-like thesaurus).
    for (const auto& row : parse_tsv(builtin_data::kThemes, 8)) {
        const std::string& id = row[0];
        const auto en = split_list(row[4]);
        entries_[Facet::Theme][id] = {id, row[1], en.empty() ? "" : en.front(), row[3], ""};
        add_alias(Facet::Theme, id, id);
        add_alias(Facet::Theme, row[1], id);
        labels_[Facet::Theme].insert(analyzer_.fold_phrase(row[1]));
        themes_.add(row[1], id, analyzer_);
        for (const std::string& alias : split_list(row[2])) {
            add_alias(Facet::Theme, alias, id);
            themes_.add(alias, id, analyzer_);
        }
        for (const std::string& label : en)
            add_alias(Facet::Theme, label, id, true);
        // Scoped and hidden labels are matched in documents only, never query concepts: they
        // signal the theme without naming it (the file's header).
        for (const std::string& label : split_list(row[5]))
            scoped_themes_.add(label, id, analyzer_);
        for (const std::string& label : split_list(row[6]))
            themes_.add(label, id, analyzer_);
        for (const std::string& label : split_list(row[7]))
            within_themes_.add(label, id, analyzer_);
    }
    for (const auto& row : parse_tsv(builtin_data::kThemeStopPhrases, 1))
        theme_stops_.add(row[0], "-", analyzer_);
}

const FacetEntry* FacetCatalog::find(Facet facet, const std::string& id) const {
    auto f = entries_.find(facet);
    if (f == entries_.end())
        return nullptr;
    auto it = f->second.find(id);
    return it == f->second.end() ? nullptr : &it->second;
}

std::optional<std::string> FacetCatalog::resolve(Facet facet, std::string_view value) const {
    if (auto* e = find(facet, std::string(value)))
        return e->id;
    auto f = aliases_.find(facet);
    if (f == aliases_.end())
        return std::nullopt;
    // The catalog's analyzer is only read here through const tokenisation of a short value;
    // a thread-local analyzer keeps this safe to call from every worker thread.
    thread_local Analyzer analyzer;
    auto it = f->second.find(analyzer.fold_phrase(value));
    if (it == f->second.end())
        return std::nullopt;
    return it->second;
}

const std::map<std::string, FacetEntry>& FacetCatalog::entries(Facet facet) const {
    static const std::map<std::string, FacetEntry> none;
    auto f = entries_.find(facet);
    return f == entries_.end() ? none : f->second;
}

const std::map<std::string, std::string>& FacetCatalog::aliases(Facet facet) const {
    static const std::map<std::string, std::string> none;
    auto f = aliases_.find(facet);
    return f == aliases_.end() ? none : f->second;
}

const std::string& FacetCatalog::alias_text(Facet facet, const std::string& analysed) const {
    auto f = alias_texts_.find(facet);
    if (f == alias_texts_.end())
        return analysed;
    auto a = f->second.find(analysed);
    return a == f->second.end() ? analysed : a->second;
}

bool FacetCatalog::is_label(Facet facet, const std::string& analysed) const {
    auto f = labels_.find(facet);
    return f != labels_.end() && f->second.count(analysed);
}

const std::vector<std::string>& FacetCatalog::concept_labels(Facet facet,
                                                             const std::string& id) const {
    static const std::vector<std::string> none;
    auto it = concept_labels_.find({facet, id});
    return it == concept_labels_.end() ? none : it->second;
}

bool FacetCatalog::is_english_only(const std::string& analysed) const {
    return english_.count(analysed) && !french_.count(analysed);
}

std::vector<std::string> FacetCatalog::regions_of(const std::string& country) const {
    auto it = country_regions_.find(country);
    return it == country_regions_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> FacetCatalog::broader_of(const std::string& theme) const {
    std::vector<std::string> chain;
    const FacetEntry* e = find(Facet::Theme, theme);
    while (e && !e->parent.empty() && chain.size() < 10) {
        chain.push_back(e->parent);
        e = find(Facet::Theme, e->parent);
    }
    return chain;
}

} // namespace kb
