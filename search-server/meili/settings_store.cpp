#include "search-server/meili/settings_store.h"

#include "core/error.h"
#include "search-server/api/search_params.h"
#include "search-server/json/json_input.h"
#include "search-server/meili/body_access.h"
#include "search-server/meili/facet_attributes.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace kb::http::meili {
namespace {

using Value = rapidjson::Value;

// A JSON value as an error message quotes it (short).
std::string shown(const Value& v) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    v.Accept(w);
    std::string text = json_text(buffer);
    return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

const char* type_of(const Value& v) {
    if (v.IsString())
        return "a string";
    if (v.IsNumber())
        return "a number";
    if (v.IsBool())
        return "a boolean";
    if (v.IsArray())
        return "an array";
    if (v.IsObject())
        return "an object";
    return "null";
}

[[noreturn]] void wrong(const char* code, const std::string& at, const std::string& what,
                        const Value& v) {
    bad(code, "Invalid value at `" + at + "`: " + what + ", but found " + type_of(v) + ": `" +
                  shown(v) + "`");
}

// A word or phrase of a setting: a string of at most kMaxSettingWordBytes with a word in it;
// its folded form (`words` of them at most, 0: any number).
std::string words_of(const Value& v, const char* code, const std::string& at, std::size_t words) {
    if (!v.IsString())
        wrong(code, at, "expected a string", v);
    const std::string text = str(v);
    if (text.size() > kMaxSettingWordBytes)
        bad(code, "Invalid value at `" + at + "`: longer than " +
                      std::to_string(kMaxSettingWordBytes) + " bytes");
    thread_local Analyzer analyzer;
    std::string folded = analyzer.fold_phrase(text);
    if (folded.empty())
        bad(code, "Invalid value at `" + at + "`: `" + text.substr(0, 80) + "` has no word");
    const std::size_t count =
        1 + static_cast<std::size_t>(std::count(folded.begin(), folded.end(), ' '));
    if (words && count > words)
        bad(code, "Invalid value at `" + at + "`: `" + text.substr(0, 80) + "` has " +
                      std::to_string(count) + " words; at most " + std::to_string(words) +
                      (words == 1 ? " (a stop word is one word)" : ""));
    return folded;
}

unsigned whole(const Value& v, const char* code, const std::string& at, unsigned min,
               unsigned max) {
    const bool integral = v.IsUint64() || (v.IsDouble() && v.GetDouble() >= 0 &&
                                           std::floor(v.GetDouble()) == v.GetDouble());
    const double d = !integral      ? -1
                     : v.IsUint64() ? static_cast<double>(v.GetUint64())
                                    : v.GetDouble();
    if (!integral)
        wrong(code, at, "expected a positive integer", v);
    if (d < min || d > max)
        bad(code, "Invalid value at `" + at + "`: " + shown(v) + " is out of range: Passerelle " +
                      "takes " + std::to_string(min) + " to " + std::to_string(max));
    return static_cast<unsigned>(d);
}

SettingsChange synonyms(const Value* v) {
    const char* code = "invalid_settings_synonyms";
    if (!v)
        return [](StoredSettings& s) { s.synonyms.clear(); };
    if (!v->IsObject())
        wrong(code, ".synonyms", "expected an object of words and the words they also find", *v);
    if (v->MemberCount() > kMaxSynonymKeys)
        bad(code, "at most " + std::to_string(kMaxSynonymKeys) + " synonym keys");
    std::map<std::string, std::vector<std::string>> table;
    for (const auto& m : v->GetObject()) {
        const std::string key = str(m.name);
        const std::string at = ".synonyms." + key.substr(0, 60);
        words_of(m.name, code, at, QueryVocabulary::kMaxKeyWords);
        if (!m.value.IsArray())
            wrong(code, at, "expected an array of strings", m.value);
        if (m.value.Size() > kMaxSynonymValues)
            bad(code, "Invalid value at `" + at + "`: at most " +
                          std::to_string(kMaxSynonymValues) + " synonyms per key");
        std::vector<std::string>& values = table[key];
        for (rapidjson::SizeType i = 0; i < m.value.Size(); ++i) {
            words_of(m.value[i], code, at + "[" + std::to_string(i) + "]", 0);
            values.push_back(str(m.value[i]));
        }
    }
    return [table = std::move(table)](StoredSettings& s) { s.synonyms = table; };
}

SettingsChange stop_words(const Value* v) {
    const char* code = "invalid_settings_stop_words";
    if (!v)
        return [](StoredSettings& s) { s.stop_words.clear(); };
    if (!v->IsArray())
        wrong(code, ".stopWords", "expected an array of words", *v);
    if (v->Size() > kMaxStopWords)
        bad(code, "at most " + std::to_string(kMaxStopWords) + " stop words");
    std::vector<std::string> words;
    std::set<std::string> seen;
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i)
        if (seen.insert(words_of((*v)[i], code, ".stopWords[" + std::to_string(i) + "]", 1)).second)
            words.push_back(str((*v)[i]));
    return [words = std::move(words)](StoredSettings& s) { s.stop_words = words; };
}

SettingsChange faceting(const Value* v) {
    const char* code = "invalid_settings_faceting";
    if (!v)
        return [](StoredSettings& s) {
            s.max_values_per_facet.reset();
            s.sort_facet_values_by.clear();
        };
    if (!v->IsObject())
        wrong(code, ".faceting", "expected an object", *v);
    std::vector<SettingsChange> parts;
    for (const auto& m : v->GetObject()) {
        const std::string name = str(m.name);
        if (name == "maxValuesPerFacet") {
            if (m.value.IsNull()) {
                parts.emplace_back([](StoredSettings& s) { s.max_values_per_facet.reset(); });
                continue;
            }
            const unsigned n =
                whole(m.value, code, ".faceting.maxValuesPerFacet", 0, kMaxValuesPerFacetLimit);
            parts.emplace_back([n](StoredSettings& s) { s.max_values_per_facet = n; });
        } else if (name == "sortFacetValuesBy") {
            std::map<std::string, FacetOrder> orders;
            if (!m.value.IsNull()) {
                if (!m.value.IsObject())
                    wrong(code, ".faceting.sortFacetValuesBy",
                          "expected an object of facets and `count` or `alpha`", m.value);
                for (const auto& o : m.value.GetObject()) {
                    const std::string facet = str(o.name);
                    const std::string at = ".faceting.sortFacetValuesBy." + facet.substr(0, 60);
                    if (facet != "*" && !facet_attribute(facet))
                        bad(code, "Invalid value at `" + at + "`: `" + facet.substr(0, 60) +
                                      "` is no facet; facets are *, " + facet_attribute_list());
                    const std::string order = o.value.IsString() ? str(o.value) : "";
                    if (order != "count" && order != "alpha")
                        wrong(code, at, "expected `count` or `alpha`", o.value);
                    orders[facet] = order == "count" ? FacetOrder::Count : FacetOrder::Alpha;
                }
            }
            parts.emplace_back([orders](StoredSettings& s) { s.sort_facet_values_by = orders; });
        } else {
            bad(code, "Unknown field `" + name.substr(0, 60) +
                          "` inside `.faceting`: expected one of `maxValuesPerFacet`, "
                          "`sortFacetValuesBy`");
        }
    }
    return [parts = std::move(parts)](StoredSettings& s) {
        for (const SettingsChange& p : parts)
            p(s);
    };
}

SettingsChange pagination(const Value* v) {
    const char* code = "invalid_settings_pagination";
    if (!v)
        return [](StoredSettings& s) { s.max_total_hits.reset(); };
    if (!v->IsObject())
        wrong(code, ".pagination", "expected an object", *v);
    std::optional<std::optional<unsigned>> set; // unset: unchanged; nullopt inside: reset
    for (const auto& m : v->GetObject()) {
        const std::string name = str(m.name);
        if (name != "maxTotalHits")
            bad(code, "Unknown field `" + name.substr(0, 60) +
                          "` inside `.pagination`: expected `maxTotalHits`");
        set = m.value.IsNull()
                  ? std::optional<unsigned>()
                  : whole(m.value, code, ".pagination.maxTotalHits", 1, kMaxResultDepth);
    }
    return [set](StoredSettings& s) {
        if (set)
            s.max_total_hits = *set;
    };
}

void strings(JsonWriter& w, const std::vector<std::string>& list) {
    w.StartArray();
    for (const std::string& s : list)
        w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    w.EndArray();
}

std::shared_ptr<const IndexSettings> snapshot(StoredSettings stored) {
    auto settings = std::make_shared<IndexSettings>();
    if (!stored.synonyms.empty() || !stored.stop_words.empty())
        settings->vocabulary =
            std::make_shared<const QueryVocabulary>(stored.synonyms, stored.stop_words, Analyzer());
    settings->stored = std::move(stored);
    return settings;
}

} // namespace

unsigned IndexSettings::max_values_per_facet() const {
    return stored.max_values_per_facet.value_or(static_cast<unsigned>(kMaxFacetValues));
}

unsigned IndexSettings::max_total_hits() const {
    return stored.max_total_hits.value_or(kMaxResultDepth);
}

FacetOrder IndexSettings::order_of(const std::string& attribute) const {
    const auto& orders = stored.sort_facet_values_by;
    if (auto it = orders.find(attribute); it != orders.end())
        return it->second;
    if (auto it = orders.find("*"); it != orders.end())
        return it->second;
    return FacetOrder::Count;
}

const char* facet_order_name(FacetOrder order) {
    return order == FacetOrder::Count ? "count" : "alpha";
}

bool writable_setting(const std::string& name) {
    return name == "synonyms" || name == "stopWords" || name == "faceting" || name == "pagination";
}

SettingsChange read_setting(const std::string& name, const rapidjson::Value* value) {
    if (name == "synonyms")
        return synonyms(value);
    if (name == "stopWords")
        return stop_words(value);
    if (name == "faceting")
        return faceting(value);
    if (name == "pagination")
        return pagination(value);
    throw std::invalid_argument("not a writable setting: " + name);
}

void write_stored(JsonWriter& w, const StoredSettings& s) {
    w.StartObject();
    if (!s.synonyms.empty()) {
        w.Key("synonyms");
        w.StartObject();
        for (const auto& [key, values] : s.synonyms) {
            w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
            strings(w, values);
        }
        w.EndObject();
    }
    if (!s.stop_words.empty()) {
        w.Key("stopWords");
        strings(w, s.stop_words);
    }
    if (s.max_values_per_facet || !s.sort_facet_values_by.empty()) {
        w.Key("faceting");
        w.StartObject();
        if (s.max_values_per_facet)
            uint_field(w, "maxValuesPerFacet", *s.max_values_per_facet);
        if (!s.sort_facet_values_by.empty()) {
            w.Key("sortFacetValuesBy");
            w.StartObject();
            for (const auto& [facet, order] : s.sort_facet_values_by)
                field(w, facet.c_str(), facet_order_name(order));
            w.EndObject();
        }
        w.EndObject();
    }
    if (s.max_total_hits) {
        w.Key("pagination");
        w.StartObject();
        uint_field(w, "maxTotalHits", *s.max_total_hits);
        w.EndObject();
    }
    w.EndObject();
}

SettingsStore::SettingsStore(std::string path) : path_(std::move(path)) {
    StoredSettings stored;
    if (!path_.empty() && std::filesystem::exists(path_)) {
        std::ifstream in(path_, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        const auto unreadable = [&](const std::string& why) {
            return Error(ErrorKind::Internal, "settings_file",
                         "cannot read the settings file " + path_ + " (" + why +
                             "): fix or remove it");
        };
        rapidjson::Document doc;
        try {
            parse_client_json(doc, text.str(), {"settings_file", "not JSON", "settings_file"});
        } catch (const Error& e) {
            throw unreadable(e.message());
        }
        if (!in || !doc.IsObject())
            throw unreadable("expected a JSON object");
        for (const auto& m : doc.GetObject()) {
            const std::string name = str(m.name);
            if (!writable_setting(name))
                throw unreadable("`" + name.substr(0, 60) + "` is not a setting it keeps");
            try {
                read_setting(name, m.value.IsNull() ? nullptr : &m.value)(stored);
            } catch (const Error& e) {
                throw unreadable(e.message());
            }
        }
    }
    current_ = snapshot(std::move(stored));
}

std::shared_ptr<const IndexSettings> SettingsStore::current() const {
    std::lock_guard lock(read_mutex_);
    return current_;
}

void SettingsStore::update(const std::vector<SettingsChange>& changes) {
    std::lock_guard write(write_mutex_);
    StoredSettings next = current()->stored;
    for (const SettingsChange& change : changes)
        change(next);
    save(next);
    auto settings = snapshot(std::move(next));
    std::lock_guard read(read_mutex_);
    current_ = std::move(settings);
}

void SettingsStore::save(const StoredSettings& stored) const {
    if (path_.empty())
        return;
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    write_stored(w, stored);
    const std::string tmp = path_ + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
        out.flush();
        if (!out)
            throw Error(ErrorKind::Unavailable, "settings_file",
                        "cannot write the settings file " + tmp + "; nothing was changed");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path_, ec);
    if (ec)
        throw Error(ErrorKind::Unavailable, "settings_file",
                    "cannot replace the settings file " + path_ + ": " + ec.message());
}

} // namespace kb::http::meili
