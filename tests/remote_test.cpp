#define BOOST_TEST_MODULE remote
#include "core/error.h"
#include "indexer/remote/remote_fetcher.h"
#include "indexer/remote/remote_sources.h"
#include "indexer/remote/robots.h"
#include "indexer/remote/sitemap.h"
#include "tests/e2e_support.h"
#include "tests/reader_support.h"
#include "tests/remote_site.h"
#include "tests/test_support.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <map>
#include <mutex>
#include <ostream>

using kb::Record;
using namespace kb::test;
namespace bdata = boost::unit_test::data;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Fast settings for tests: a 1 s timeout, a 64 KiB cap, retries 10 ms then 20 ms apart.
kb::FetchOptions test_options() {
    kb::FetchOptions options;
    options.timeout = std::chrono::seconds(1);
    options.max_bytes = kCap;
    options.retry_delay = std::chrono::milliseconds(10);
    return options;
}

// Fetches one URL; exactly one record or one problem comes back.
Collected read_one(kb::RemoteFetcher& fetcher, const std::string& url) {
    Collected c;
    fetcher.read_url(url, c.sink());
    BOOST_TEST(c.records.size() + c.problems.size() == 1u);
    return c;
}

struct SiteFixture {
    TestSite site;
    kb::RemoteFetcher fetcher{test_options()};
};

} // namespace

// ---- Pages -----------------------------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(pages, SiteFixture)

BOOST_AUTO_TEST_CASE(html_page_is_read_with_its_url_title_and_body_without_the_chrome) {
    const Collected c = read_one(fetcher, site.url("/page.html"));
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    const Record& r = c.records[0];
    BOOST_TEST(r.id == site.url("/page.html"));
    BOOST_TEST(r.url == site.url("/page.html"));
    BOOST_TEST(r.source_file == site.url("/page.html"));
    BOOST_TEST(r.title == kPageTitle);
    BOOST_TEST(r.language == "fr");
    BOOST_TEST(contains(r.text, "la nouvelle répartition des compétences"));
    BOOST_TEST(contains(r.text, "sur la carte du monde"));
    BOOST_TEST(!contains(r.text, "Accueil"));
    BOOST_TEST(!contains(r.text, "Mentions légales"));
    // The page's canonical URL is kept aside; the record points where the page was found.
    BOOST_TEST(r.metadata.at("canonical_url") == "https://villes.example/villes-moyennes");
    BOOST_TEST(site.last_user_agent() ==
               "Passerelle/0.1 (+https://github.com/passerelle; indexer)");
}

BOOST_AUTO_TEST_CASE(pdf_text_is_read) {
    const Collected c = read_one(fetcher, site.url("/rapport.pdf"));
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    const Record& r = c.records[0];
    BOOST_TEST(r.title == "Rapport annuel des jumelages");
    BOOST_TEST(r.url == site.url("/rapport.pdf"));
    BOOST_TEST(contains(r.text, "Rapport sur la coopération décentralisée"));
    BOOST_TEST(contains(r.text, "Jumelages et partenariats des villes moyennes"));
}

BOOST_AUTO_TEST_CASE(plain_text_is_read) {
    const Collected c = read_one(fetcher, site.url("/notes.txt"));
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    BOOST_TEST(contains(c.records[0].text, "jumelages franco-allemands"));
}

BOOST_AUTO_TEST_CASE(redirects_are_followed_and_the_final_url_recorded) {
    for (const std::string start : {"/redirect", "/redirect-chain/1"}) {
        const Collected c = read_one(fetcher, site.url(start));
        BOOST_TEST_REQUIRE(c.records.size() == 1u);
        BOOST_TEST(c.records[0].url == site.url("/page.html"));
        BOOST_TEST(c.records[0].id == site.url("/page.html"));
        BOOST_TEST(c.records[0].source_file == site.url(start));
        BOOST_TEST(c.records[0].title == kPageTitle);
    }
}

BOOST_AUTO_TEST_CASE(a_500_then_200_succeeds_after_one_retry) {
    const Collected c = read_one(fetcher, site.url("/flaky"));
    BOOST_TEST_REQUIRE(c.records.size() == 1u);
    BOOST_TEST(c.records[0].title == "Page instable");
    BOOST_TEST(site.hits("/flaky") == 2);
}

struct FailureCase {
    const char* path;
    const char* reason;
};
std::ostream& operator<<(std::ostream& out, const FailureCase& c) { return out << c.path; }

const FailureCase kFailures[] = {
    {"/missing", "HTTP 404 Not Found"},
    {"/down", "HTTP 503 Service Unavailable (after 3 tries)"},
    {"/loop", "redirect loop: "},
    {"/hops/1", "too many redirects (more than 5)"},
    {"/slow", "timed out after 1 s"},
    {"/huge", "response over 65536 bytes"},
    {"/huge-declared", "response over 65536 bytes"},
    {"/image.png", "unsupported content type image/png"},
    {"/private/x", "disallowed by robots.txt"},
    {"/redirect-to-private", "disallowed by robots.txt"},
};

BOOST_DATA_TEST_CASE(each_failure_is_one_problem_with_the_url_and_a_clear_reason,
                     bdata::make(kFailures), c) {
    const Collected got = read_one(fetcher, site.url(c.path));
    BOOST_TEST_REQUIRE(got.problems.size() == 1u);
    BOOST_TEST(got.problems[0].path == site.url(c.path));
    BOOST_TEST(got.problems[0].line == 0u);
    BOOST_TEST(contains(got.problems[0].reason, c.reason), got.problems[0].reason);
}

BOOST_AUTO_TEST_CASE(retries_stop_after_three_tries_and_loops_after_one_round) {
    Collected c;
    fetcher.read_url(site.url("/down"), c.sink());
    fetcher.read_url(site.url("/loop"), c.sink());
    fetcher.read_url(site.url("/hops/1"), c.sink());
    BOOST_TEST(site.hits("/down") == 3);
    BOOST_TEST(site.hits("/loop") == 1);
    BOOST_TEST(site.hits("/hops/6") == 1); // five redirects followed, the sixth refused
    BOOST_TEST(site.hits("/hops/7") == 0);
}

BOOST_AUTO_TEST_CASE(robots_txt_is_fetched_once_and_forbidden_pages_are_never_requested) {
    Collected c;
    for (const char* path : {"/page.html", "/private/x", "/private/public-page", "/notes.txt"})
        fetcher.read_url(site.url(path), c.sink());
    BOOST_TEST(site.hits("/robots.txt") == 1);
    BOOST_TEST(site.hits("/private/x") == 0);
    BOOST_TEST(c.records.size() == 3u); // the longer Allow rule wins for /private/public-page
    BOOST_TEST_REQUIRE(c.problems.size() == 1u);
    BOOST_TEST(c.problems[0].to_string() == site.url("/private/x") + ": disallowed by robots.txt");
}

BOOST_AUTO_TEST_CASE(the_run_continues_after_every_failure) {
    kb::test::TempDir dir;
    const std::string list = (dir.path() / "urls.txt").string();
    std::string text = "# pages to index\n\n";
    for (const char* path : {"/missing", "/page.html", "/loop", "/slow", "/rapport.pdf", "/huge",
                             "/image.png", "/private/x", "/flaky", "/redirect"})
        text += site.url(path) + "\n";
    text += "ftp://files.example/a.pdf\n";
    kb::test::write_file(list, text);

    Collected c;
    kb::read_remote_sources({{list}, {}}, test_options(), c.sink());
    std::vector<std::string> urls;
    for (const Record& r : c.records)
        urls.push_back(r.url);
    // /redirect lands on /page.html, which is read again (same id: the index replaces it).
    const std::vector<std::string> expected = {site.url("/page.html"), site.url("/rapport.pdf"),
                                               site.url("/flaky"), site.url("/page.html")};
    BOOST_TEST(urls == expected, boost::test_tools::per_element());
    std::vector<std::string> problems;
    for (const auto& p : c.problems)
        problems.push_back(p.to_string());
    BOOST_TEST_REQUIRE(problems.size() == 7u);
    BOOST_TEST(problems[0] == list + ":13: not an http(s) URL: ftp://files.example/a.pdf");
    BOOST_TEST(problems[1] == site.url("/missing") + ": HTTP 404 Not Found");
    BOOST_TEST(contains(problems[2], site.url("/loop") + ": redirect loop"));
    BOOST_TEST(problems[3] == site.url("/slow") + ": timed out after 1 s");
    BOOST_TEST(problems[4] == site.url("/huge") + ": response over 65536 bytes");
    BOOST_TEST(problems[5] == site.url("/image.png") + ": unsupported content type image/png");
    BOOST_TEST(problems[6] == site.url("/private/x") + ": disallowed by robots.txt");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- robots.txt answers ----------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(robots)

BOOST_AUTO_TEST_CASE(a_missing_robots_txt_allows_everything) {
    TestSite site(RobotsMode::Missing);
    kb::RemoteFetcher fetcher(test_options());
    const Collected c = read_one(fetcher, site.url("/private/x"));
    BOOST_TEST(c.records.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_robots_txt_server_error_disallows_the_whole_host) {
    TestSite site(RobotsMode::ServerError);
    kb::RemoteFetcher fetcher(test_options());
    Collected c;
    fetcher.read_url(site.url("/page.html"), c.sink());
    fetcher.read_url(site.url("/notes.txt"), c.sink());
    BOOST_TEST(c.records.empty());
    BOOST_TEST_REQUIRE(c.problems.size() == 2u);
    BOOST_TEST(c.problems[0].reason ==
               "robots.txt answered HTTP 503 Service Unavailable (after 3 tries): the whole host "
               "is treated as disallowed");
    BOOST_TEST(site.hits("/page.html") == 0);
    BOOST_TEST(site.hits("/robots.txt") == 3); // retried, then remembered for the host
}

BOOST_AUTO_TEST_CASE(an_unreachable_host_is_reported_as_such) {
    kb::FetchOptions options = test_options();
    options.tries = 2;
    kb::RemoteFetcher fetcher(options);
    std::string url;
    { // a port nobody listens on any more
        TestSite gone;
        url = gone.url("/page.html");
    }
    const Collected c = read_one(fetcher, url);
    BOOST_TEST_REQUIRE(c.problems.size() == 1u);
    BOOST_TEST(contains(c.problems[0].reason, "cannot connect: "), c.problems[0].reason);
    BOOST_TEST(contains(c.problems[0].reason, "(after 2 tries)"), c.problems[0].reason);
}

struct RobotsCase {
    const char* robots;
    const char* path;
    bool allowed;
};
std::ostream& operator<<(std::ostream& out, const RobotsCase& c) { return out << c.path; }

const RobotsCase kRobotsCases[] = {
    {"User-agent: *\nDisallow: /private/\n", "/private/x", false},
    {"User-agent: *\nDisallow: /private/\n", "/privateer", true},
    {"User-agent: *\nDisallow: /private/\n", "/", true},
    {"User-agent: *\nDisallow:\n", "/anything", true},
    {"User-agent: *\nDisallow: /\n", "/robots.txt", true},
    // Longest match wins; an Allow wins a tie.
    {"User-agent: *\nDisallow: /a/\nAllow: /a/b\n", "/a/b/c", true},
    {"User-agent: *\nAllow: /a/\nDisallow: /a/b\n", "/a/b/c", false},
    {"User-agent: *\nDisallow: /a\nAllow: /a\n", "/a", true},
    // Wildcards and the end anchor.
    {"User-agent: *\nDisallow: /*.pdf$\n", "/docs/x.pdf", false},
    {"User-agent: *\nDisallow: /*.pdf$\n", "/docs/x.pdf?v=2", true},
    {"User-agent: *\nDisallow: /*?\n", "/search?q=1", false},
    // Our own group replaces the "*" one, whatever the case and version.
    {"User-agent: *\nDisallow: /\n\nUser-agent: passerelle/2\nDisallow: /tmp\n", "/page", true},
    {"User-agent: *\nDisallow: /\n\nUser-agent: Passerelle\nDisallow: /tmp\n", "/tmp/a", false},
    // Groups naming other crawlers do not apply; several agents may share a group.
    {"User-agent: OtherBot\nDisallow: /\n", "/page", true},
    {"User-agent: OtherBot\nUser-agent: Passerelle\nDisallow: /x # comment\n", "/x/y", false},
    {"user-agent:*\r\ndisallow:/X\r\n", "/X", false},
};

BOOST_DATA_TEST_CASE(rules, bdata::make(kRobotsCases), c) {
    BOOST_TEST(kb::RobotsRules::parse(c.robots, kb::kRobotsAgent).allowed(c.path) == c.allowed);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Sitemaps and URL lists ------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(sitemaps)

BOOST_AUTO_TEST_CASE(urlset_and_index_are_parsed) {
    const kb::Sitemap pages = kb::parse_sitemap(
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        "<url><loc>https://a.example/1</loc></url><url><loc>\n https://a.example/2?x=1&amp;y=2 "
        "\n</loc><image:loc xmlns:image=\"i\">https://a.example/i.png</image:loc></url></urlset>");
    BOOST_TEST(!pages.is_index);
    const std::vector<std::string> expected = {"https://a.example/1",
                                               "https://a.example/2?x=1&y=2"};
    BOOST_TEST(pages.locations == expected, boost::test_tools::per_element());
    const kb::Sitemap index = kb::parse_sitemap(
        "<sitemapindex><sitemap><loc>https://a.example/s1.xml</loc></sitemap></sitemapindex>");
    BOOST_TEST(index.is_index);
    BOOST_TEST(index.locations == std::vector<std::string>{"https://a.example/s1.xml"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(malformed_xml_and_other_documents_are_errors) {
    BOOST_CHECK_THROW(kb::parse_sitemap("<urlset><url><loc>x</url>"), kb::Error);
    BOOST_CHECK_THROW(kb::parse_sitemap(""), kb::Error);
    try {
        kb::parse_sitemap("<html><body>not found</body></html>");
        BOOST_FAIL("no error");
    } catch (const kb::Error& e) {
        BOOST_TEST(std::string(e.what()) == "not a sitemap (root element <html>)");
    }
}

BOOST_AUTO_TEST_CASE(external_entities_are_never_loaded) {
    kb::test::TempDir dir;
    kb::test::write_file(dir.path() / "secret.txt", "https://secret.example/");
    const std::string xml = "<?xml version=\"1.0\"?><!DOCTYPE urlset [<!ENTITY e SYSTEM \"file://" +
                            (dir.path() / "secret.txt").string() +
                            "\">]><urlset><url><loc>&e;</loc></url></urlset>";
    std::string locations;
    try {
        for (const auto& loc : kb::parse_sitemap(xml).locations)
            locations += loc;
    } catch (const kb::Error& e) {
        locations = e.what(); // refusing the document is fine too
    }
    BOOST_TEST(!contains(locations, "secret.example"), locations);
}

BOOST_FIXTURE_TEST_CASE(a_sitemap_yields_its_pages_once_each, SiteFixture) {
    std::vector<std::string> pages;
    std::vector<std::string> problems;
    kb::read_sitemap(
        fetcher, site.url("/sitemap-index.xml"), [&](const std::string& u) { pages.push_back(u); },
        [&](kb::ReadProblem&& p) { problems.push_back(p.to_string()); });
    const std::vector<std::string> expected = {site.url("/page.html"), site.url("/rapport.pdf"),
                                               site.url("/missing"), site.url("/private/x")};
    BOOST_TEST(pages == expected, boost::test_tools::per_element());
    const std::vector<std::string> expected_problems = {
        site.url("/sitemap.xml") + ": sitemap: not an http(s) URL: ftp://files.example/a.pdf",
        site.url("/missing") + ": sitemap: HTTP 404 Not Found"};
    BOOST_TEST(problems == expected_problems, boost::test_tools::per_element());
    BOOST_TEST(site.hits("/sitemap-index.xml") == 1); // it lists itself: read once
}

BOOST_FIXTURE_TEST_CASE(sitemap_indexes_are_followed_three_levels_deep, SiteFixture) {
    std::vector<std::string> problems;
    kb::read_sitemap(
        fetcher, site.url("/nested-1.xml"), [](const std::string&) {},
        [&](kb::ReadProblem&& p) { problems.push_back(p.to_string()); });
    BOOST_TEST(site.hits("/nested-3.xml") == 1);
    BOOST_TEST(site.hits("/nested-4.xml") == 0);
    BOOST_TEST_REQUIRE(problems.size() == 1u);
    BOOST_TEST(problems[0] == site.url("/nested-3.xml") +
                                  ": sitemap: index nested more than 3 levels deep, not followed");
}

BOOST_FIXTURE_TEST_CASE(sitemap_pages_are_fetched_and_read, SiteFixture) {
    Collected c;
    kb::read_remote_sources({{}, {site.url("/sitemap.xml")}}, test_options(), c.sink());
    BOOST_TEST(c.records.size() == 2u);
    BOOST_TEST(c.problems.size() == 3u); // ftp loc, /missing, /private/x
}

BOOST_AUTO_TEST_CASE(url_lists_skip_comments_and_blank_lines_and_refuse_other_schemes) {
    kb::test::TempDir dir;
    const std::string list = (dir.path() / "urls.txt").string();
    kb::test::write_file(list, "# comment\n\n  https://a.example/x  \r\nhttp://b.example/y\n"
                               "   # indented comment\nftp://c.example/z\nmailto:x@y.fr\n"
                               "/relative/path\n");
    std::vector<std::string> problems;
    const auto urls =
        kb::read_url_list(list, [&](kb::ReadProblem&& p) { problems.push_back(p.to_string()); });
    const std::vector<std::string> expected_urls = {"https://a.example/x", "http://b.example/y"};
    BOOST_TEST(urls == expected_urls, boost::test_tools::per_element());
    const std::vector<std::string> expected_problems = {
        list + ":6: not an http(s) URL: ftp://c.example/z",
        list + ":7: not an http(s) URL: mailto:x@y.fr",
        list + ":8: not an http(s) URL: /relative/path"};
    BOOST_TEST(problems == expected_problems, boost::test_tools::per_element());

    problems.clear();
    BOOST_TEST(kb::read_url_list((dir.path() / "none.txt").string(), [&](kb::ReadProblem&& p) {
                   problems.push_back(p.to_string());
               }).empty());
    BOOST_TEST(problems.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- The real kb-indexer ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(kb_indexer_fetches_a_url_list_and_reports_what_it_skipped) {
    TestSite site;
    kb::test::TempDir dir;
    const std::string list = (dir.path() / "urls.txt").string();
    kb::test::write_file(list, "# pages\n" + site.url("/page.html") + "\n" +
                                   site.url("/rapport.pdf") + "\n" + site.url("/missing") + "\n" +
                                   site.url("/private/x") + "\n" + site.url("/huge") + "\n" +
                                   site.url("/redirect") + "\n");
    const std::string index = (dir.path() / "index").string();
    std::string summary;
    const int status = kb::test::run_indexer(
        index, {"--urls", list, "--fetch-timeout", "1", "--max-bytes", "65536"}, &summary);
    BOOST_TEST(status == 2, summary);
    BOOST_TEST(contains(summary, "indexed 3 records"), summary);
    // /redirect lands on /page.html: same id, so still two documents.
    BOOST_TEST(contains(summary, "3 skipped; 2 documents in the index"), summary);
    BOOST_TEST(contains(summary, "skipped " + site.url("/missing") + ": HTTP 404 Not Found"));
    BOOST_TEST(contains(summary, "skipped " + site.url("/private/x") + ": disallowed by robots"));
    BOOST_TEST(contains(summary, "skipped " + site.url("/huge") + ": response over 65536 bytes"));

    // Everything fetched: exit status 0.
    kb::test::write_file(list, site.url("/notes.txt") + "\n");
    BOOST_TEST(kb::test::run_indexer(index, {"--urls", list}, &summary) == 0, summary);
    BOOST_TEST(contains(summary, "1 added"), summary);
}
