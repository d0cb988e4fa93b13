// Answers a researcher can trust (issue 16), through the real server on corpus/: a query is
// never "corrected" into something else when it is right, a concept without documents is said
// so, suggestions lead somewhere, stop words and expansions are not passed off as the words
// typed, and counts are counts.

#define BOOST_TEST_MODULE trust_e2e
#include "core/analysis/acronyms.h"
#include "core/analysis/analyzer.h"
#include "core/facets/facet_catalog.h"
#include "core/schema/schema.h"
#include "tests/corpus_server.h"
#include "tests/e2e_support.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>
#include <cpprest/uri_builder.h>
#include <xapian.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

kb::test::CorpusServer& server() { return kb::test::corpus_server(); }

struct Reply {
    int status;
    web::json::value body;
};

Reply get(const std::string& path_and_query) {
    web::http::http_response r =
        server().client->request(web::http::methods::GET, path_and_query).get();
    return {r.status_code(), r.extract_json(true).get()};
}

using Params = std::vector<std::pair<std::string, std::string>>;

std::string path(const std::string& route, const Params& params) {
    web::uri_builder b(route);
    for (const auto& [name, value] : params)
        b.append_query(name, value);
    return b.to_string();
}

Reply search(const std::string& q, Params extra = {}) {
    extra.insert(extra.begin(), {"q", q});
    return get(path("/search", extra));
}

std::string text_of(const web::json::value& v) { return v.is_string() ? v.as_string() : ""; }

const kb::Analyzer& analyzer() {
    static const kb::Analyzer a;
    return a;
}

// ---- Query understanding never makes a query worse ---------------------------------------

BOOST_AUTO_TEST_CASE(a_known_country_without_documents_is_said_so_not_corrected) {
    for (const std::string q : {"Sénégal", "sénégal", "Burkina Faso"}) {
        const Reply r = search(q);
        BOOST_TEST_REQUIRE(r.status == 200);
        BOOST_TEST(!r.body.at("corrected").as_bool(), q);
        BOOST_TEST(r.body.at("did_you_mean").is_null(), q);
        BOOST_TEST(r.body.at("total").as_integer() == 0, q);
        const auto& missing = r.body.at("missing_concepts").as_array();
        BOOST_TEST_REQUIRE(missing.size() == 1u, q);
        BOOST_TEST(missing.at(0).at("facet").as_string() == "country");
    }
    const Reply r = search("Sénégal");
    BOOST_TEST(r.body.at("missing_concepts").at(0).at("label").as_string() == "Sénégal");
    BOOST_TEST(r.body.at("missing_concepts").at(0).at("id").as_string() == "SN");
}

BOOST_AUTO_TEST_CASE(the_rest_of_the_query_is_searched_without_the_missing_concept) {
    const Reply r = search("coopération décentralisée Sénégal");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body.at("did_you_mean").is_null());
    BOOST_TEST(!r.body.at("corrected").as_bool());
    BOOST_TEST(r.body.at("missing_concepts").size() == 1u);
    // The rest ("coopération décentralisée") requires all its words, as typed alone.
    BOOST_TEST(r.body.at("match_mode").as_string() == "all_terms");
    const Reply alone = search("coopération décentralisée");
    BOOST_TEST(r.body.at("total").as_integer() == alone.body.at("total").as_integer());
    BOOST_TEST(r.body.at("total").as_integer() > 0);
}

BOOST_AUTO_TEST_CASE(a_correction_is_applied_only_when_the_typed_query_finds_nothing) {
    // Nothing as typed, something corrected: applied.
    Reply r = search("attractivte");
    BOOST_TEST(r.body.at("corrected").as_bool());
    BOOST_TEST(r.body.at("did_you_mean").as_string() == "attractivité");
    BOOST_TEST(r.body.at("total").as_integer() > 0);
    // Some words found as typed: the correction is only offered, and it finds all its words.
    r = search("coopératoin décentralisée");
    BOOST_TEST(!r.body.at("corrected").as_bool());
    BOOST_TEST(r.body.at("match_mode").as_string() == "relaxed_any_terms");
    const std::string offered = text_of(r.body.at("did_you_mean"));
    BOOST_TEST(offered == "coopération décentralisée");
    const Reply followed = search(offered);
    BOOST_TEST(followed.body.at("total").as_integer() > 0);
    BOOST_TEST(followed.body.at("match_mode").as_string() == "all_terms");
    // A proper name is never replaced: "Dakar" is not in the corpus, and not "dater".
    r = search("Dakar");
    BOOST_TEST(r.body.at("did_you_mean").is_null());
    BOOST_TEST(!r.body.at("corrected").as_bool());
    // Short words are corrected by one edit at most ("dakar" is not "dater" either).
    BOOST_TEST(text_of(search("dakar").body.at("did_you_mean")) != "dater");
}

BOOST_AUTO_TEST_CASE(words_the_index_holds_are_never_replaced) {
    // Every frequent word of the corpus, as typed alone: no did_you_mean may change it.
    Xapian::Database db(server().index);
    std::vector<std::pair<Xapian::doccount, std::string>> words;
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
        const std::string term = *t;
        if (!term.empty() && term[0] >= 'a' && term[0] <= 'z' && term.size() >= 3)
            words.emplace_back(t.get_termfreq(), term);
    }
    std::sort(words.rbegin(), words.rend());
    words.resize(std::min<std::size_t>(words.size(), 300));
    for (const auto& [freq, word] : words) {
        const Reply r = search(word, {{"size", "1"}, {"facets", "false"}});
        BOOST_TEST(r.body.at("did_you_mean").is_null(), word);
        BOOST_TEST(!r.body.at("corrected").as_bool(), word);
    }
}

// Every label of every concept (countries by ICU French and English names, regions, actors,
// themes, acronyms): never corrected, and no did_you_mean that drops or changes the label.
BOOST_AUTO_TEST_CASE(no_concept_label_is_ever_corrected) {
    const kb::FacetCatalog& catalog = kb::FacetCatalog::builtin();
    std::set<std::string> labels;
    for (const kb::schema::FacetSpec& spec : kb::schema::kFacetTable) {
        if (spec.values_from != kb::schema::FacetValuesFrom::Catalog)
            continue;
        for (const auto& [id, e] : catalog.entries(spec.facet)) {
            labels.insert(e.label);
            if (!e.label_en.empty())
                labels.insert(e.label_en);
        }
    }
    for (const kb::Acronym& a : kb::AcronymTable::builtin().entries()) {
        labels.insert(a.acronym);
        labels.insert(a.expansion);
    }
    BOOST_TEST_REQUIRE(labels.size() > 500u);
    std::size_t failures = 0;
    for (const std::string& label : labels) {
        const Reply r = search(label, {{"size", "1"}, {"facets", "false"}});
        BOOST_TEST_REQUIRE(r.status == 200, label);
        const bool corrected = r.body.at("corrected").as_bool();
        const std::string dym = text_of(r.body.at("did_you_mean"));
        const bool keeps = dym.empty() || analyzer().fold_phrase(dym).find(
                                              analyzer().fold_phrase(label)) != std::string::npos;
        if (corrected || !keeps) {
            ++failures;
            BOOST_TEST(false, "'" << label << "' became '" << dym << "'");
        }
    }
    BOOST_TEST(failures == 0u);
}

// ---- Suggestions lead somewhere ------------------------------------------------------------

// A suggestion chosen as the page chooses it: a word is searched, a facet value becomes a
// filter with nothing typed, a title opens its document. Returns the hits found.
long long chosen(const web::json::value& s, const Params& filters) {
    const std::string kind = s.at("kind").as_string();
    if (kind == "title")
        return get("/documents/" + web::uri::encode_data_string(s.at("id").as_string())).status ==
                       200
                   ? 1
                   : 0;
    Params p = filters;
    p.push_back({"size", "1"});
    p.push_back({"facets", "false"});
    if (kind == "term") {
        p.insert(p.begin(), {"q", s.at("text").as_string()});
    } else {
        p.insert(p.begin(), {"q", ""});
        p.push_back({kind, s.at("id").as_string()});
    }
    const Reply r = get(path("/search", p));
    return r.status == 200 ? r.body.at("total").as_integer() : -1;
}

void every_suggestion_finds_something(const std::string& typed, const Params& filters) {
    Params p = filters;
    p.insert(p.begin(), {"q", typed});
    const Reply r = get(path("/suggest", p));
    BOOST_TEST_REQUIRE(r.status == 200, typed);
    for (const auto& s : r.body.at("suggestions").as_array()) {
        const long long found = chosen(s, filters);
        BOOST_TEST(found >= 1, "'" << typed << "' → " << s.serialize() << " finds " << found);
        BOOST_TEST(s.at("count").as_integer() >= 1, typed);
    }
}

BOOST_AUTO_TEST_CASE(every_suggestion_of_frequent_word_prefixes_finds_a_document) {
    // Every 2–4-letter prefix of the 2,000 most frequent words of the corpus.
    Xapian::Database db(server().index);
    std::vector<std::pair<Xapian::doccount, std::string>> words;
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
        const std::string term = *t;
        if (!term.empty() && term[0] >= 'a' && term[0] <= 'z')
            words.emplace_back(t.get_termfreq(), term);
    }
    std::sort(words.rbegin(), words.rend());
    words.resize(std::min<std::size_t>(words.size(), 2000));
    std::set<std::string> prefixes;
    for (const auto& [freq, word] : words)
        for (std::size_t n = 2; n <= 4 && n <= word.size(); ++n)
            prefixes.insert(word.substr(0, n));
    BOOST_TEST_MESSAGE(prefixes.size() << " prefixes");
    for (const std::string& prefix : prefixes)
        every_suggestion_finds_something(prefix, {});
}

BOOST_AUTO_TEST_CASE(suggestions_respect_the_current_filters) {
    for (const std::string typed : {"coop", "jum", "aide pub", "att", "dév", "eau et ass"}) {
        every_suggestion_finds_something(typed, {{"theme", "attractivite"}});
        every_suggestion_finds_something(typed, {{"type", "étude"}});
    }
    // A filter no document passes leaves nothing to suggest.
    const Reply r = get(path("/suggest", {{"q", "coop"}, {"country", "SN"}}));
    BOOST_TEST(r.body.at("suggestions").size() == 0u);
    BOOST_TEST(get(path("/suggest", {{"q", "coop"}, {"page", "2"}})).status == 400);
}

BOOST_AUTO_TEST_CASE(completions_are_one_form_per_stem_and_fit_the_words_before) {
    auto texts = [](const std::string& typed) {
        std::vector<std::string> out;
        const Reply r = get(path("/suggest", {{"q", typed}}));
        for (const auto& s : r.body.at("suggestions").as_array())
            if (s.at("kind").as_string() == "term")
                out.push_back(s.at("text").as_string());
        return out;
    };
    const std::vector<std::string> aide = texts("aide pub");
    BOOST_TEST((std::find(aide.begin(), aide.end(), "aide publique") != aide.end()));
    BOOST_TEST((std::find(aide.begin(), aide.end(), "aide publication") == aide.end()));
    std::set<std::string> stems;
    for (const std::string& t : texts("att"))
        BOOST_TEST(stems.insert(analyzer().stem(analyzer().fold_phrase(t))).second, t);
    // A concept suggestion says why it matched when its label does not start so.
    const Reply coop = get(path("/suggest", {{"q", "coop"}}));
    for (const auto& s : coop.body.at("suggestions").as_array())
        if (s.at("kind").as_string() != "term" && s.at("kind").as_string() != "title" &&
            analyzer().fold_phrase(s.at("text").as_string()).rfind("coop", 0) != 0) {
            BOOST_TEST_REQUIRE(s.has_field("matched"), s.serialize());
            BOOST_TEST(analyzer().fold_phrase(s.at("matched").as_string()).find("coop") !=
                       std::string::npos);
        }
}

// ---- Highlighting and "why this matched" ---------------------------------------------------

BOOST_AUTO_TEST_CASE(stop_words_are_never_evidence_and_expansions_are_marked_apart) {
    const Reply r = search("coopération décentralisée",
                           {{"size", "50"}, {"explain", "true"}, {"facets", "false"}});
    BOOST_TEST_REQUIRE(r.body.at("hits").size() > 5u);
    for (const auto& h : r.body.at("hits").as_array()) {
        const std::string snippet = h.at("snippet").as_string();
        for (const std::string stop : {"<mark>de</mark>", "<mark>la</mark>", "<mark>entre</mark>",
                                       "<mark>a</mark>", "<mark>des</mark>"})
            BOOST_TEST(snippet.find(stop) == std::string::npos, snippet);
        for (const auto& t : h.at("matched_terms").as_array()) {
            const std::string term = t.as_string();
            BOOST_TEST(term != "mot:a");
            BOOST_TEST(term != "mot:de");
            // Words no query word typed are expansions', said so.
            if (term.rfind("mot:", 0) == 0)
                BOOST_TEST((term == "mot:cooperation" || term == "mot:decentralisee"), term);
        }
    }
    // "jumelage" reaches the theme's other labels ("jumelage de villes"): their words are never
    // marked as the words typed, and a hit found only through them says so.
    const Reply j = search("jumelage", {{"size", "50"}, {"facets", "false"}});
    for (const auto& h : j.body.at("hits").as_array()) {
        const std::string snippet = h.at("snippet").as_string();
        BOOST_TEST(snippet.find("<mark>ville") == std::string::npos, snippet);
        BOOST_TEST(snippet.find("<mark>Ville") == std::string::npos, snippet);
        if (snippet.find("<mark class=\"via\">") != std::string::npos)
            BOOST_TEST(h.has_field("via"), snippet);
    }
}

BOOST_AUTO_TEST_CASE(a_hit_found_through_a_concept_alone_says_which) {
    // "cooperation décentralisée" widens to the theme: hits tagged with the theme that lack
    // the words typed carry via.
    const Reply r = search("jumelage", {{"size", "100"}, {"facets", "false"}});
    std::size_t via = 0;
    for (const auto& h : r.body.at("hits").as_array())
        if (h.has_field("via")) {
            ++via;
            BOOST_TEST(h.at("via").at(0).at("facet").as_string() == "theme");
            BOOST_TEST(!h.at("via").at(0).at("label").as_string().empty());
        }
    // The same query without expansions has no via anywhere.
    const Reply plain = search("jumelage", {{"size", "100"}, {"expand", "false"}});
    for (const auto& h : plain.body.at("hits").as_array())
        BOOST_TEST(!h.has_field("via"));
    BOOST_TEST_MESSAGE(via << " hits via the theme");
}

// ---- Counts are counts ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(totals_are_exact_up_to_thousands_and_lower_bounds_beyond) {
    for (const std::string q : {"eau et assainissement", "coopération décentralisée", "commune"}) {
        const Reply one = search(q, {{"expand", "false"}, {"size", "1"}, {"facets", "false"}});
        const Reply many = search(q, {{"expand", "false"}, {"size", "100"}, {"facets", "false"}});
        const Reply faceted = search(q, {{"expand", "false"}, {"size", "1"}});
        BOOST_TEST(one.body.at("total_exact").as_bool(), q);
        BOOST_TEST(one.body.at("total_relation").as_string() == "eq", q);
        BOOST_TEST(one.body.at("total").as_integer() == many.body.at("total").as_integer(), q);
        BOOST_TEST(one.body.at("total").as_integer() == faceted.body.at("total").as_integer(), q);
    }
    // Beyond the exact count: a lower bound, said as such, never above the true count.
    const Reply big = search("article", {{"expand", "false"}, {"size", "1"}, {"facets", "false"}});
    const Reply counted = search("article", {{"expand", "false"}, {"size", "1"}});
    if (!big.body.at("total_exact").as_bool()) {
        BOOST_TEST(big.body.at("total_relation").as_string() == "gte");
        BOOST_TEST(big.body.at("total").as_integer() <= counted.body.at("total").as_integer());
        BOOST_TEST(big.body.at("total").as_integer() >= 4000);
    }
}

} // namespace
