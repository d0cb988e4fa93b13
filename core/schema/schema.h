#pragma once

// THE table of index fields: term prefixes and value slots. Nothing else in the project spells a
// prefix or a slot number, so the indexer and every query agree by construction.

#include "core/schema/facet.h"

#include <xapian.h>

#include <array>
#include <iterator>
#include <string_view>

namespace kb::schema {

// Term prefixes (Xapian convention: upper-case letters; our values are lower-case so no ':').
/// Unique id term: "Q" + record id. replace_document() on it makes re-indexing idempotent.
constexpr std::string_view kIdPrefix = "Q";
/// Positional, unstemmed, accent-folded word terms have no prefix (phrases, prefix search).
constexpr std::string_view kWordPrefix = "";
/// Stemmed ranking terms (stopwords excluded).
constexpr std::string_view kStemPrefix = "Z";
/// Accented exact forms, so an accented query ranks accented matches at least as high.
constexpr std::string_view kAccentedPrefix = "E";
/// Title words (positional) and title stems, for titre: queries.
constexpr std::string_view kTitlePrefix = "S";
constexpr std::string_view kTitleStemPrefix = "ZS";
/// Boolean filter terms (':' keeps a value from ever reading as part of the prefix).
constexpr std::string_view kTypePrefix = "XTYPE:";
constexpr std::string_view kYearPrefix = "XYEAR:";
constexpr std::string_view kThemePrefix = "XTH:";
constexpr std::string_view kActorPrefix = "XA:";
constexpr std::string_view kCountryPrefix = "XC:";
constexpr std::string_view kRegionPrefix = "XR:";
constexpr std::string_view kLanguagePrefix = "XLANG";
constexpr std::string_view kSourcePrefix = "XSRC";
/// Locality-sensitive hashing bands of a record's MinHash (near-duplicate candidates).
constexpr std::string_view kMinHashBandPrefix = "XMH:";
/// Records in one near-duplicate cluster share kClusterPrefix + the cluster's first record id.
constexpr std::string_view kClusterPrefix = "XCLUSTER:";
/// The absolute path of the file a record was read from (for pruning vanished sources).
constexpr std::string_view kOriginPrefix = "XORIGIN:";
/// Every passage of a record carries kParentPrefix + the record id.
constexpr std::string_view kParentPrefix = "XPARENT:";
/// Record documents and passage documents are told apart by one of these terms.
constexpr std::string_view kRecordKindTerm = "XKIND:record";
constexpr std::string_view kPassageKindTerm = "XKIND:passage";

// Value slots.
/// ISO 8601 date string ("2017-10-03", "2017-10" or "2017"): sorts lexicographically by date.
constexpr Xapian::valueno kDateSlot = 0;
/// Year as Xapian::sortable_serialise(double), for range filters.
constexpr Xapian::valueno kYearSlot = 1;
/// Content hash of the source record, so unchanged sources can be skipped.
constexpr Xapian::valueno kContentHashSlot = 2;

/// Facet values for counting (match spies): ids joined by kListSeparator.
constexpr Xapian::valueno kThemesSlot = 3;
constexpr Xapian::valueno kActorsSlot = 4;
constexpr Xapian::valueno kCountriesSlot = 5;
constexpr Xapian::valueno kRegionsSlot = 6;
/// The document type as written ("texte de référence"); its id is the analysed form.
constexpr Xapian::valueno kTypeSlot = 7;
/// The year as text ("2017"), for counting.
constexpr Xapian::valueno kYearTextSlot = 8;
constexpr char kListSeparator = '\x1f';
/// The record id, on the record and on each of its passages: the collapse key of results.
constexpr Xapian::valueno kParentSlot = 9;
/// The record's near-duplicate cluster id (its own id when it has no duplicate): the default
/// collapse key, so the same study published on two sites shows once.
constexpr Xapian::valueno kClusterSlot = 10;
/// The record's MinHash signature (near_duplicates.h).
constexpr Xapian::valueno kMinHashSlot = 11;
/// What facet counting reads, in one value: cluster, parent id, then the values of the facet
/// slots (kFacetSlots order), separated by kFacetKeySeparator. Xapian's ValueCountMatchSpy
/// counts it (it runs inside xapian-tcpsrv too, where a custom spy cannot), and the counter
/// splits it: each record or cluster once, each of its facet values once.
constexpr Xapian::valueno kFacetKeySlot = 12;
constexpr char kFacetKeySeparator = '\x1e';
/// Browsing order on a record document: the date, then the record id with its bytes inverted,
/// so one descending sort on this slot gives newest first, then ids in ascending order. Remote
/// shards can sort on a value slot, not with a KeyMaker (Xapian 1.4's remote backend refuses
/// them); a stable order must not depend on document ids, which shards interleave.
constexpr Xapian::valueno kBrowseSortSlot = 13;

/// The facet slots, in the order they appear in kFacetKeySlot's value.
constexpr Xapian::valueno kFacetSlots[] = {kThemesSlot,  kActorsSlot, kCountriesSlot,
                                           kRegionsSlot, kTypeSlot,   kYearTextSlot};

/// What a facet's values are: catalog ids (core/data/*.tsv, ICU country names), the analysed
/// document type, or a year.
enum class FacetValuesFrom { Catalog, Type, Year };

/// One row per facet: everything the indexer, the queries, the API and the page need to know
/// about it. Adding a facet is one row here (and its catalog data and tests); everything that
/// lists facets iterates this table, and the page reads it through GET /facets.
struct FacetSpec {
    Facet facet;
    std::string_view name;     ///< the API's name (filters, facet counts, /facets)
    std::string_view label_fr; ///< the page's heading
    std::string_view prefix;   ///< boolean filter terms
    Xapian::valueno slot;      ///< the value slot it is counted from
    FacetValuesFrom values_from;
    /// Record metadata keys (front matter, JSONL) that set it explicitly; empty: none.
    std::array<std::string_view, 4> metadata_keys;
    /// Query fields (`pays:Sénégal`) that filter on it through the catalog; empty: none.
    std::array<std::string_view, 3> query_fields;
};

inline constexpr FacetSpec kFacetTable[] = {
    {Facet::Theme,
     "theme",
     "Thème",
     kThemePrefix,
     kThemesSlot,
     FacetValuesFrom::Catalog,
     {"theme", "themes", "thèmes"},
     {"theme", "themes"}},
    {Facet::Actor,
     "actor",
     "Acteur",
     kActorPrefix,
     kActorsSlot,
     FacetValuesFrom::Catalog,
     {"actor", "actors", "acteurs"},
     {"actor", "acteur"}},
    {Facet::Country,
     "country",
     "Pays",
     kCountryPrefix,
     kCountriesSlot,
     FacetValuesFrom::Catalog,
     {"country", "countries", "pays"},
     {"country", "pays"}},
    {Facet::Region,
     "region",
     "Région",
     kRegionPrefix,
     kRegionsSlot,
     FacetValuesFrom::Catalog,
     {"region", "regions", "régions"},
     {"region"}},
    {Facet::Type, "type", "Type", kTypePrefix, kTypeSlot, FacetValuesFrom::Type, {}, {}},
    {Facet::Year, "year", "Année", kYearPrefix, kYearTextSlot, FacetValuesFrom::Year, {}, {}},
};

/// The row of a facet.
constexpr const FacetSpec& facet_spec(Facet facet) {
    for (const FacetSpec& spec : kFacetTable)
        if (spec.facet == facet)
            return spec;
    return kFacetTable[0]; // unreachable: every Facet has a row (checked below)
}
static_assert(std::size(kFacetTable) == std::size(kAllFacets), "one row per Facet");

constexpr bool facet_slots_follow_the_table() {
    for (std::size_t i = 0; i < std::size(kFacetTable); ++i)
        if (kFacetSlots[i] != kFacetTable[i].slot)
            return false;
    return true;
}
static_assert(facet_slots_follow_the_table(), "kFacetKeySlot's order is the table's");

/// The boolean-term prefix of a facet.
constexpr std::string_view facet_prefix(Facet facet) { return facet_spec(facet).prefix; }

/// The value slot a facet is counted from.
constexpr Xapian::valueno facet_slot(Facet facet) { return facet_spec(facet).slot; }

/// Position gap between fields so phrases never span the title and the body.
constexpr Xapian::termpos kFieldPositionGap = 100;
/// wdf weight of a title occurrence relative to a body occurrence.
constexpr Xapian::termcount kTitleWeight = 5;

/// Database metadata key: time of the last indexing commit (ISO 8601, UTC).
constexpr std::string_view kLastCommitKey = "kb:last_commit";
/// Database metadata key: "aux" on the aux database of a sharded index (shards.h).
constexpr std::string_view kRoleKey = "kb:role";
constexpr std::string_view kAuxRole = "aux";

} // namespace kb::schema
