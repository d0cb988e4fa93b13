#define BOOST_TEST_MODULE meili_settings
// The index settings store (search-server/meili/settings_store): what it reads back from its
// file, what it refuses there (the server then does not start), a change written before it is
// current, and a failed write that changes nothing.
#include "core/error.h"
#include "search-server/meili/settings_store.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

using kb::http::meili::FacetOrder;
using kb::http::meili::read_setting;
using kb::http::meili::SettingsStore;

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

rapidjson::Document json(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    return d;
}

// The message of the kb::Error `f` throws ("" when it throws none).
template <typename F> std::string error_of(F&& f) {
    try {
        f();
    } catch (const kb::Error& e) {
        return e.code() + ": " + e.message();
    }
    return "";
}

} // namespace

BOOST_AUTO_TEST_CASE(a_stored_file_is_read_back_with_its_vocabulary) {
    kb::test::TempDir dir;
    const auto file = dir.path() / "settings.json";
    write(file, R"({"synonyms":{"Bourgmestre":["maire"]},"stopWords":["Région"],)"
                R"("faceting":{"maxValuesPerFacet":7,"sortFacetValuesBy":{"*":"alpha"}},)"
                R"("pagination":{"maxTotalHits":50}})");
    const SettingsStore store(file.string());
    const auto s = store.current();
    BOOST_TEST(s->max_values_per_facet() == 7u);
    BOOST_TEST(s->max_total_hits() == 50u);
    BOOST_TEST((s->order_of("country") == FacetOrder::Alpha));
    BOOST_REQUIRE(s->vocabulary);
    BOOST_TEST(s->vocabulary->is_stop_word("region"));
    BOOST_REQUIRE(s->vocabulary->synonyms_of("bourgmestre"));
    BOOST_TEST(s->vocabulary->synonyms_of("bourgmestre")->values.at(0) == "maire");
}

BOOST_AUTO_TEST_CASE(no_file_is_the_engine_defaults) {
    kb::test::TempDir dir;
    const SettingsStore store((dir.path() / "settings.json").string());
    BOOST_TEST(store.current()->max_values_per_facet() == 100u);
    BOOST_TEST(store.current()->max_total_hits() == 10000u);
    BOOST_TEST((store.current()->order_of("theme") == FacetOrder::Count));
    BOOST_TEST(!store.current()->vocabulary);
    BOOST_TEST(!std::filesystem::exists(dir.path() / "settings.json")); // nothing written yet
}

BOOST_AUTO_TEST_CASE(a_wrong_file_is_refused_naming_it) {
    kb::test::TempDir dir;
    const auto file = dir.path() / "settings.json";
    for (const char* text :
         {"not json", "[]", R"({"rankingRules":["words"]})",
          R"({"pagination":{"maxTotalHits":-3}})", R"({"stopWords":["deux mots"]})"}) {
        write(file, text);
        const std::string e = error_of([&] { SettingsStore store(file.string()); });
        BOOST_TEST(e.rfind("settings_file: ", 0) == 0u, text << " -> " << e);
        BOOST_TEST(e.find(file.string()) != std::string::npos, e);
    }
}

BOOST_AUTO_TEST_CASE(a_change_is_written_then_current_and_a_failed_write_changes_nothing) {
    kb::test::TempDir dir;
    const auto file = dir.path() / "settings.json";
    SettingsStore store(file.string());
    const auto pagination = json(R"({"maxTotalHits":20})");
    store.update({read_setting("pagination", &pagination)});
    BOOST_TEST(store.current()->max_total_hits() == 20u);
    BOOST_TEST(SettingsStore(file.string()).current()->max_total_hits() == 20u);

    // The file's folder gone: the write fails, the settings stay as they were.
    SettingsStore lost((dir.path() / "gone" / "settings.json").string());
    const std::string e = error_of([&] { lost.update({read_setting("pagination", &pagination)}); });
    BOOST_TEST(e.rfind("settings_file: ", 0) == 0u, e);
    BOOST_TEST(lost.current()->max_total_hits() == 10000u);

    // A reset (null) goes back to the default; partial objects keep the rest.
    const auto faceting = json(R"({"maxValuesPerFacet":3,"sortFacetValuesBy":{"type":"alpha"}})");
    store.update({read_setting("faceting", &faceting)});
    const auto only_max = json(R"({"maxValuesPerFacet":4})");
    store.update({read_setting("faceting", &only_max), read_setting("pagination", nullptr)});
    BOOST_TEST(store.current()->max_values_per_facet() == 4u);
    BOOST_TEST((store.current()->order_of("type") == FacetOrder::Alpha));
    BOOST_TEST(store.current()->max_total_hits() == 10000u);
}

BOOST_AUTO_TEST_CASE(in_memory_a_change_applies_without_a_file) {
    SettingsStore store("");
    const auto words = json(R"(["Colloque"])");
    store.update({read_setting("stopWords", &words)});
    BOOST_REQUIRE(store.current()->vocabulary);
    BOOST_TEST(store.current()->vocabulary->is_stop_word("colloque"));
}
