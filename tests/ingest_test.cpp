#define BOOST_TEST_MODULE ingest
#include "indexer/readers/charset.h"
#include "indexer/readers/html_reader.h"
#include "indexer/readers/office_reader.h"
#include "indexer/readers/pdf_reader.h"
#include "indexer/readers/source_reader.h"
#include "indexer/readers/text_cleanup.h"
#include "tests/test_support.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <utility>
#include <vector>

using kb::Record;
namespace fs = std::filesystem;

namespace {

struct Collected {
    std::vector<Record> records;
    std::vector<kb::ReadProblem> problems;
    kb::ReadSink sink() {
        return {[this](Record&& r) { records.push_back(std::move(r)); },
                [this](kb::ReadProblem&& p) { problems.push_back(std::move(p)); }};
    }
};

// Reads one file written into a fresh folder; exactly one record or one problem comes back.
Collected read_one(const std::string& name, const std::string& content) {
    kb::test::TempDir dir;
    kb::test::write_file(dir.path() / name, content);
    Collected c;
    kb::read_source(dir.path() / name, dir.path(), c.sink());
    BOOST_TEST(c.records.size() + c.problems.size() == 1u);
    return c;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// ---- HTML fixtures: the body of seeds 000 and 002 inside the chrome of the site they come
// from (banner, menu, share bar, "Agenda" and "Actualités" side bars, footer). ---------------

const std::string kSeed000Title =
    "Le rayonnement au service de l’attractivité : quelle place pour les villes moyennes ?";
const std::vector<std::string> kSeed000Body = {
    "Dans le contexte de la réforme administrative liée à la mise en œuvre des lois Maptam et "
    "NOTRe, la nouvelle répartition des compétences a eu un fort impact sur les différentes "
    "politiques publiques des territoires. En l’occurrence, l’affirmation des régions et des "
    "métropoles en matière économique et d’attractivité du territoire a été confortée, ainsi "
    "que leur engagement sur la scène internationale.",
    "De manière concomitante, il a été constaté que les dépenses de l’Aide publique au "
    "développement (APD) des villes de moins de 100 000 habitants ont baissé au cours de la "
    "dernière décennie, dans un contexte d’augmentation globale de cette aide des collectivités "
    "territoriales françaises.",
    "L’objectif est de mieux comprendre les nouvelles pratiques en gestation, en s’inspirant de "
    "cas pratiques rencontrés sur le terrain. Pour s’éloigner de toute logique de repli sur soi "
    "territorial et du risque de l’isolement, de nombreuses villes moyennes veulent privilégier "
    "leurs relations internationales pour en faire un outil d’affirmation sur la carte du monde.",
    "Cette conférence aura vocation à faire un état des lieux et à préciser les tendances "
    "observées pour les initiatives innovantes. Elle cherchera surtout à appréhender l’avenir "
    "de l’action internationale de ces territoires qui sont en recherche de pistes innovantes "
    "et de stratégies renouvelées.",
};

const std::string kSiteChrome_top = R"(
<div id="entete">
  <div class="logo"><a href="/">Cités Unies France – Site Web de la coopération décentralisée</a></div>
  <div class="slogan">Le portail de la coopération décentralisée</div>
</div>
<div id="menu"><ul>
  <li><a href="/">Accueil</a></li><li><a href="/pays">Pays</a></li>
  <li><a href="/thematiques">Thématiques</a></li><li><a href="/publications">Publications</a></li>
  <li><a href="/agenda">Agenda</a></li><li><a href="/contact">Contact</a></li>
</ul></div>
)";

const std::string kSiteChrome_bottom = R"(
<div class="partage"><a href="#fb">Facebook</a> <a href="#tw">twitter</a> <a href="#print">Imprimer</a></div>
<div class="colonne">
  <h3>Agenda</h3>
  <ul>
    <li><a href="/a1"><span>4</span> <span>avr</span> Réunion du groupe-pays Sénégal, le 4 avril 2024</a></li>
    <li><a href="/a2"><span>4</span> <span>avr</span> Réunion du groupe-pays Liban, le 4 avril 2024</a></li>
    <li><a href="/a3"><span>12</span> <span>avr</span> CUF : Chroniques géopolitiques : Saison 4 : 6e session d’échange</a></li>
  </ul>
  <h3>Actualités</h3>
  <ul>
    <li><img src="x.png" alt="image par defaut"><a href="/n1">Communiqué de Cités Unies France sur la situation à Gaza et en Cisjordanie, du 27 mars 2024</a></li>
    <li><a href="/n2">CUF : Actualisation 2024 du « Répertoire des partenariats de coopération décentralisée franco-japonais »</a></li>
  </ul>
  <h3>Centre de ressources</h3>
  <ul><li><a href="/t">Texte</a></li><li><a href="/p">Photo</a></li><li><a href="/s">Son</a></li><li><a href="/v">Vidéo</a></li></ul>
</div>
<div id="pied">
  <p><a href="/mentions">Mentions légales</a> | <a href="/plan">Plan du site</a> | <a href="/contact">Contact</a></p>
  <p>© Cités Unies France 2024 – 9 rue Christiani, 75018 Paris</p>
</div>
)";

std::string seed000_page() {
    std::string html = R"(<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>)" + kSeed000Title +
                       R"(</title>
<meta name="description" content="Programme des conférences de Cités Unies France">
<meta name="author" content="Cités Unies France">
<meta name="DC.publisher" content="Cités Unies France">
<meta name="DC.date" content="3 octobre 2017">
<meta property="og:site_name" content="Cités Unies France">
<meta property="og:url" content="https://cites-unies-france.example/rayonnement">
<script>var menu = "Agenda Facebook";</script>
<style>.partage { color: red }</style>
</head>
<body>
)" + kSiteChrome_top +
                       R"(
<div id="contenu">
  <div class="rubrique">Programme des conférences</div>
  <h1>)" + kSeed000Title +
                       "</h1>\n";
    for (const auto& p : kSeed000Body)
        html += "  <p>" + p + "</p>\n";
    html += R"(  <ul>
    <li>Dans quelles mesures les relations internationales et l’attractivité peuvent être véritablement des opportunités de développement local ?</li>
    <li>Comment ces villes peuvent-elles mieux utiliser l’aide des réseaux existants ?</li>
  </ul>
  <p class="date">Publié le 3 octobre 2017</p>
</div>
)" + kSiteChrome_bottom +
            "</body>\n</html>\n";
    return html;
}

const std::vector<std::string> kSeed002Body = {
    "France urbaine et l’Institut National des Etudes Territoriales (INET) publient une étude "
    "sur la place et le rôle de l’action internationale des grandes villes, agglomérations et "
    "métropoles durant le mandat 2020-2026.",
    "Si l’ouverture des villes à l’international n’est pas nouvelle, leur rôle et leur influence "
    "sont grandissants et aujourd’hui pleinement reconnus. Le renouvellement des équipes "
    "municipales, intercommunales et métropolitaines offre une occasion unique de réinterroger "
    "la manière dont les acteurs français agissent au niveau mondial.",
    "France urbaine et l’INET ont pu compter sur l’appui d’un comité de pilotage composé de "
    "représentants du ministère de l’Europe et des Affaires étrangères, de l’Agence Française de "
    "Développement (AFD), de Cités-Unies France, ainsi que d’élus et techniciens.",
    "Quelques chiffres clés :",
    "10 440 partenariats sont actuellement en cours",
};

// Seed 002's page prints its body twice (the teaser and the full article).
std::string seed002_page() {
    std::string html = "<!DOCTYPE html><html lang=\"fr-FR\"><head><meta charset=\"utf-8\">"
                       "<meta property=\"og:title\" content=\"L’action internationale des "
                       "grandes villes\"><meta property=\"article:published_time\" "
                       "content=\"2021-04-14T08:30:00+02:00\"></head><body>" +
                       kSiteChrome_top + "<div class=\"article\">";
    for (int copy = 0; copy < 2; ++copy)
        for (const auto& p : kSeed002Body)
            html += "<p>" + p + "</p>\n";
    html += "<h3>Dans la même rubrique</h3><ul>"
            "<li><a href=\"/c1\">Circ. - Déclaration 2025 de l'Aide publique au développement "
            "(APD) des collectivités territoriales</a></li>"
            "<li><a href=\"/c2\">JORF - Commission d'évaluation de l'aide publique au "
            "développement - Conditions de mise en œuvre</a></li></ul></div>" +
            kSiteChrome_bottom + "</body></html>";
    return html;
}

// ---- PDF: two pages of Helvetica text, an Info dictionary, an xref computed here. --------

std::string pdf_document(const std::vector<std::string>& page_streams, const std::string& info,
                         const std::string& extra_trailer = "",
                         const std::string& extra_object = "") {
    std::vector<std::string> objects; // object n is objects[n - 1]
    const std::size_t pages = page_streams.size();
    const std::size_t font = 3 + 2 * pages, info_obj = font + 1;
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    std::string kids;
    for (std::size_t i = 0; i < pages; ++i)
        kids += std::to_string(3 + 2 * i) + " 0 R ";
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) +
                      " >>");
    for (std::size_t i = 0; i < pages; ++i) {
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << "
                          "/Font << /F1 " +
                          std::to_string(font) + " 0 R >> >> /Contents " +
                          std::to_string(4 + 2 * i) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(page_streams[i].size()) + " >>\nstream\n" +
                          page_streams[i] + "\nendstream");
    }
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                      "/Encoding /WinAnsiEncoding >>");
    objects.push_back(info);
    if (!extra_object.empty())
        objects.push_back(extra_object);

    return kb::test::pdf_file(objects, info_obj, extra_trailer);
}

std::string text_stream(const std::vector<std::string>& lines) {
    std::string s = "BT /F1 12 Tf 14 TL 72 760 Td";
    for (const auto& l : lines)
        s += " (" + l + ") Tj T*";
    return s + " ET";
}

const std::string kPdfInfo = "<< /Title (Villes moyennes et attractivit\\351) "
                             "/Author (Cit\\351s Unies France) "
                             "/CreationDate (D:20171003091500+02'00') >>";

std::string two_page_pdf() {
    return pdf_document(
        {text_stream({"Programme des conf\\351rences", "Le rayonnement au service de la ville"}),
         text_stream({"Seconde page : coop\\351ration d\\351centralis\\351e"})},
        kPdfInfo);
}

// ---- DOCX / ODT built with Poco::Zip ---------------------------------------------------

std::string zip(const std::vector<std::pair<std::string, std::string>>& entries,
                bool store_first = false) {
    std::ostringstream out(std::ios::binary);
    Poco::Zip::Compress compress(out, true);
    bool first = true;
    for (const auto& [name, data] : entries) {
        std::istringstream in(data, std::ios::binary);
        compress.addFile(in, Poco::DateTime(2024, 1, 1), Poco::Path(name, Poco::Path::PATH_UNIX),
                         store_first && first ? Poco::Zip::ZipCommon::CM_STORE
                                              : Poco::Zip::ZipCommon::CM_DEFLATE);
        first = false;
    }
    compress.close();
    return out.str();
}

const std::string kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

std::string docx(const std::string& document_xml_body) {
    return zip({
        {"[Content_Types].xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>)"},
        {"word/document.xml", R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                              "<w:document xmlns:w=\"" +
                                  kWordNs + "\"><w:body>" + document_xml_body +
                                  "</w:body></w:document>"},
        {"docProps/core.xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Vade-mecum de l’action extérieure</dc:title><dc:creator>Délégation pour l’action extérieure des collectivités territoriales</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2019-05-02T10:00:00Z</dcterms:created></cp:coreProperties>)"},
    });
}

const std::string kDocxBody =
    "<w:p><w:pPr><w:pStyle w:val=\"Titre1\"/></w:pPr><w:r><w:t>Introduction</w:t></w:r></w:p>"
    "<w:p><w:r><w:t xml:space=\"preserve\">La coopération </w:t></w:r><w:r><w:rPr><w:b/>"
    "</w:rPr><w:t>décentralisée</w:t></w:r><w:r><w:t xml:space=\"preserve\"> associe des "
    "collectivités françaises et étrangères.</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Budget</w:t><w:tab/><w:t>4 700 €</w:t><w:br/><w:t>Ligne suivante"
    "</w:t></w:r></w:p>"
    "<w:p/>"
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cellule &amp; tableau</w:t></w:r></w:p></w:tc></w:tr>"
    "</w:tbl>";

std::string odt() {
    const std::string text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    const std::string office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    return zip(
        {
            {"mimetype", "application/vnd.oasis.opendocument.text"},
            {"content.xml",
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"" +
                 office_ns + "\" xmlns:text=\"" + text_ns +
                 "\"><office:body><office:text>"
                 "<text:h text:outline-level=\"1\">Jumelages franco-allemands</text:h>"
                 "<text:p>Les <text:span>jumelages</text:span> entre communes<text:s "
                 "text:c=\"3\"/>datent de 1950.</text:p>"
                 "<text:p>Colonne A<text:tab/>Colonne B<text:line-break/>Suite</text:p>"
                 "<text:p><office:annotation><text:p>commentaire caché</text:p>"
                 "</office:annotation>Texte après la note.</text:p>"
                 "</office:text></office:body></office:document-content>"},
            {"meta.xml",
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-meta xmlns:office=\"" +
                 office_ns +
                 "\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                 "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"><office:meta>"
                 "<dc:title>Les jumelages</dc:title><meta:initial-creator>AFCCRE"
                 "</meta:initial-creator><dc:creator>Autre</dc:creator>"
                 "<meta:creation-date>2016-11-22T10:30:00</meta:creation-date>"
                 "</office:meta></office:document-meta>"},
        },
        true);
}

} // namespace

BOOST_AUTO_TEST_SUITE(cleanup)

BOOST_AUTO_TEST_CASE(duplicate_paragraphs_are_kept_once_short_ones_always) {
    const std::string long_a = "Un paragraphe assez long pour compter comme contenu répété.";
    const std::string text = "Titre\n\n" + long_a + "\n\nSommaire\n\n" + long_a +
                             "\n\nSommaire\n\n  Un paragraphe   assez long pour compter comme\n"
                             "contenu répété.\n\nFin du texte, différente du reste.";
    BOOST_TEST(kb::remove_duplicate_paragraphs(text) ==
               "Titre\n\n" + long_a +
                   "\n\nSommaire\n\nSommaire\n\nFin du texte, différente "
                   "du reste.");
    const std::string unique = "A\n\nB\n  \nC\n";
    BOOST_TEST(kb::remove_duplicate_paragraphs(unique) == unique);
    BOOST_TEST(kb::remove_duplicate_paragraphs("") == "");
}

const std::vector<std::string> kDateInputs = {"2017-10-03T09:00:00+02:00",
                                              "2017",
                                              "2017-10",
                                              "2017/10/3",
                                              "20171003",
                                              "D:20171003091500+02'00'",
                                              "03/10/2017",
                                              "3 octobre 2017",
                                              "1er mars 2020",
                                              "mardi 3 octobre 2017",
                                              "février 2019",
                                              "October 3, 2017",
                                              "hier",
                                              "2017-13-01",
                                              ""};
const std::vector<std::string> kDateOutputs = {
    "2017-10-03", "2017",       "2017-10",    "2017-10-03", "2017-10-03",
    "2017-10-03", "2017-10-03", "2017-10-03", "2020-03-01", "2017-10-03",
    "2019-02",    "2017-10-03", "",           "",           ""};

BOOST_DATA_TEST_CASE(dates_are_normalised_to_iso_8601,
                     boost::unit_test::data::make(kDateInputs) ^
                         boost::unit_test::data::make(kDateOutputs),
                     input, expected) {
    BOOST_TEST(kb::normalize_date(input) == expected);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(html)

BOOST_AUTO_TEST_CASE(body_is_extracted_without_the_site_chrome) {
    const Collected c = read_one("cuf/rayonnement.html", seed000_page());
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    const Record& r = c.records[0];
    BOOST_TEST(r.id == "cuf/rayonnement.html");
    BOOST_TEST(r.title == kSeed000Title);
    BOOST_TEST(r.date == "2017-10-03");
    BOOST_TEST(r.language == "fr");
    BOOST_TEST(r.publisher == "Cités Unies France");
    BOOST_TEST(r.url == "https://cites-unies-france.example/rayonnement");
    BOOST_TEST(r.metadata.at("site") == "Cités Unies France");
    BOOST_TEST(r.metadata.at("author") == "Cités Unies France");
    BOOST_TEST(r.metadata.at("description") == "Programme des conférences de Cités Unies France");
    for (const auto& p : kSeed000Body)
        BOOST_TEST(contains(r.text, p), p);
    BOOST_TEST(contains(r.text, "\n\n" + kSeed000Body[1] + "\n\n"));
    BOOST_TEST(contains(r.text, "opportunités de développement local ?"));
    for (const char* chrome : {"Agenda", "Facebook", "Imprimer", "Actualités", "Sénégal",
                               "Mentions légales", "Accueil", "Vidéo", "75018", "var menu"})
        BOOST_TEST(!contains(r.text, chrome), chrome);
}

BOOST_AUTO_TEST_CASE(semantic_chrome_and_aria_roles_are_dropped) {
    std::string html = "<!doctype html><html lang=fr><head><title>T</title></head><body>"
                       "<header><h1>Cités Unies France</h1></header>"
                       "<nav><a href=/>Accueil</a> <a href=/agenda>Agenda</a></nav>"
                       "<div role=\"banner\">Bannière du site</div>"
                       "<main><article><header><h1>L’article lui-même</h1></header>";
    for (const auto& p : kSeed000Body)
        html += "<p>" + p + "</p>";
    html += "</article></main><aside><h2>Agenda</h2><p>Réunion du groupe-pays Liban, le 4 avril "
            "2024, à Paris, au siège de l’association et en visioconférence pour les membres "
            "qui le souhaitent.</p></aside><div role=complementary>Complément</div>"
            "<form><label>Newsletter</label><input></form>"
            "<footer>Facebook twitter Imprimer</footer></body></html>";
    const Record r = kb::parse_html(html, "x.html");
    BOOST_TEST(r.text.rfind("L’article lui-même\n\n" + kSeed000Body[0], 0) == 0, r.text);
    for (const char* chrome :
         {"Agenda", "Facebook", "Bannière", "Complément", "Newsletter", "Accueil", "Liban"})
        BOOST_TEST(!contains(r.text, chrome), chrome);
}

BOOST_AUTO_TEST_CASE(data_kb_body_and_data_kb_ignore_are_respected) {
    const std::string html =
        "<html><body><div>Un long texte hors du corps marqué, qui ressemble pourtant beaucoup à "
        "du contenu : il a des phrases, des mots de la langue et assez de longueur pour passer."
        "</div><div data-kb-body><h2>Court</h2><p>Bref.</p><ul><li><a href=/x>Lien gardé</a></li>"
        "</ul><p data-kb-ignore>Note à ignorer</p></div><section data-kb-body><p>Deuxième "
        "partie.</p></section></body></html>";
    const Record r = kb::parse_html(html, "x.html");
    BOOST_TEST(r.text == "Court\n\nBref.\n\nLien gardé\n\nDeuxième partie.");

    std::string page = seed000_page();
    page.replace(page.find("<p>Dans le contexte"), 3, "<p data-kb-ignore>");
    const Record ignored = kb::parse_html(page, "y.html");
    BOOST_TEST(!contains(ignored.text, "Maptam"));
    BOOST_TEST(contains(ignored.text, kSeed000Body[1]));
}

BOOST_AUTO_TEST_CASE(a_body_printed_twice_is_kept_once) {
    const Collected c = read_one("franceurbaine/etude.htm", seed002_page());
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    const Record& r = c.records[0];
    BOOST_TEST(r.title == "L’action internationale des grandes villes");
    BOOST_TEST(r.date == "2021-04-14");
    BOOST_TEST(r.language == "fr-FR");
    for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(count(r.text, kSeed002Body[i]) == 1u);
    BOOST_TEST(!contains(r.text, "Déclaration 2025"));
    BOOST_TEST(!contains(r.text, "Agenda"));
}

BOOST_AUTO_TEST_CASE(title_falls_back_to_og_title_then_h1_and_entities_are_decoded) {
    const Record og = kb::parse_html("<html><head><meta property=\"og:title\" content=\"OG "
                                     "&amp; titre\"></head><body><h1>H1</h1></body></html>",
                                     "a.html");
    BOOST_TEST(og.title == "OG & titre");
    const Record h1 = kb::parse_html(
        "<html><head><meta name=\"DCTERMS.created\" content=\"2016\"><meta name=\"DC.language\" "
        "content=\"fr\"><meta name=\"DC.creator\" content=\"CUF\"></head><body><h1>Coop&eacute;"
        "ration&nbsp;d&#233;centralis&#xE9;e</h1><p>x</p></body></html>",
        "b.html");
    BOOST_TEST(h1.title == "Coopération\u00A0décentralisée");
    BOOST_TEST(h1.date == "2016");
    BOOST_TEST(h1.language == "fr");
    BOOST_TEST(h1.metadata.at("author") == "CUF");
}

BOOST_AUTO_TEST_CASE(windows_1252_page_with_meta_charset_is_decoded) {
    const std::string html =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
        "<title>C\xf4te d\x92Ivoire</title></head><body><div data-kb-body><p>La coop\xe9ration "
        "d\xe9"
        "centralis\xe9"
        "e</p></div></body></html>";
    const Record r = kb::parse_html(html, "ci.html");
    BOOST_TEST(r.title == "Côte d’Ivoire");
    BOOST_TEST(r.text == "La coopération décentralisée");
    BOOST_TEST(r.metadata.at("encoding") == "windows-1252");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pdf)

BOOST_AUTO_TEST_CASE(two_pages_with_info_dictionary) {
    const Collected c = read_one("etudes/villes.pdf", two_page_pdf());
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    const Record& r = c.records[0];
    BOOST_TEST(r.title == "Villes moyennes et attractivité");
    BOOST_TEST(r.metadata.at("author") == "Cités Unies France");
    BOOST_TEST(r.metadata.at("pages") == "2");
    BOOST_TEST(r.date == "2017-10-03");
    const std::size_t ff = r.text.find('\f');
    BOOST_TEST_REQUIRE(ff != std::string::npos);
    BOOST_TEST(count(r.text, "\f") == 1u);
    const std::string page1 = r.text.substr(0, ff), page2 = r.text.substr(ff + 1);
    BOOST_TEST(contains(page1, "Programme des conférences"), page1);
    BOOST_TEST(contains(page1, "Le rayonnement au service de la ville"), page1);
    BOOST_TEST(page2 == "Seconde page : coopération décentralisée");
}

BOOST_AUTO_TEST_CASE(title_falls_back_to_the_first_line_of_page_one) {
    const Record r = kb::read_pdf(
        pdf_document({text_stream({"", "Premier titre", "suite"})}, "<< /Producer (test) >>"),
        "a.pdf");
    BOOST_TEST(r.title == "Premier titre");
    BOOST_TEST(r.date == "");
}

BOOST_AUTO_TEST_CASE(pdf_found_by_its_content_whatever_the_extension) {
    const Collected c = read_one("rapport.txt", two_page_pdf());
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    BOOST_TEST(c.records[0].metadata.at("pages") == "2");
}

BOOST_AUTO_TEST_CASE(encrypted_truncated_empty_and_textless_pdfs_are_problems) {
    const std::string encrypt = "<< /Filter /Standard /V 1 /R 2 /P -44 /O <" +
                                std::string(64, 'a') + "> /U <" + std::string(64, 'b') + "> >>";
    // The encryption dictionary is the object after Info: 3 + 2*1 pages + 2 = 7.
    const std::string encrypted =
        pdf_document({text_stream({"secret"})}, kPdfInfo,
                     "/Encrypt 7 0 R /ID [<0123456789abcdef0123456789abcdef>"
                     "<0123456789abcdef0123456789abcdef>] ",
                     encrypt);
    const std::string pdf = two_page_pdf();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {encrypted, "encrypted PDF"},
        {pdf.substr(0, 60), "not a readable PDF"},
        {"", "not a readable PDF: empty file"},
        {"%PDF-1.4\n garbage garbage\n", "not a readable PDF"},
        {pdf_document({"BT ET"}, kPdfInfo), "no text layer (scanned PDF?)"},
    };
    for (const auto& [content, reason] : cases) {
        const Collected c = read_one("bad.pdf", content);
        BOOST_TEST_REQUIRE(c.problems.size() == 1u);
        BOOST_TEST(c.problems[0].reason.rfind(reason, 0) == 0, c.problems[0].reason);
        BOOST_TEST(c.problems[0].line == 0u);
    }
    // Any truncation of a valid file is a record or a problem, never a crash.
    for (std::size_t n = 0; n < pdf.size(); n += 7) {
        Collected c;
        kb::test::TempDir dir;
        kb::test::write_file(dir.path() / "t.pdf", pdf.substr(0, n));
        kb::read_source(dir.path() / "t.pdf", dir.path(), c.sink());
        BOOST_TEST(c.records.size() + c.problems.size() == 1u);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(office)

BOOST_AUTO_TEST_CASE(docx_paragraphs_and_core_properties) {
    const Collected c = read_one("vade-mecum.docx", docx(kDocxBody));
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    const Record& r = c.records[0];
    BOOST_TEST(r.title == "Vade-mecum de l’action extérieure");
    BOOST_TEST(r.metadata.at("author") ==
               "Délégation pour l’action extérieure des collectivités territoriales");
    BOOST_TEST(r.date == "2019-05-02");
    BOOST_TEST(r.text == "Introduction\n\n"
                         "La coopération décentralisée associe des collectivités françaises et "
                         "étrangères.\n\n"
                         "Budget\t4 700 €\nLigne suivante\n\n"
                         "Cellule & tableau");
}

BOOST_AUTO_TEST_CASE(odt_paragraphs_and_meta) {
    const std::string file = odt();
    BOOST_TEST((kb::sniff_zip(file) == kb::ZipKind::Odt));
    const Collected c = read_one("jumelages.odt", file);
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    const Record& r = c.records[0];
    BOOST_TEST(r.title == "Les jumelages");
    BOOST_TEST(r.metadata.at("author") == "AFCCRE");
    BOOST_TEST(r.date == "2016-11-22");
    BOOST_TEST(r.text == "Jumelages franco-allemands\n\n"
                         "Les jumelages entre communes   datent de 1950.\n\n"
                         "Colonne A\tColonne B\nSuite\n\n"
                         "Texte après la note.");
}

BOOST_AUTO_TEST_CASE(office_files_found_by_content_and_damaged_ones_are_problems) {
    const std::string file = docx(kDocxBody);
    BOOST_TEST((kb::sniff_zip(file) == kb::ZipKind::Docx));
    const Collected renamed = read_one("document-sans-extension.odt", file);
    BOOST_TEST_REQUIRE(renamed.records.size() == 1u);
    BOOST_TEST(renamed.records[0].date == "2019-05-02");

    const Collected truncated = read_one("coupe.docx", file.substr(0, file.size() / 2));
    BOOST_TEST_REQUIRE(truncated.problems.size() == 1u);
    BOOST_TEST(!truncated.problems[0].reason.empty());

    const Collected other = read_one("archive.docx", zip({{"a.txt", "x"}}));
    BOOST_TEST_REQUIRE(other.problems.size() == 1u);
    BOOST_TEST(other.problems[0].reason == "not a Word document: no word/document.xml");

    const Collected bad_xml = read_one("x.docx", zip({{"word/document.xml", "<w:document"}}));
    BOOST_TEST_REQUIRE(bad_xml.problems.size() == 1u);
    BOOST_TEST(contains(bad_xml.problems[0].reason, "not well-formed XML"));

    // Every truncation of a valid file is a record or a problem, never a crash.
    for (std::size_t n = 0; n < file.size(); n += 11) {
        kb::test::TempDir dir;
        kb::test::write_file(dir.path() / "t.docx", file.substr(0, n));
        Collected c;
        kb::read_source(dir.path() / "t.docx", dir.path(), c.sink());
        BOOST_TEST(c.records.size() + c.problems.size() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(zip_bomb_entries_are_refused) {
    const std::string bomb = zip({{"word/document.xml", std::string(65 * 1024 * 1024, ' ')}});
    BOOST_TEST(bomb.size() < 1024u * 1024u);
    const Collected c = read_one("bomb.docx", bomb);
    BOOST_TEST_REQUIRE(c.problems.size() == 1u);
    BOOST_TEST(contains(c.problems[0].reason, "64 MiB"), c.problems[0].reason);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(plain_text)

BOOST_AUTO_TEST_CASE(windows_1252_text_becomes_utf8) {
    const Collected c = read_one("ci.txt", "C\xf4te d\x92Ivoire\n\nLa coop\xe9ration "
                                           "d\xe9"
                                           "centralis\xe9"
                                           "e avec la r\xe9gion \x96 \x80 "
                                           "2017.\n");
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    BOOST_TEST(c.records[0].title == "Côte d’Ivoire");
    BOOST_TEST(c.records[0].text == "La coopération décentralisée avec la région – € 2017.");
    BOOST_TEST(c.records[0].metadata.at("encoding") == "windows-1252");
}

BOOST_AUTO_TEST_CASE(latin1_and_utf8_text) {
    const kb::DecodedText latin = kb::to_utf8("Les collectivit\xe9s fran\xe7"
                                              "aises et leurs partenaires \xe0 l'\xe9tranger");
    BOOST_TEST(latin.text == "Les collectivités françaises et leurs partenaires à l'étranger");
    BOOST_TEST((latin.encoding == "ISO-8859-1" || latin.encoding == "windows-1252" ||
                latin.encoding == "ISO-8859-15"),
               latin.encoding);
    const kb::DecodedText utf8 = kb::to_utf8("\xEF\xBB\xBF"
                                             "déjà UTF-8");
    BOOST_TEST(utf8.text == "déjà UTF-8");
    BOOST_TEST(utf8.encoding == "UTF-8");
    const kb::DecodedText utf16 = kb::to_utf8(std::string("\xFF\xFEO\0K\0", 6));
    BOOST_TEST(utf16.text == "OK");

    const Collected plain = read_one("u.txt", "Titre\n\nCorps en UTF-8 : é");
    BOOST_TEST_REQUIRE(plain.records.size() == 1u);
    BOOST_TEST(plain.records[0].metadata.count("encoding") == 0u);
}

BOOST_AUTO_TEST_CASE(binary_junk_with_a_text_extension_is_a_problem) {
    std::string junk = "MZ\x90";
    for (int i = 0; i < 300; ++i)
        junk += static_cast<char>(i * 37 % 256);
    for (const char* name : {"junk.txt", "junk.md", "junk.html"}) {
        const Collected c = read_one(name, junk);
        BOOST_TEST_REQUIRE(c.problems.size() == 1u);
        BOOST_TEST(c.problems[0].reason == "binary file, not text");
    }
}

BOOST_AUTO_TEST_CASE(html_found_by_content_in_a_txt_file) {
    const Collected c = read_one("page.txt", "\xEF\xBB\xBF  \n<!DOCTYPE HTML><html><head><title>"
                                             "Une page</title></head><body><p>x</p></body>"
                                             "</html>");
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    BOOST_TEST(c.records[0].title == "Une page");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(listing)

BOOST_AUTO_TEST_CASE(new_formats_are_listed) {
    kb::test::TempDir dir;
    for (const char* name :
         {"a.html", "b.htm", "c.pdf", "d.docx", "e.odt", "f.txt", "g.xlsx", "h.zip", "README.md"})
        kb::test::write_file(dir.path() / name, "x");
    std::vector<std::string> names;
    for (const auto& f : kb::list_sources(dir.path()))
        names.push_back(f.filename().string());
    const std::vector<std::string> expected = {"a.html", "b.htm", "c.pdf",
                                               "d.docx", "e.odt", "f.txt"};
    BOOST_TEST(names == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
