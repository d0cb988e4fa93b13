#pragma once

// The site remote_test.cpp fetches from: its pages, PDF, sitemaps and robots.txt, served by a
// Poco HTTP server on a loopback port that records what was asked of it.

#include "tests/test_support.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kb::test {

// ---- Fixtures served by the test site ------------------------------------------------------

inline const std::string kPageTitle = "Villes moyennes et action internationale";

// A page shaped like a real one: banner and menu, the article, a side bar and a footer.
inline const std::string kPage = R"(<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>)" + kPageTitle + R"(</title>
<link rel="canonical" href="https://villes.example/villes-moyennes">
</head>
<body>
<header><div class="logo"><a href="/">Réseau des villes moyennes</a></div>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/agenda">Agenda</a></li>
<li><a href="/publications">Publications</a></li><li><a href="/contact">Contact</a></li></ul></nav>
</header>
<main><article>
<h1>)" + kPageTitle + R"(</h1>
<p>Dans le contexte de la réforme administrative, la nouvelle répartition des compétences a eu
un fort impact sur les politiques publiques des territoires et sur leur engagement sur la scène
internationale, notamment pour la coopération décentralisée.</p>
<p>De nombreuses villes moyennes veulent privilégier leurs relations internationales pour en
faire un outil d’affirmation sur la carte du monde, en s’inspirant de cas pratiques rencontrés
sur le terrain par les collectivités et leurs partenaires.</p>
</article></main>
<aside><h3>Agenda</h3><ul><li><a href="/a1">Réunion du groupe-pays Sénégal</a></li></ul></aside>
<footer><p><a href="/mentions">Mentions légales</a> | © Réseau des villes moyennes 2024</p></footer>
</body>
</html>
)";

inline std::string small_page(const std::string& title) {
    return "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + title +
           "</title></head><body><main><p>Une page du site de test sur la coopération "
           "décentralisée entre collectivités territoriales françaises et leurs "
           "partenaires.</p></main></body></html>";
}

// A one-page PDF built by hand, as tests/ingest_test.cpp does: Helvetica text, an Info
// dictionary and an xref table computed here.
inline std::string pdf_document(const std::string& page_stream, const std::string& info) {
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        std::string("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font ") +
            "<< /F1 5 0 R >> >> /Contents 4 0 R >>",
        "<< /Length " + std::to_string(page_stream.size()) + " >>\nstream\n" + page_stream +
            "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        info,
    };
    return kb::test::pdf_file(objects, 6);
}

inline const std::string kPdf =
    pdf_document("BT /F1 12 Tf 14 TL 72 760 Td (Rapport sur la coop\\351ration d\\351centralis"
                 "\\351e) Tj T* (Jumelages et partenariats des villes moyennes) Tj T* ET",
                 "<< /Title (Rapport annuel des jumelages) /Author (R\\351seau) >>");

inline constexpr std::size_t kCap = std::size_t{64} * 1024;

inline const std::string kSitemap = R"(<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>BASE/page.html</loc><lastmod>2024-04-01</lastmod></url>
  <url><loc> BASE/rapport.pdf </loc></url>
  <url><loc>BASE/missing</loc></url>
  <url><loc>BASE/private/x</loc></url>
  <url><loc>BASE/page.html</loc></url>
  <url><loc>ftp://files.example/a.pdf</loc></url>
</urlset>
)";

enum class RobotsMode { Rules, Missing, ServerError };

// A web site on a loopback port, in this process, that records what was asked of it.
class TestSite {
public:
    explicit TestSite(RobotsMode robots = RobotsMode::Rules)
        : robots_(robots), socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          server_(new Factory(*this), socket_, make_params()) {
        server_.start();
        base_ = "http://127.0.0.1:" + std::to_string(socket_.address().port());
    }
    ~TestSite() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        stopping_cv_.notify_all();
        server_.stopAll(true);
    }
    TestSite(const TestSite&) = delete;
    TestSite& operator=(const TestSite&) = delete;

    std::string url(const std::string& path) const { return base_ + path; }
    const std::string& base() const { return base_; }

    int hits(const std::string& path) const {
        std::lock_guard lock(mutex_);
        auto it = hits_.find(path);
        return it == hits_.end() ? 0 : it->second;
    }
    std::string last_user_agent() const {
        std::lock_guard lock(mutex_);
        return user_agent_;
    }

private:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(TestSite& site) : site_(site) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) override {
            site_.serve(request, response);
        }

    private:
        TestSite& site_;
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(TestSite& site) : site_(site) {}
        Poco::Net::HTTPRequestHandler*
        createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(site_);
        }

    private:
        TestSite& site_;
    };

    static Poco::Net::HTTPServerParams::Ptr make_params() {
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(8);
        return params;
    }

    static void send(Poco::Net::HTTPServerResponse& response, int status, const std::string& type,
                     const std::string& body) {
        response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        if (!type.empty())
            response.setContentType(type);
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }

    static void redirect(Poco::Net::HTTPServerResponse& response, const std::string& location) {
        response.set("Location", location);
        send(response, 302, "text/html", "<a href=\"" + location + "\">moved</a>");
    }

    void serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
        const std::string path = Poco::URI(request.getURI()).getPath();
        int hit = 0;
        {
            std::lock_guard lock(mutex_);
            hit = ++hits_[path];
            user_agent_ = request.get("User-Agent", "");
        }
        const std::string html = "text/html; charset=utf-8";
        if (path == "/robots.txt") {
            if (robots_ == RobotsMode::Missing)
                return send(response, 404, "text/plain", "");
            if (robots_ == RobotsMode::ServerError)
                return send(response, 503, "text/plain", "maintenance");
            return send(response, 200, "text/plain",
                        "# test site\n"
                        "User-agent: SomeOtherBot\n"
                        "Disallow: /\n"
                        "\n"
                        "User-agent: *\n"
                        "Disallow: /private/\n"
                        "Allow: /private/public-page\n");
        }
        if (path == "/page.html")
            return send(response, 200, html, kPage);
        if (path == "/notes.txt")
            return send(response, 200, "text/plain; charset=utf-8",
                        "Notes de terrain\n\nLes jumelages franco-allemands restent les plus "
                        "nombreux parmi les partenariats des communes.\n");
        if (path == "/rapport.pdf")
            return send(response, 200, "application/pdf", kPdf);
        if (path == "/missing")
            return send(response, 404, html, "<h1>Introuvable</h1>");
        if (path == "/down")
            return send(response, 503, html, "<h1>Maintenance</h1>");
        if (path == "/flaky") {
            if (hit == 1)
                return send(response, 500, html, "<h1>Erreur</h1>");
            return send(response, 200, html, small_page("Page instable"));
        }
        if (path == "/slow") {
            // Longer than the fetch timeout; cut short when the site shuts down.
            std::unique_lock lock(mutex_);
            stopping_cv_.wait_for(lock, std::chrono::seconds(4), [this] { return stopping_; });
            lock.unlock();
            return send(response, 200, html, small_page("Page lente"));
        }
        if (path == "/huge") { // chunked: the size is only known by reading
            response.setChunkedTransferEncoding(true);
            response.setContentType("text/plain");
            std::ostream& out = response.send();
            const std::string line(1023, 'a');
            for (std::size_t sent = 0; sent < 2 * kCap && out; sent += 1024)
                out << line << "\n";
            return;
        }
        if (path == "/huge-declared")
            return send(response, 200, "text/plain", std::string(2 * kCap, 'b'));
        if (path == "/loop")
            return redirect(response, "/loop");
        if (path == "/redirect")
            return redirect(response, "/page.html");
        if (path == "/redirect-chain/1")
            return redirect(response, url("/redirect-chain/2"));
        if (path == "/redirect-chain/2")
            return redirect(response, "/redirect");
        if (path == "/redirect-to-private")
            return redirect(response, "/private/x");
        if (path.rfind("/hops/", 0) == 0) { // /hops/N redirects to /hops/N+1, endlessly
            return redirect(response, "/hops/" + std::to_string(std::stoi(path.substr(6)) + 1));
        }
        if (path == "/private/x" || path == "/private/public-page")
            return send(response, 200, html, small_page("Page privée"));
        if (path == "/image.png")
            return send(response, 200, "image/png", "\x89PNG\r\n\x1a\n");
        if (path == "/sitemap.xml") {
            std::string xml = kSitemap;
            for (std::size_t at; (at = xml.find("BASE")) != std::string::npos;)
                xml.replace(at, 4, base_);
            return send(response, 200, "application/xml", xml);
        }
        if (path == "/sitemap-index.xml") { // lists itself and a missing sitemap, too
            std::string xml =
                "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">";
            for (const char* listed : {"/sitemap.xml", "/sitemap-index.xml", "/missing"})
                xml += "<sitemap><loc>" + url(listed) + "</loc></sitemap>";
            return send(response, 200, "text/xml; charset=utf-8", xml + "</sitemapindex>");
        }
        if (path.rfind("/nested-", 0) == 0) { // /nested-N.xml is an index of /nested-N+1.xml
            const int n = std::stoi(path.substr(8));
            return send(response, 200, "application/xml",
                        "<sitemapindex><sitemap><loc>" +
                            url("/nested-" + std::to_string(n + 1) + ".xml") +
                            "</loc></sitemap></sitemapindex>");
        }
        send(response, 404, html, "<h1>Introuvable</h1>");
    }

    RobotsMode robots_;
    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPServer server_;
    std::string base_;
    mutable std::mutex mutex_;
    std::condition_variable stopping_cv_;
    bool stopping_ = false;
    std::map<std::string, int> hits_;
    std::string user_agent_;
};

} // namespace kb::test
