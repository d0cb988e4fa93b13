#define BOOST_TEST_MODULE meili_filter
// The Meilisearch filter grammar (search-server/meili/filter_parser.h) and what the builder
// makes of it, case by case: the examples of Meilisearch's filter expression reference
// (=, !=, >, >=, <, <=, TO, EXISTS, IS NULL, IS EMPTY, IN, NOT, AND/OR, parentheses, quotes,
// escapes, the array form), each with the tree we read or the error we answer, and malformed
// filters with theirs.
#include "core/error.h"
#include "search-server/api/search_params.h"
#include "search-server/json/json_input.h"
#include "search-server/meili/filter_builder.h"
#include "search-server/meili/filter_parser.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <rapidjson/document.h>

#include <ostream>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
using kb::http::meili::FilterNode;

namespace {

// A tree as text: `=(genres,horror)`, `AND(…)`, `OR(…)`, `NOT(…)`; an empty AND is `AND()`.
std::string render(const FilterNode& n) {
    std::string out;
    switch (n.kind) {
    case FilterNode::And:
    case FilterNode::Or:
    case FilterNode::Not:
        out = n.kind == FilterNode::And ? "AND(" : n.kind == FilterNode::Or ? "OR(" : "NOT(";
        for (std::size_t i = 0; i < n.kids.size(); ++i)
            out += (i ? "," : "") + render(n.kids[i]);
        return out + ")";
    case FilterNode::Cond:
        out = n.op + "(" + n.attr;
        for (const std::string& v : n.values)
            out += "," + v;
        return out + ")";
    }
    return out;
}

// What reading `filter` gives: the tree, or `error <code>: <message>`.
// `json`: the filter is a JSON value (the array form), else one expression.
std::string outcome(const std::string& filter, bool json) {
    kb::http::meili::FilterTally tally;
    try {
        if (!json)
            return render(kb::http::meili::parse_filter_expression(filter, tally));
        rapidjson::Document doc;
        kb::http::parse_client_json(doc, filter, {"bad_request", "not JSON", "bad_request"});
        return render(kb::http::meili::parse_filter(doc, tally));
    } catch (const kb::Error& e) {
        BOOST_TEST((e.kind() == kb::ErrorKind::InvalidRequest));
        return "error " + e.code() + ": " + e.message();
    }
}

struct Case {
    const char* filter;
    const char* expected; ///< the rendered tree, or the start of "error <code>: <message>"
    bool json = false;
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.filter; }

// The examples of Meilisearch's filter expression reference, as our parser reads them.
const std::vector<Case> kDocumentationExamples = {
    {"genres = horror", "=(genres,horror)"},
    {"director = 'Jordan Peele'", "=(director,Jordan Peele)"},
    {"director = \"Tim Burton\"", "=(director,Tim Burton)"},
    {"genres != action", "!=(genres,action)"},
    {"rating > 85", ">(rating,85)"},
    {"rating >= 85", ">=(rating,85)"},
    {"rating < 85", "<(rating,85)"},
    {"rating <= 85", "<=(rating,85)"},
    {"rating.users >= 85", ">=(rating.users,85)"},
    {"release_date 795484800 TO 972129600", "TO(release_date,795484800,972129600)"},
    {"genres IN [horror, comedy]", "IN(genres,horror,comedy)"},
    {"genres NOT IN [horror, comedy]", "NOT(IN(genres,horror,comedy))"},
    {"NOT genres IN [horror, comedy]", "NOT(IN(genres,horror,comedy))"},
    {"NOT genres = horror", "NOT(=(genres,horror))"},
    {"genres = horror AND director = 'Jordan Peele'",
     "AND(=(genres,horror),=(director,Jordan Peele))"},
    {"genres = horror OR genres = comedy", "OR(=(genres,horror),=(genres,comedy))"},
    // AND binds tighter than OR; parentheses regroup.
    {"genres = horror OR genres = comedy AND director = 'Jordan Peele'",
     "OR(=(genres,horror),AND(=(genres,comedy),=(director,Jordan Peele)))"},
    {"(genres = horror OR genres = comedy) AND director = 'Jordan Peele'",
     "AND(OR(=(genres,horror),=(genres,comedy)),=(director,Jordan Peele))"},
    {"genres = horror AND NOT director = 'Jordan Peele'",
     "AND(=(genres,horror),NOT(=(director,Jordan Peele)))"},
    // Keywords in any case; escapes inside quotes.
    {"genres = horror and genres in [comedy] or not genres = drama",
     "OR(AND(=(genres,horror),IN(genres,comedy)),NOT(=(genres,drama)))"},
    {R"(title = "Le \"Parrain\"")", R"(=(title,Le "Parrain"))"},
    {R"(title = 'l\'eau')", "=(title,l'eau)"},
    {R"(title = "a\\b")", R"(=(title,a\b))"},
    {"\"release date\" = 2019", "=(release date,2019)"},
    {"genres IN [horror, comedy,]", "IN(genres,horror,comedy)"},
    {"genres IN []", "IN(genres)"},
    {"genres IN [horror, horror, comedy]", "IN(genres,horror,comedy)"},
    {"", "AND()"},
    {"   ", "AND()"},
    // The array form: an AND of strings and of inner arrays that are ORs.
    {R"(["genres = horror", "director = 'Jordan Peele'"])",
     "AND(=(genres,horror),=(director,Jordan Peele))", true},
    {R"([["genres = horror", "genres = comedy"], "director = 'Jordan Peele'"])",
     "AND(OR(=(genres,horror),=(genres,comedy)),=(director,Jordan Peele))", true},
    {R"([["genres = horror", " "], []])", "AND(OR(=(genres,horror)))", true},
    {R"("genres = horror")", "=(genres,horror)", true},
    // What Passerelle refuses: existence and emptiness tests, geo functions.
    {"release_date EXISTS",
     "error invalid_search_filter: Invalid filter at character 19: EXISTS, IS NULL and IS EMPTY "
     "are not supported"},
    {"release_date NOT EXISTS",
     "error invalid_search_filter: Invalid filter at character 23: EXISTS is not supported"},
    {"genres IS EMPTY",
     "error invalid_search_filter: Invalid filter at character 9: EXISTS, IS NULL and IS EMPTY "
     "are not supported"},
    {"genres IS NULL", "error invalid_search_filter: Invalid filter at character 9: EXISTS, IS "
                       "NULL and IS EMPTY are not supported"},
    {"genres IS NOT NULL", "error invalid_search_filter: Invalid filter at character 9: EXISTS, "
                           "IS NULL and IS EMPTY are not supported"},
    {"_geoRadius(45.472735, 9.184019, 2000)",
     "error invalid_search_filter: Invalid filter at character 10: missing a name or value"},
};

// Malformed filters and their errors.
const std::vector<Case> kMalformed = {
    {"genres =", "error invalid_search_filter: Invalid filter at character 8: missing a name or "
                 "value in `genres =`"},
    {"genres", "error invalid_search_filter: Invalid filter at character 6: expected an operator "
               "(=, !=, >, >=, <, <=, TO, IN) after `genres` in `genres`"},
    {"= horror", "error invalid_search_filter: Invalid filter at character 0: missing a name or "
                 "value in `= horror`"},
    {"genres : horror", "error invalid_search_filter: Invalid filter at character 7: ':' is "
                        "not an operator; use '='"},
    {"genres horror", "error invalid_search_filter: Invalid filter at character 13: expected an "
                      "operator (=, !=, >, >=, <, <=, TO, IN) after `genres`"},
    {"genres == horror", "error invalid_search_filter: Invalid filter at character 8: missing a "
                         "name or value"},
    {"genres = 'horror", "error invalid_search_filter: Invalid filter at character 16: unclosed "
                         "quote"},
    {"(genres = horror", "error invalid_search_filter: Invalid filter at character 16: missing "
                         "')'"},
    {"genres = horror)", "error invalid_search_filter: Invalid filter at character 15: "
                         "unexpected ')'"},
    {"genres = horror AND", "error invalid_search_filter: Invalid filter at character 19: "
                            "missing a name or value"},
    {"genres = horror OR OR genres = comedy",
     "error invalid_search_filter: Invalid filter at character 29: expected an operator (=, !=, >, "
     ">=, <, <=, TO, IN) after `OR`"},
    {"genres IN horror", "error invalid_search_filter: Invalid filter at character 10: expected "
                         "'[' after IN"},
    {"genres IN [horror comedy]", "error invalid_search_filter: Invalid filter at character 18: "
                                  "expected ',' or ']'"},
    {"genres IN [horror", "error invalid_search_filter: Invalid filter at character 17: expected "
                          "',' or ']'"},
    {"genres NOT horror", "error invalid_search_filter: Invalid filter at character 11: expected "
                          "IN after NOT"},
    {"release_date 1 TO", "error invalid_search_filter: Invalid filter at character 17: missing "
                          "a name or value"},
    {"NOT", "error invalid_search_filter: Invalid filter at character 3: missing a name or value"},
    {"42",
     "error invalid_search_filter: Invalid value type for `filter`: expected an array or a "
     "string",
     true},
    {R"([42])",
     "error invalid_search_filter: Invalid value type for `filter`: expected strings "
     "or arrays of strings",
     true},
    {R"([[["genres = horror"]]])",
     "error invalid_search_filter: Invalid value type for "
     "`filter`: arrays may nest once, of strings",
     true},
    {"[\"genres = horror\"", "error bad_request: not JSON", true},
};

// How the builder reads our facets: the FacetFilters it builds, rendered, or its error.
std::string built(const std::string& expression) {
    rapidjson::Document doc;
    doc.SetString(expression.data(), static_cast<rapidjson::SizeType>(expression.size()),
                  doc.GetAllocator());
    bool nothing = false;
    try {
        const kb::FacetFilters f =
            kb::http::meili::build_filters(doc, nothing, kb::http::meili::Budget::of(2000));
        std::string out;
        for (const auto& [sign, selection] : {std::pair{"+", &f.include}, {"-", &f.exclude}})
            for (const auto& [facet, ids] : *selection) {
                out += std::string(sign) + kb::facet_name(facet) + "[";
                for (std::size_t i = 0; i < ids.size(); ++i)
                    out += (i ? "," : "") + ids[i];
                out += "] ";
            }
        if (f.year_from || f.year_to)
            out += "year " + std::to_string(f.year_from) + ".." + std::to_string(f.year_to) + " ";
        return out + (nothing ? "nothing" : "");
    } catch (const kb::Error& e) {
        return "error " + e.code() + ": " + e.message();
    }
}

const std::vector<Case> kBuilt = {
    {"country = SN", "+country[SN] "},
    {"country = SN OR country = ML", "+country[SN,ML] "},
    {"country IN [SN, ML] AND country = SN", "+country[SN] "},
    {"country != SN", "-country[SN] "},
    {"NOT (country = SN OR country = ML)", "-country[SN,ML] "},
    {"year >= 2010 AND year < 2015", "year 2010..2014 "},
    {"year 2010 TO 2012", "year 2010..2012 "},
    {"NOT year > 2012", "year 0..2012 "},
    {"year > 2015 AND year < 2010", "year 2016..2009 nothing"},
    {"country IN []", "+country[] nothing"},
    {"genres = horror", "error invalid_search_filter: Attribute `genres` is not filterable. "
                        "Available filterable attributes are: theme, actor, country, region, "
                        "type, year, place.lvl0, place.lvl1."},
    // Region > country: place.lvl0 filters a primary region, place.lvl1 its countries.
    {"place.lvl0 = \"Afrique de l'Ouest\"", "+region[afrique-de-l-ouest] "},
    {"place.lvl1 = \"Afrique de l'Ouest > Sénégal\" OR place.lvl1 = \"Afrique de l'Ouest > Mali\"",
     "+country[SN,ML] "},
    {"place.lvl1 != \"Afrique de l'Ouest > SN\"", "-country[SN] "},
    {"place.lvl1 = \"Europe de l'Ouest > Sénégal\"",
     "error unknown_facet_value: unknown place.lvl1 'Europe de l'Ouest > Sénégal' (see "
     "facetDistribution of place.lvl1 for its values)"},
    {"place.lvl1 = Sénégal", "error unknown_facet_value: unknown place.lvl1 'Sénégal' (see "
                             "facetDistribution of place.lvl1 for its values)"},
    {"place.lvl0 = Sahel", "error unknown_facet_value: unknown place.lvl0 'Sahel' (see "
                           "facetDistribution of place.lvl0 for its values)"},
    {"place.lvl0 = \"Afrique de l'Ouest\" OR place.lvl1 = \"Afrique de l'Ouest > Mali\"",
     "error invalid_search_filter: Unsupported filter: OR across facets (region, country)"},
    {"country = SN OR year = 2010",
     "error invalid_search_filter: Unsupported filter: OR across facets (country, year)"},
    {"NOT (country = SN AND year = 2010)",
     "error invalid_search_filter: Unsupported filter: NOT over an AND of several conditions"},
    {"country > SN", "error invalid_search_filter: Unsupported filter: comparison (>) on "
                     "'country'; only year is numeric"},
    {"NOT year 2010 TO 2012",
     "error invalid_search_filter: Unsupported filter: NOT over a TO range"},
    {"year = 20", "error invalid_search_filter: year must be a year (4 digits), got `20`"},
    {"country = Atlantis", "error unknown_facet_value: unknown country 'Atlantis'"},
};

void check(const std::string& got, const Case& c) {
    const std::string expected = c.expected;
    if (expected.rfind("error ", 0) == 0)
        BOOST_TEST(got.rfind(expected, 0) == 0, c.filter << " gave " << got);
    else
        BOOST_TEST(got == expected, c.filter);
}

} // namespace

BOOST_DATA_TEST_CASE(documentation_examples, bdata::make(kDocumentationExamples), c) {
    check(outcome(c.filter, c.json), c);
}

BOOST_DATA_TEST_CASE(malformed_filters, bdata::make(kMalformed), c) {
    check(outcome(c.filter, c.json), c);
}

BOOST_DATA_TEST_CASE(built_filters, bdata::make(kBuilt), c) { check(built(c.filter), c); }

BOOST_AUTO_TEST_CASE(caps_are_errors_not_trees) {
    std::string deep(kb::http::kMaxFilterDepth + 1, '(');
    deep += "country = SN" + std::string(kb::http::kMaxFilterDepth + 1, ')');
    BOOST_TEST(outcome(deep, false).find("levels") != std::string::npos);
    std::string many = "a = b";
    for (std::size_t i = 0; i < kb::http::kMaxFilterClauses; ++i)
        many += " OR a = b";
    BOOST_TEST(outcome(many, false).find("conditions") != std::string::npos);
}
