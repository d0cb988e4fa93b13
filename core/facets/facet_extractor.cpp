#include "core/facets/facet_extractor.h"

#include "core/facets/country_context.h"
#include "core/schema/schema.h"
#include "core/tsv.h"

#include <cctype>
#include <map>
#include <string_view>

namespace kb {
namespace {

// Metadata keys that set a facet explicitly (the facet table's metadata_keys).
const std::map<std::string, Facet, std::less<>>& metadata_keys() {
    static const std::map<std::string, Facet, std::less<>> keys = [] {
        std::map<std::string, Facet, std::less<>> m;
        for (const schema::FacetSpec& spec : schema::kFacetTable)
            for (std::string_view key : spec.metadata_keys)
                if (!key.empty())
                    m.emplace(key, spec.facet);
        return m;
    }();
    return keys;
}

std::set<std::string>& slot_for(FacetValues& v, Facet f) {
    switch (f) {
    case Facet::Theme:
        return v.themes;
    case Facet::Actor:
        return v.actors;
    case Facet::Country:
        return v.countries;
    default:
        return v.regions;
    }
}

// French overseas departments and collectivities have ISO codes of their own, but for local
// authorities they are France: their councils are French collectivités territoriales.
const std::set<std::string>& french_overseas() {
    static const std::set<std::string> codes = {"GP", "MQ", "GF", "RE", "YT", "PM",
                                                "BL", "MF", "WF", "PF", "NC", "TF"};
    return codes;
}

// The stems of « étranger(s), étrangère(s) » and « international(e)(s) »: what makes a scoped
// theme label (themes.tsv) international when no foreign country is named.
bool is_international_stem(const std::string& stem) {
    static const std::string foreign = Analyzer().stem("etranger");
    static const std::string international = Analyzer().stem("internationale");
    return stem == foreign || stem == international;
}

// A reference to article L1115-1 (not L1115-1-1), the legal basis of the local authorities'
// external action: the article citing it acts in that frame (« dans le cadre de l'article
// L. 1115-1 », « les conventions prévues à l'article L. 1115-1 »).
// A hand scan, not std::regex: the extractor runs on the index writer's threads, and
// libstdc++'s regex fills the shared ctype<char> narrow cache unlocked (a data race TSan reports).
bool cites_external_action_basis(const std::string& text) {
    static constexpr std::string_view number = "1115-1";
    const auto word = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    };
    const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    for (std::size_t at = text.find('L'); at != std::string::npos; at = text.find('L', at + 1)) {
        if (at > 0 && word(text[at - 1]))
            continue;
        std::size_t next = at + 1;
        if (next < text.size() && text[next] == '.')
            ++next;
        if (next < text.size() && space(text[next]))
            ++next;
        if (text.compare(next, number.size(), number) != 0)
            continue;
        next += number.size();
        if (next == text.size() ||
            (text[next] != '-' && !std::isdigit(static_cast<unsigned char>(text[next]))))
            return true;
    }
    return false;
}

} // namespace

FacetValues extract_facets(const Record& record, const Analyzer& analyzer,
                           const FacetCatalog& catalog, const ThemeScoring& scoring,
                           AnalysedText analysed) {
    FacetValues values;
    std::set<Facet> given;
    for (const auto& [key, value] : record.metadata) {
        auto it = metadata_keys().find(key);
        if (it == metadata_keys().end())
            continue;
        given.insert(it->second);
        for (const std::string& item : split_list(value, ';'))
            for (const std::string& part : split_list(item, ','))
                if (auto id = catalog.resolve(it->second, part))
                    slot_for(values, it->second).insert(*id);
    }

    std::map<std::string, int> theme_scores, scoped_scores, within_scores;
    bool international = false; // a foreign country, something « étranger » or international
    std::size_t body_words = 0;
    auto scan = [&](const std::string& text, const std::vector<Token>* tokens, int weight) {
        PhraseMatcher::Words words = tokens ? PhraseMatcher::words_of(text, *tokens, analyzer)
                                            : PhraseMatcher::words_of(text, analyzer);
        if (weight == 1)
            body_words = words.folded.size();
        auto actors = catalog.actor_matcher().find(words);
        // Words inside an organisation's name do not make a theme ("Chaire Attractivité et
        // Nouveau Marketing Territorial" is not about marketing; the CNCD's name is not
        // about decentralised cooperation), and place names are not themes either.
        const std::vector<bool> in_actor = words.consumed;
        if (!given.count(Facet::Actor))
            for (const auto& m : actors)
                values.actors.insert(m.id);
        const CountryContext& context = CountryContext::builtin();
        context.consume_places(words);
        auto countries = catalog.country_matcher().find(words);
        if (!given.count(Facet::Country))
            for (const auto& m : countries)
                if (context.names_country(words, m))
                    values.countries.insert(french_overseas().count(m.id) ? "FR" : m.id);
        auto regions = catalog.region_matcher().find(words);
        if (!given.count(Facet::Region))
            for (const auto& m : regions)
                values.regions.insert(m.id);
        for (std::size_t i = 0; i < words.stems.size(); ++i)
            if (!words.consumed[i] && is_international_stem(words.stems[i]))
                international = true;
        words.consumed = in_actor;
        catalog.theme_stop_matcher().find(words);
        for (const auto& m : catalog.theme_matcher().find(words))
            theme_scores[m.id] += weight;
        for (const auto& m : catalog.scoped_theme_matcher().find(words))
            scoped_scores[m.id] += weight;
        for (const auto& m : catalog.within_theme_matcher().find(words))
            within_scores[m.id] += weight;
    };
    scan(record.title, analysed.title, scoring.title_weight);
    scan(record.text, analysed.body, 1);

    international = international || cites_external_action_basis(record.text);
    // A short text (a legal article, a paragraph) is about what it names once; a long one
    // must come back to a theme.
    for (const std::string& country : values.countries)
        international = international || country != "FR";
    if (international)
        for (const auto& [theme, score] : scoped_scores)
            theme_scores[theme] += score;
    const int min_score =
        body_words <= scoring.short_text_words ? scoring.short_min_score : scoring.min_score;
    if (!given.count(Facet::Theme)) {
        for (const auto& [theme, score] : theme_scores)
            if (score >= min_score)
                values.themes.insert(theme);
        const std::set<std::string> found = values.themes;
        for (const auto& [theme, score] : within_scores)
            if (const FacetEntry* e = catalog.find(Facet::Theme, theme);
                e && found.count(e->parent))
                values.themes.insert(theme);
    }
    for (const std::string& theme : std::set<std::string>(values.themes))
        for (const std::string& broader : catalog.broader_of(theme))
            values.themes.insert(broader);
    if (!given.count(Facet::Region))
        for (const std::string& country : values.countries) {
            auto regions = catalog.regions_of(country);
            if (!regions.empty())
                values.regions.insert(regions.front());
        }
    return values;
}

} // namespace kb
