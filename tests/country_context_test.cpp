#define BOOST_TEST_MODULE country_context
// When a country's name is the country, and when it is part of a place, an institution or a
// person's name (core/facets/country_context, core/data/place_names.tsv).
#include "core/error.h"
#include "core/facets/country_context.h"
#include "core/facets/facet_extractor.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>

using kb::test::show;

namespace {

std::set<std::string> countries_of(const std::string& text) {
    static const kb::Analyzer analyzer;
    kb::Record r;
    r.id = "t";
    r.text = text;
    return kb::extract_facets(r, analyzer).countries;
}

} // namespace

BOOST_AUTO_TEST_CASE(hyphenated_place_names_are_not_countries) {
    BOOST_TEST(countries_of("Les communes de Saint-Maurice et de Créteil.").empty());
    BOOST_TEST(countries_of("Sevran, Stains, Tremblay-en-France, Vaujours.").empty());
    BOOST_TEST(countries_of("La région Île-de-France et la région Ile-de-France.").empty());
    BOOST_TEST(countries_of("La commune de Fort-de-France.").empty());
    BOOST_TEST(countries_of("Saint-Maurice-de-Beynost (Ain).").empty());
    // A commune named after the collectivity of Saint-Martin is not it.
    BOOST_TEST(countries_of("Bussy-Saint-Georges, Bussy-Saint-Martin, Carnetin.").empty());
}

BOOST_AUTO_TEST_CASE(hyphenated_countries_and_pairs_stay_countries) {
    // A country whose own name is hyphenated is matched whole.
    BOOST_TEST(countries_of("La collectivité de Saint-Martin.") == std::set<std::string>{"FR"});
    BOOST_TEST(countries_of("La Guinée-Bissau et la Sierra Leone.").count("GW"));
    // Two countries joined: no link word.
    const auto pair = countries_of("Le partenariat France-Sénégal.");
    BOOST_TEST(pair.count("FR"), show(pair));
    BOOST_TEST(pair.count("SN"), show(pair));
    // A lower-case compound of demonyms is no proper name.
    BOOST_TEST(countries_of("Un jumelage franco-japonais.").count("JP"));
}

BOOST_AUTO_TEST_CASE(street_district_and_building_names_are_not_countries) {
    BOOST_TEST(countries_of("Le bureau est situé rue de Madagascar, à Paris.").empty());
    BOOST_TEST(countries_of("Arrondissement du Luxembourg : 6e arrondissement.").empty());
    BOOST_TEST(countries_of("Une réception au palais du Luxembourg.").empty());
    BOOST_TEST(countries_of("Au 4, quai d'Algérie.").empty());
    // The same names as countries.
    BOOST_TEST(countries_of("Une coopération avec Madagascar.") == std::set<std::string>{"MG"});
    BOOST_TEST(countries_of("Le Luxembourg et la Belgique.").count("LU"));
    // « place » is left out on purpose: in legal prose it is a common word.
    BOOST_TEST(countries_of("La place de la France en Europe.").count("FR"));
}

BOOST_AUTO_TEST_CASE(institutions_named_after_the_country_are_not_the_country) {
    BOOST_TEST(countries_of("Un avis de la Banque de France.").empty());
    BOOST_TEST(countries_of("Électricité de France et le Collège de France.").empty());
    BOOST_TEST(countries_of("Les engagements internationaux de la France.") ==
               std::set<std::string>{"FR"});
}

BOOST_AUTO_TEST_CASE(first_names_are_persons_not_countries) {
    BOOST_TEST(countries_of("Un discours de Maurice Druon.").empty());
    BOOST_TEST(countries_of("Le rapport de M. Maurice.").empty());
    BOOST_TEST(countries_of("Un projet à Maurice, avec Port-Louis.").count("MU"));
    BOOST_TEST(countries_of("L'île Maurice et Madagascar.").count("MU"));
}

BOOST_AUTO_TEST_CASE(an_unknown_kind_in_the_data_is_an_error_naming_it) {
    const kb::Analyzer analyzer;
    BOOST_CHECK_EXCEPTION(kb::CountryContext("street\true\n", analyzer), kb::Error,
                          [](const kb::Error& e) {
                              return std::string(e.what()).find("'street'") != std::string::npos;
                          });
}
