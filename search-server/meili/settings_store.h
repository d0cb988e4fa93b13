#pragma once

// The index settings a client may change at run time, in Meilisearch's terms: synonyms, stop
// words, faceting (maxValuesPerFacet, sortFacetValuesBy) and pagination (maxTotalHits). They
// are kept in a JSON file beside the index (settings.json; written atomically, a temporary
// file renamed over it, before a change is acknowledged), read back at start, and applied to
// every search from the next request on: the synonyms and stop words to the query (a
// QueryVocabulary), the faceting and pagination to the Meilisearch answers.
//
// A setting's value is read and checked here, for a request body and the file alike: a wrong
// one is kb::Error(InvalidRequest, "invalid_settings_<name>") naming what is wrong.

#include "core/analysis/vocabulary.h"
#include "search-server/json/json_writer.h"

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kb::http::meili {

/// How a facet's values are ordered: by count (most first, then by label) or by label alone
/// (ICU's French collation).
enum class FacetOrder { Count, Alpha };

/// Most values per facet maxValuesPerFacet may ask.
constexpr unsigned kMaxValuesPerFacetLimit = 1000;
/// Most synonym keys, values of one key, and stop words the settings may hold.
constexpr std::size_t kMaxSynonymKeys = 10000, kMaxSynonymValues = 100, kMaxStopWords = 10000;
/// Longest synonym key, value or stop word, in bytes.
constexpr std::size_t kMaxSettingWordBytes = 200;

/// The settings as stored: what was set (an unset one is the engine's default).
struct StoredSettings {
    std::map<std::string, std::vector<std::string>> synonyms; ///< as sent
    std::vector<std::string> stop_words;                      ///< as sent, repeats dropped
    std::optional<unsigned> max_values_per_facet;
    std::map<std::string, FacetOrder> sort_facet_values_by; ///< "*" or a facet attribute
    std::optional<unsigned> max_total_hits;

    bool operator==(const StoredSettings&) const = default;
};

/// What a search reads: the stored settings and the vocabulary built from them.
struct IndexSettings {
    StoredSettings stored;
    /// The stored synonyms and stop words for the query; null when there are none.
    std::shared_ptr<const QueryVocabulary> vocabulary;

    /// maxValuesPerFacet (kMaxFacetValues unless set).
    unsigned max_values_per_facet() const;
    /// maxTotalHits (kMaxResultDepth unless set).
    unsigned max_total_hits() const;
    /// How the attribute's values are ordered: its own setting, else "*"'s, else by count.
    FacetOrder order_of(const std::string& attribute) const;
};

/// A checked change of one setting, applied to the stored settings.
using SettingsChange = std::function<void(StoredSettings&)>;

/// True for the settings a change may set ("synonyms", "stopWords", "faceting", "pagination").
bool writable_setting(const std::string& name);

/// The setting `name`'s value read and checked (null `value`: its reset). Throws
/// invalid_settings_<name> for a wrong value, invalid_argument for a name not writable.
SettingsChange read_setting(const std::string& name, const rapidjson::Value* value);

/// "count" or "alpha".
const char* facet_order_name(FacetOrder order);

/// The stored settings, shared by the worker threads: a search takes the current snapshot,
/// a change replaces it. Thread-safe.
class SettingsStore {
public:
    /// `path`: the JSON file ("" keeps the settings in memory only). Throws kb::Error naming
    /// the file when it exists and cannot be read or holds a wrong setting.
    explicit SettingsStore(std::string path);

    /// The settings now.
    std::shared_ptr<const IndexSettings> current() const;
    /// Applies the changes, in order, to the current settings, writes the result to the file,
    /// then makes it current; one change at a time, so none is lost. A failed write
    /// (kb::Error Unavailable) changes nothing.
    void update(const std::vector<SettingsChange>& changes);
    const std::string& path() const { return path_; }

private:
    void save(const StoredSettings& stored) const;

    std::string path_;
    std::mutex write_mutex_;        ///< one change at a time
    mutable std::mutex read_mutex_; ///< guards current_
    std::shared_ptr<const IndexSettings> current_;
};

/// The stored settings as the file holds them: {"synonyms", "stopWords", "faceting",
/// "pagination"}, the ones set only.
void write_stored(JsonWriter& w, const StoredSettings& stored);

} // namespace kb::http::meili
