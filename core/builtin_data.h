#pragma once

// Data files compiled into the binaries (generated from builtin_data.cpp.in by CMake), so the
// indexer and the server always analyse with the same lists and never look for them at run time.

namespace kb::builtin_data {

/// stopwords-fr/snowball-french.txt
extern const char* const kStopwordsFr;
/// core/data/acronyms.tsv
extern const char* const kAcronyms;
/// core/data/themes.tsv (thesaurus), actors.tsv (gazetteer), regions.tsv, country_aliases.tsv
extern const char* const kThemes;
extern const char* const kActors;
extern const char* const kRegions;
extern const char* const kCountryAliases;
/// core/data/synonyms_fr.tsv (general French synonyms from mythes-fr, LGPL-2.1+)
extern const char* const kSynonymsFr;
/// core/data/glossary_en_fr.tsv (the field's English phrases → French, ours)
extern const char* const kGlossaryEnFr;
/// core/data/place_names.tsv (when a country's name is not the country,
/// core/facets/country_context)
extern const char* const kPlaceNames;
/// core/data/theme_stop_phrases.tsv (names and legal terms whose words are not themes)
extern const char* const kThemeStopPhrases;
/// Generated at build time by kb-freedict-table (core/data/freedict_table.cpp) from the
/// Debian FreeDict dictionaries (GPL-2+, core/data/FREEDICT.md): english<TAB>french|french…
extern const char* const kFreedictEnFr;
/// The French headwords of FreeDict fra-eng, one a line (what tells a French word apart).
extern const char* const kFreedictFrWords;

} // namespace kb::builtin_data
