#include "search-server/meili/meili_settings.h"

#include "core/analysis/acronyms.h"
#include "core/analysis/stopwords.h"
#include "core/schema/schema.h"
#include "core/search/facet_counting.h"
#include "core/search/recovery.h"
#include "search-server/api/search_params.h"
#include "search-server/meili/answer.h"
#include "search-server/meili/body_access.h"
#include "search-server/meili/facet_attributes.h"
#include "search-server/meili/request.h"
#include "search-server/meili/settings_store.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace kb::http {
namespace {

using namespace meili;
using Value = rapidjson::Value;

void strings(JsonWriter& w, const std::vector<std::string>& list) {
    w.StartArray();
    for (const std::string& s : list)
        w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    w.EndArray();
}

// What the engine does, one row per setting.

// The hit attributes a search can show (hit_attributes.cpp; text on request, through
// attributesToRetrieve), its facet values among them. The document routes give whole records.
void displayed(JsonWriter& w, Context&) {
    strings(w, {"id", "title", "date", "type", "publisher", "url", "snippet", "text", "theme",
                "actor", "country", "region", "year", "place"});
}

// The fields words are indexed from (core/indexing/document_builder.cpp), in weight order:
// title, section headings (on passages) and the site's name weigh kTitleWeight, the body and
// the publisher 1.
void searchable(JsonWriter& w, Context&) {
    strings(w, {"title", "headings", "site", "text", "publisher"});
}

// The facets, and place.lvl0 and place.lvl1 (region > country, facet_attributes.h).
void filterable(JsonWriter& w, Context&) {
    std::vector<std::string> names;
    for (const FacetAttribute& a : facet_attributes())
        names.push_back(a.name());
    strings(w, names);
}

// The sort rules request.cpp accepts (year sorts as date does).
void sortable(JsonWriter& w, Context&) { strings(w, {"date", "year"}); }

// Meilisearch's names for what ranking does (core/search/lexical.cpp, query/builder.cpp), as
// near as they go: a sort, when asked, comes before relevance; short queries need all their
// words, then relax to any ("words"); BM25 weighs title words kTitleWeight times ("attribute");
// the words as typed weigh more only with exact_boost ("exactness"). Not "typo" (corrections
// apply only when a query finds nothing, see typoTolerance) nor "proximity" (words are ranked
// wherever they are; only a quoted phrase needs them together).
void ranking_rules(JsonWriter& w, Context& context) {
    std::vector<std::string> rules = {"sort", "words", "attribute"};
    if (context.searcher.scoring().exact_boost > 0)
        rules.emplace_back("exactness");
    strings(w, rules);
}

// The acronyms, expanded both ways as the index's synonym table does, and the synonyms the
// settings add (settings_store.h), as written; the concept catalog's labels (expansion.cpp)
// and the general synonyms (off by default) are not listed.
void synonyms(JsonWriter& w, Context& context) {
    std::map<std::string, std::vector<std::string>> both;
    auto add = [&](const std::string& key, const std::string& value) {
        auto& values = both[key];
        if (std::find(values.begin(), values.end(), value) == values.end())
            values.push_back(value);
    };
    for (const Acronym& a : AcronymTable::builtin().entries()) {
        add(a.acronym, a.expansion);
        add(a.expansion, a.acronym);
    }
    for (auto& [key, values] : both)
        std::sort(values.begin(), values.end());
    for (const auto& [key, values] : context.index_settings.current()->stored.synonyms)
        for (const std::string& v : values)
            add(key, v);
    w.StartObject();
    for (const auto& [key, values] : both) {
        w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        strings(w, values);
    }
    w.EndObject();
}

// The analyzer's French list and the words the settings add, folded (accents removed) as
// queries compare words.
void stop_words(JsonWriter& w, Context& context) {
    std::set<std::string> words;
    for (const std::string& s : Stopwords::builtin().sorted())
        words.insert(s);
    if (const auto& vocabulary = context.index_settings.current()->vocabulary)
        words.insert(vocabulary->stop_words().begin(), vocabulary->stop_words().end());
    strings(w, {words.begin(), words.end()});
}

// Results collapse by record and near-duplicate cluster, which is no document attribute.
void distinct(JsonWriter& w, Context&) { w.Null(); }

// Spelling corrections (core/search/recovery): words of at least kMinCorrectedWordBytes, two
// edits from kMinTwoEditWordBytes, never numbers; applied only when the query as typed finds
// nothing.
void typo_tolerance(JsonWriter& w, Context&) {
    w.StartObject();
    bool_field(w, "enabled", true);
    w.Key("minWordSizeForTypos");
    w.StartObject();
    uint_field(w, "oneTypo", kMinCorrectedWordBytes);
    uint_field(w, "twoTypos", kMinTwoEditWordBytes);
    w.EndObject();
    w.Key("disableOnWords");
    strings(w, {});
    w.Key("disableOnAttributes");
    strings(w, {});
    bool_field(w, "disableOnNumbers", true);
    w.EndObject();
}

// maxValuesPerFacet and sortFacetValuesBy as set, else by count, 100 values (what
// facet_counter.cpp gives); "*" is always there, as Meilisearch answers.
void faceting(JsonWriter& w, Context& context) {
    const auto settings = context.index_settings.current();
    w.StartObject();
    uint_field(w, "maxValuesPerFacet", settings->max_values_per_facet());
    w.Key("sortFacetValuesBy");
    w.StartObject();
    field(w, "*", facet_order_name(settings->order_of("*")));
    for (const auto& [facet, order] : settings->stored.sort_facet_values_by)
        if (facet != "*")
            field(w, facet.c_str(), facet_order_name(order));
    w.EndObject();
    w.EndObject();
}

void pagination(JsonWriter& w, Context& context) {
    w.StartObject();
    uint_field(w, "maxTotalHits", context.index_settings.current()->max_total_hits());
    w.EndObject();
}

// search.time_limit_ms (0: no limit).
void search_cutoff(JsonWriter& w, Context& context) {
    w.Uint64(static_cast<std::uint64_t>(std::llround(context.settings.ranking.time_limit_ms)));
}

/// One setting: its name in the settings object and its route, how it is written and, for
/// a fixed one, why it is. A writable one (writable_setting: synonyms, stopWords, faceting,
/// pagination) is read and stored by settings_store.
struct Setting {
    const char* name;
    const char* route;
    void (*write)(JsonWriter&, Context&);
    const char* why; ///< why it is fixed, for the refusal ("" when writable)
};

const std::vector<Setting>& settings_table() {
    static const std::vector<Setting> table = {
        {"displayedAttributes", "displayed-attributes", displayed,
         "hits show these attributes; choose among them with attributesToRetrieve"},
        {"searchableAttributes", "searchable-attributes", searchable,
         "the fields searched and their weights are set when documents are indexed"},
        {"filterableAttributes", "filterable-attributes", filterable,
         "the facets are the index's schema, core/schema/schema.h"},
        {"sortableAttributes", "sortable-attributes", sortable,
         "results sort by relevance or by date"},
        {"rankingRules", "ranking-rules", ranking_rules,
         "ranking is BM25 with the weights the relevance evaluation chose"},
        {"stopWords", "stop-words", stop_words, ""},
        {"synonyms", "synonyms", synonyms, ""},
        {"distinctAttribute", "distinct-attribute", distinct,
         "results always collapse by record and near-duplicate cluster"},
        {"typoTolerance", "typo-tolerance", typo_tolerance,
         "spelling corrections follow the engine's rules"},
        {"faceting", "faceting", faceting, ""},
        {"pagination", "pagination", pagination, ""},
        {"searchCutoffMs", "search-cutoff-ms", search_cutoff,
         "the time budget is the server's search.time_limit_ms setting"},
    };
    return table;
}

const Setting& setting_at(const std::string& route) {
    for (const Setting& s : settings_table())
        if (route == s.route)
            return s;
    throw Error(ErrorKind::NotFound, "not_found",
                "no setting `" + route.substr(0, 60) + "` (see GET /indexes/documents/settings)");
}

// "rankingRules" → "invalid_settings_ranking_rules", Meilisearch's code for a wrong value.
std::string setting_code(const Setting& s) {
    std::string code = "invalid_settings_";
    for (const char* c = s.name; *c; ++c)
        if (std::isupper(static_cast<unsigned char>(*c)))
            code += std::string("_") + static_cast<char>(std::tolower(*c));
        else
            code += *c;
    return code;
}

void refuse_change(const Setting& s) {
    bad(setting_code(s), std::string("`") + s.name + "` is fixed in Passerelle and cannot be " +
                             "changed: " + s.why + ". GET /indexes/documents/settings/" + s.route +
                             " says what it is; synonyms, stopWords, faceting and pagination " +
                             "can be changed.");
}

// Applies `values` (setting → value; null: reset) as one settingsUpdate task. Every value is
// read and checked first: one fixed setting or one wrong value refuses the whole request
// (400), and nothing is changed. A fixed setting's reset keeps it as it is, its only value.
Response update_settings(Context& context, TaskClock::time_point enqueued,
                         const std::vector<std::pair<const Setting*, const Value*>>& values,
                         const std::string& sent) {
    std::vector<SettingsChange> changes;
    for (const auto& [s, v] : values) {
        if (writable_setting(s->name))
            changes.push_back(read_setting(s->name, v));
        else if (v)
            refuse_change(*s);
    }
    TaskDetails asked;
    asked.settings = sent;
    return task_response(run_task(context.tasks, TaskType::SettingsUpdate, asked, enqueued,
                                  [&](TaskDetails&) { context.index_settings.update(changes); }));
}

} // namespace

Response handle_meili_settings(const Request& request, Context& context, const RouteMatch& match) {
    return meili_answer([&] {
        check_index(match.id);
        no_params(request);
        rapidjson::StringBuffer buffer;
        JsonWriter w(buffer);
        w.StartObject();
        for (const Setting& s : settings_table()) {
            w.Key(s.name);
            s.write(w, context);
        }
        w.EndObject();
        return json_answer(buffer);
    });
}

// "/indexes/{uid}/settings/{id}": the uid is the second segment, the setting's route {id}.
Response handle_meili_setting(const Request& request, Context& context, const RouteMatch& match) {
    return meili_answer([&] {
        check_index(request.segments.at(1));
        no_params(request);
        rapidjson::StringBuffer buffer;
        JsonWriter w(buffer);
        setting_at(match.id).write(w, context);
        return json_answer(buffer);
    });
}

Response handle_meili_settings_update(const Request& request, Context& context,
                                      const RouteMatch& match) {
    return meili_answer([&] {
        const auto enqueued = TaskClock::now();
        check_index(match.id);
        no_params(request);
        std::vector<std::pair<const Setting*, const Value*>> values;
        if (request.method == "DELETE") { // reset: every setting
            for (const Setting& s : settings_table())
                values.emplace_back(&s, nullptr);
            return update_settings(context, enqueued, values, "{}");
        }
        const rapidjson::Document body = parse_body(request);
        for (const auto& m : body.GetObject()) {
            const Setting* found = nullptr;
            for (const Setting& s : settings_table())
                found = str(m.name) == s.name ? &s : found;
            if (!found)
                bad("bad_request", "Unknown field `" + str(m.name).substr(0, 60) +
                                       "`: see GET /indexes/documents/settings");
            values.emplace_back(found, m.value.IsNull() ? nullptr : &m.value);
        }
        return update_settings(context, enqueued, values, request.body);
    });
}

Response handle_meili_setting_update(const Request& request, Context& context,
                                     const RouteMatch& match) {
    return meili_answer([&] {
        const auto enqueued = TaskClock::now();
        check_index(request.segments.at(1));
        no_params(request);
        const Setting& s = setting_at(match.id);
        if (request.method == "DELETE")
            return update_settings(context, enqueued, {{&s, nullptr}}, "{}");
        if (request.body.empty())
            bad("missing_payload", "A json payload is missing.");
        rapidjson::Document body;
        parse_client_json(body, request.body, kJsonCodes);
        rapidjson::StringBuffer sent;
        JsonWriter w(sent);
        w.StartObject();
        w.Key(s.name);
        body.Accept(w);
        w.EndObject();
        return update_settings(context, enqueued, {{&s, body.IsNull() ? nullptr : &body}},
                               json_text(sent));
    });
}

} // namespace kb::http
