#include "indexer/remote/sitemap.h"

#include "core/error.h"
#include "indexer/remote/remote_fetcher.h"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/URI.h>

#include <set>

namespace kb {

namespace {

// Collects the text of <loc> elements directly inside <url> (urlset) or <sitemap> (index).
class SitemapHandler : public Poco::XML::DefaultHandler {
public:
    Sitemap sitemap;
    std::string root;

    void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& localName,
                      const Poco::XML::XMLString& qname, const Poco::XML::Attributes&) override {
        // Nothing is thrown from here: the callbacks run inside expat's C code.
        std::string name = localName.empty() ? qname : localName;
        if (path_.empty()) {
            root = name;
            root_namespace_ = uri;
            sitemap.is_index = name == "sitemapindex";
        } else if (uri != root_namespace_) {
            name = "{" + uri + "}" + name; // an extension's element (image:loc, news:…)
        }
        path_.push_back(name);
        if (in_loc())
            text_.clear();
    }

    void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                    const Poco::XML::XMLString&) override {
        if (in_loc()) {
            const auto first = text_.find_first_not_of(" \t\r\n");
            if (first != std::string::npos)
                sitemap.locations.push_back(
                    text_.substr(first, text_.find_last_not_of(" \t\r\n") - first + 1));
        }
        path_.pop_back();
    }

    void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
        if (in_loc())
            text_.append(ch + start, static_cast<std::size_t>(length));
    }

private:
    bool in_loc() const {
        return path_.size() == 3 && path_[2] == "loc" &&
               path_[0] == (sitemap.is_index ? "sitemapindex" : "urlset") &&
               path_[1] == (sitemap.is_index ? "sitemap" : "url");
    }

    std::vector<std::string> path_;
    std::string root_namespace_;
    std::string text_;
};

bool is_http_url(const std::string& url) {
    try {
        const Poco::URI uri(url);
        return (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty();
    } catch (const Poco::Exception&) {
        return false;
    }
}

void read_level(RemoteFetcher& fetcher, const std::string& url, int depth,
                std::set<std::string>& seen_sitemaps, std::set<std::string>& seen_pages,
                const std::function<void(const std::string&)>& on_page,
                const std::function<void(ReadProblem&&)>& on_problem) {
    Sitemap sitemap;
    try {
        // Gzipped sitemaps (application/x-gzip) are not read.
        const FetchedDocument doc =
            fetcher.fetch(url, {"application/xml", "text/xml", "application/rss+xml"});
        sitemap = parse_sitemap(doc.body);
    } catch (const std::exception& e) {
        on_problem({url, 0, std::string("sitemap: ") + e.what()});
        return;
    }
    if (sitemap.is_index && depth == kMaxSitemapDepth) {
        on_problem({url, 0,
                    "sitemap: index nested more than " + std::to_string(kMaxSitemapDepth) +
                        " levels deep, not followed"});
        return;
    }
    for (const std::string& loc : sitemap.locations) {
        if (!is_http_url(loc)) {
            on_problem({url, 0, "sitemap: not an http(s) URL: " + loc});
            continue;
        }
        if (sitemap.is_index) {
            if (seen_sitemaps.insert(loc).second)
                read_level(fetcher, loc, depth + 1, seen_sitemaps, seen_pages, on_page, on_problem);
        } else if (seen_pages.insert(loc).second) {
            on_page(loc);
        }
    }
}

} // namespace

Sitemap parse_sitemap(std::string_view xml) {
    SitemapHandler handler;
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    // No external entity is ever loaded (XXE): a sitemap is data from someone else's server.
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    parser.setContentHandler(&handler);
    try {
        parser.parseMemoryNP(xml.data(), xml.size());
    } catch (const Poco::Exception& e) {
        throw Error(ErrorKind::InvalidRequest, "malformed_sitemap",
                    "malformed XML (" + e.displayText() + ")");
    }
    if (handler.root.empty())
        throw Error(ErrorKind::InvalidRequest, "malformed_sitemap", "empty sitemap");
    if (handler.root != "urlset" && handler.root != "sitemapindex")
        throw Error(ErrorKind::InvalidRequest, "not_a_sitemap",
                    "not a sitemap (root element <" + handler.root + ">)");
    return std::move(handler.sitemap);
}

void read_sitemap(RemoteFetcher& fetcher, const std::string& url,
                  const std::function<void(const std::string&)>& on_page,
                  const std::function<void(ReadProblem&&)>& on_problem) {
    std::set<std::string> seen_sitemaps = {url}, seen_pages;
    read_level(fetcher, url, 1, seen_sitemaps, seen_pages, on_page, on_problem);
}

} // namespace kb
