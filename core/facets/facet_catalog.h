#pragma once

#include "core/analysis/analyzer.h"
#include "core/facets/phrase_matcher.h"
#include "core/schema/facet.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kb {

/// What the catalog knows of one facet value.
struct FacetEntry {
    std::string id;
    std::string label;    ///< French label shown to users
    std::string label_en; ///< English label (countries from ICU, themes from the thesaurus)
    std::string parent;   ///< broader theme, or primary region of a country
    std::string kind;     ///< actor kind
};

/// Every known facet value, built once per process from the versioned data files in
/// core/data/ (themes.tsv, theme_stop_phrases.tsv, actors.tsv, regions.tsv, country_aliases.tsv)
/// and from ICU's country names (French and English). Read-only after construction: safe to share.
class FacetCatalog {
public:
    static const FacetCatalog& builtin();

    /// The entry for an id, or nullptr.
    const FacetEntry* find(Facet facet, const std::string& id) const;
    /// The id a user means by `value`: an id, a label or an alias, compared after analysis
    /// ("SN", "Sénégal", "senegal"); nothing when unknown.
    std::optional<std::string> resolve(Facet facet, std::string_view value) const;
    /// Entries of one facet (themes, actors, countries, regions), by id.
    const std::map<std::string, FacetEntry>& entries(Facet facet) const;
    /// Every analysed label and alias of a facet with the id it names.
    const std::map<std::string, std::string>& aliases(Facet facet) const;
    /// An analysed alias as the data files or ICU write it ("coopération culturelle").
    const std::string& alias_text(Facet facet, const std::string& analysed) const;
    /// Every analysed label and alias of one concept (a theme, country, actor or region), in
    /// French and English: what a query naming the concept is widened to.
    const std::vector<std::string>& concept_labels(Facet facet, const std::string& id) const;
    /// True when the analysed label is only an English one ("decentralised cooperation").
    bool is_english_only(const std::string& analysed) const;
    /// Finds concept names in a query: themes by stems, countries/actors/regions by words
    /// ("facet:id" ids for the latter).
    const PhraseMatcher& theme_concepts() const { return theme_concepts_; }
    const PhraseMatcher& named_concepts() const { return named_concepts_; }
    /// True when `analysed` is the analysed form of an entry's own label (not an alias).
    bool is_label(Facet facet, const std::string& analysed) const;
    /// Regions a country belongs to (primary first).
    std::vector<std::string> regions_of(const std::string& country) const;
    /// A theme's broader themes, nearest first.
    std::vector<std::string> broader_of(const std::string& theme) const;

    const PhraseMatcher& actor_matcher() const { return actors_; }
    const PhraseMatcher& country_matcher() const { return countries_; }
    const PhraseMatcher& region_matcher() const { return regions_; }
    const PhraseMatcher& theme_matcher() const { return themes_; }
    /// Theme labels that count only in an international context (themes.tsv scoped_labels).
    const PhraseMatcher& scoped_theme_matcher() const { return scoped_themes_; }
    /// Theme labels that count only when the theme's broader theme is found too (themes.tsv
    /// within_labels: the 1 % mechanism's wording names 1 % eau, énergie or déchets by the
    /// domain the article is about).
    const PhraseMatcher& within_theme_matcher() const { return within_themes_; }
    /// Phrases whose words are never a theme (theme_stop_phrases.tsv).
    const PhraseMatcher& theme_stop_matcher() const { return theme_stops_; }

private:
    FacetCatalog();
    void add_alias(Facet facet, const std::string& alias, const std::string& id,
                   bool english = false);
    /// Each alias names the entry `id` and is matched in text.
    void add_aliases(Facet facet, PhraseMatcher& matcher, const std::string& id,
                     const std::vector<std::string>& aliases);
    /// An entry of a gazetteer facet: its id, its label (also matched in text) and aliases.
    void add_named(Facet facet, PhraseMatcher& matcher, const std::string& id,
                   const std::string& label, const std::vector<std::string>& aliases);

    Analyzer analyzer_;
    std::map<Facet, std::map<std::string, FacetEntry>> entries_;
    std::map<Facet, std::map<std::string, std::string>> aliases_;     ///< analysed alias → id
    std::map<Facet, std::map<std::string, std::string>> alias_texts_; ///< analysed → written
    std::map<std::string, std::vector<std::string>> country_regions_;
    std::map<Facet, std::set<std::string>> labels_; ///< analysed labels
    std::map<std::pair<Facet, std::string>, std::vector<std::string>> concept_labels_;
    std::set<std::string> english_, french_;
    PhraseMatcher theme_concepts_{PhraseMatcher::Mode::Stemmed};
    PhraseMatcher named_concepts_{PhraseMatcher::Mode::Exact};
    PhraseMatcher actors_{PhraseMatcher::Mode::Exact};
    PhraseMatcher countries_{PhraseMatcher::Mode::Exact};
    PhraseMatcher regions_{PhraseMatcher::Mode::Exact};
    PhraseMatcher themes_{PhraseMatcher::Mode::Stemmed};
    PhraseMatcher scoped_themes_{PhraseMatcher::Mode::Stemmed};
    PhraseMatcher within_themes_{PhraseMatcher::Mode::Stemmed};
    PhraseMatcher theme_stops_{PhraseMatcher::Mode::Stemmed};
};

} // namespace kb
