#pragma once

// The files ingest_test.cpp reads, made in memory: HTML pages shaped like the seeds' sites, PDFs
// with their xref tables, and DOCX/ODT/PPTX/ODP/EPUB archives.

#include "tests/test_support.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace kb::test {

// ---- HTML fixtures: the body of seeds 000 and 002 inside the chrome of the site they come
// from (banner, menu, share bar, "Agenda" and "Actualités" side bars, footer). ---------------

inline const std::string kSeed000Title =
    "Le rayonnement au service de l’attractivité : quelle place pour les villes moyennes ?";
inline const std::vector<std::string> kSeed000Body = {
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

inline const std::string kSiteChrome_top = R"(
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

inline const std::string kSiteChrome_bottom = R"(
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

inline std::string seed000_page() {
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

// Paragraphs split over several literals are in parentheses: one element each, on purpose.
inline const std::vector<std::string> kSeed002Body = {
    ("France urbaine et l’Institut National des Etudes Territoriales (INET) publient une étude "
     "sur la place et le rôle de l’action internationale des grandes villes, agglomérations et "
     "métropoles durant le mandat 2020-2026."),
    ("Si l’ouverture des villes à l’international n’est pas nouvelle, leur rôle et leur influence "
     "sont grandissants et aujourd’hui pleinement reconnus. Le renouvellement des équipes "
     "municipales, intercommunales et métropolitaines offre une occasion unique de réinterroger "
     "la manière dont les acteurs français agissent au niveau mondial."),
    ("France urbaine et l’INET ont pu compter sur l’appui d’un comité de pilotage composé de "
     "représentants du ministère de l’Europe et des Affaires étrangères, de l’Agence Française de "
     "Développement (AFD), de Cités-Unies France, ainsi que d’élus et techniciens."),
    "Quelques chiffres clés :",
    "10 440 partenariats sont actuellement en cours",
};

// Seed 002's page prints its body twice (the teaser and the full article).
inline std::string seed002_page() {
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

inline std::string pdf_document(const std::vector<std::string>& page_streams,
                                const std::string& info, const std::string& extra_trailer = "",
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

inline std::string text_stream(const std::vector<std::string>& lines) {
    std::string s = "BT /F1 12 Tf 14 TL 72 760 Td";
    for (const auto& l : lines)
        s += " (" + l + ") Tj T*";
    return s + " ET";
}

inline const std::string kPdfInfo = "<< /Title (Villes moyennes et attractivit\\351) "
                                    "/Author (Cit\\351s Unies France) "
                                    "/CreationDate (D:20171003091500+02'00') >>";

inline std::string two_page_pdf() {
    return pdf_document(
        {text_stream({"Programme des conf\\351rences", "Le rayonnement au service de la ville"}),
         text_stream({"Seconde page : coop\\351ration d\\351centralis\\351e"})},
        kPdfInfo);
}

// ---- DOCX / ODT built with Poco::Zip ---------------------------------------------------

inline std::string zip(const std::vector<std::pair<std::string, std::string>>& entries,
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

inline const std::string kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

inline std::string docx(const std::string& document_xml_body) {
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

inline const std::string kDocxBody =
    "<w:p><w:pPr><w:pStyle w:val=\"Titre1\"/></w:pPr><w:r><w:t>Introduction</w:t></w:r></w:p>"
    "<w:p><w:r><w:t xml:space=\"preserve\">La coopération </w:t></w:r><w:r><w:rPr><w:b/>"
    "</w:rPr><w:t>décentralisée</w:t></w:r><w:r><w:t xml:space=\"preserve\"> associe des "
    "collectivités françaises et étrangères.</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Budget</w:t><w:tab/><w:t>4 700 €</w:t><w:br/><w:t>Ligne suivante"
    "</w:t></w:r></w:p>"
    "<w:p/>"
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cellule &amp; tableau</w:t></w:r></w:p></w:tc></w:tr>"
    "</w:tbl>";

inline std::string odt() {
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

// ---- PPTX / ODP / EPUB built with Poco::Zip --------------------------------------------

inline const std::string kPresentationNs =
    "http://schemas.openxmlformats.org/presentationml/2006/main";
inline const std::string kDrawingNs = "http://schemas.openxmlformats.org/drawingml/2006/main";
inline const std::string kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
inline const std::string kPackageRelNs =
    "http://schemas.openxmlformats.org/package/2006/relationships";

// A slide (or notes) part whose shape holds `paragraphs_xml` (a:p elements).
inline std::string pptx_part(const std::string& root, const std::string& paragraphs_xml) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><p:" + root +
           " xmlns:a=\"" + kDrawingNs + "\" xmlns:p=\"" + kPresentationNs + "\" xmlns:r=\"" +
           kRelNs + "\"><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>" + paragraphs_xml +
           "</p:txBody></p:sp></p:spTree></p:cSld></p:" + root + ">";
}

inline std::string a_p(const std::string& runs) { return "<a:p>" + runs + "</a:p>"; }
inline std::string a_r(const std::string& text) {
    return "<a:r><a:rPr lang=\"fr-FR\"/><a:t>" + text + "</a:t></a:r>";
}

// Three slides. presentation.xml lists them as slide3.xml, slide1.xml, slide2.xml (a deck
// whose last slide was moved first), and the archive holds them in yet another order. Slide
// 3 (shown first) has speaker notes.
inline std::string pptx() {
    const std::string rels_head =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" + kPackageRelNs + "\">";
    const std::string slide_type = kRelNs + "/slide";
    return zip({
        {"[Content_Types].xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>)"},
        {"ppt/slides/slide2.xml",
         pptx_part("sld", a_p(a_r("Financements")) + a_p(a_r("AFD ") + a_r("et FICOL")) +
                              a_p("<a:fld type=\"slidenum\"><a:t>3</a:t></a:fld>"))},
        {"ppt/presentation.xml",
         "<?xml version=\"1.0\"?><p:presentation xmlns:p=\"" + kPresentationNs + "\" xmlns:r=\"" +
             kRelNs +
             "\"><p:sldIdLst><p:sldId id=\"258\" r:id=\"rId4\"/><p:sldId id=\"256\" "
             "r:id=\"rId2\"/><p:sldId id=\"257\" r:id=\"rId3\"/></p:sldIdLst></p:presentation>"},
        {"ppt/_rels/presentation.xml.rels",
         rels_head + "<Relationship Id=\"rId1\" Type=\"" + kRelNs +
             "/slideMaster\" Target=\"slideMasters/slideMaster1.xml\"/><Relationship "
             "Id=\"rId2\" Type=\"" +
             slide_type + "\" Target=\"slides/slide1.xml\"/><Relationship Id=\"rId3\" Type=\"" +
             slide_type + "\" Target=\"slides/slide2.xml\"/><Relationship Id=\"rId4\" Type=\"" +
             slide_type + "\" Target=\"/ppt/slides/slide3.xml\"/></Relationships>"},
        {"ppt/slides/slide3.xml",
         pptx_part("sld", a_p(a_r("Coopération décentralisée")) +
                              a_p(a_r("Jumelages") + "<a:br/>" + a_r("et partenariats")))},
        {"ppt/slides/_rels/slide3.xml.rels",
         rels_head + "<Relationship Id=\"rId1\" Type=\"" + kRelNs +
             "/notesSlide\" Target=\"../notesSlides/notesSlide1.xml\"/></Relationships>"},
        {"ppt/notesSlides/notesSlide1.xml",
         pptx_part("notes", a_p(a_r("Rappeler la loi Thiollière de 2007.")))},
        {"ppt/slides/slide1.xml", pptx_part("sld", a_p(a_r("Les acteurs")))},
        {"docProps/core.xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Atelier coopération</dc:title><dc:creator>Cités Unies France</dc:creator><dcterms:created>2023-06-15T09:00:00Z</dcterms:created></cp:coreProperties>)"},
    });
}

inline std::string odp() {
    const std::string text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    const std::string office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    const std::string draw_ns = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
    const std::string pres_ns = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0";
    return zip(
        {
            {"mimetype", "application/vnd.oasis.opendocument.presentation"},
            {"content.xml",
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"" +
                 office_ns + "\" xmlns:text=\"" + text_ns + "\" xmlns:draw=\"" + draw_ns +
                 "\" xmlns:presentation=\"" + pres_ns +
                 "\"><office:body><office:presentation>"
                 "<draw:page draw:name=\"p1\"><draw:frame><draw:text-box><text:p>Programme "
                 "Euro-Méditerranée</text:p></draw:text-box></draw:frame></draw:page>"
                 "<draw:page draw:name=\"p2\"><draw:frame><draw:text-box><text:list>"
                 "<text:list-item><text:p>Eau et assainissement</text:p></text:list-item>"
                 "<text:list-item><text:p>Gestion des déchets</text:p></text:list-item>"
                 "</text:list></draw:text-box></draw:frame><presentation:notes><draw:frame>"
                 "<draw:text-box><text:p>Citer le 1 % eau.</text:p></draw:text-box>"
                 "</draw:frame></presentation:notes></draw:page>"
                 "</office:presentation></office:body></office:document-content>"},
            {"meta.xml",
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-meta xmlns:office=\"" +
                 office_ns +
                 "\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                 "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"><office:meta>"
                 "<dc:title>Coopération en Méditerranée</dc:title><meta:initial-creator>"
                 "Région Sud</meta:initial-creator><meta:creation-date>2022-03-01T10:00:00"
                 "</meta:creation-date></office:meta></office:document-meta>"},
        },
        true);
}

inline std::string xhtml_chapter(const std::string& body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE html><html "
           "xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">"
           "<head><title>Titre de fichier</title><style>p { color: red }</style></head><body>" +
           body + "</body></html>";
}

// An EPUB 3 book of two chapters: the archive holds chapter 2 before chapter 1, the manifest
// lists them in that order too, only the spine says chapter 1 comes first. The navigation
// document is in the spine as EPUB 3 allows. `extra` entries are added at the end.
inline std::string epub(const std::vector<std::pair<std::string, std::string>>& extra = {},
                        bool with_chapter1 = true) {
    std::vector<std::pair<std::string, std::string>> entries = {
        {"mimetype", "application/epub+zip"},
        {"META-INF/container.xml",
         R"(<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>)"},
        {"OEBPS/Text/chapitre 2.xhtml",
         xhtml_chapter("<h1>Chapitre 2 : les financements</h1><p>Le FICOL soutient les "
                       "collectivités.</p><table><tr><td>AFD</td><td>2024</td></tr></table>")},
        {"OEBPS/content.opf",
         R"(<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>Guide de l’action internationale</dc:title><dc:creator>Anne Martin</dc:creator><dc:creator>Paul Durand</dc:creator><dc:date>2021-09-30</dc:date><dc:language>fr</dc:language><dc:publisher>Cités Unies France</dc:publisher></metadata><manifest><item id="c2" href="Text/chapitre%202.xhtml" media-type="application/xhtml+xml"/><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/><item id="c1" href="Text/chapitre1.xhtml#debut" media-type="application/xhtml+xml"/><item id="css" href="style.css" media-type="text/css"/></manifest><spine><itemref idref="nav"/><itemref idref="c1"/><itemref idref="c2"/></spine></package>)"},
        {"OEBPS/nav.xhtml",
         xhtml_chapter("<nav epub:type=\"toc\"><ol><li>Chapitre 1</li><li>Chapitre 2</li></ol>"
                       "</nav>")},
        {"OEBPS/style.css", "p { margin: 0 }"},
    };
    if (with_chapter1)
        entries.emplace_back("OEBPS/Text/chapitre1.xhtml",
                             xhtml_chapter("<h1>Chapitre 1 : pourquoi coopérer</h1><p>Les "
                                           "collectivités&nbsp;françaises coopèrent<br/>depuis "
                                           "1950.</p><script>var x = 1;</script>"));
    entries.insert(entries.end(), extra.begin(), extra.end());
    return zip(entries, true);
}

} // namespace kb::test
