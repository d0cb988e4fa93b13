#include "indexer/remote/remote_sources.h"

#include "indexer/remote/sitemap.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cstring>
#include <fstream>
#include <set>

namespace kb {

namespace {

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first == std::string::npos)
        return "";
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string http_url_problem(const std::string& url) {
    try {
        const Poco::URI uri(url);
        if (uri.getScheme() != "http" && uri.getScheme() != "https")
            return "not an http(s) URL: " + url;
        if (uri.getHost().empty())
            return "URL without a host: " + url;
    } catch (const Poco::Exception& e) {
        return "malformed URL " + url + " (" + e.message() + ")";
    }
    return "";
}

} // namespace

std::vector<std::string> read_url_list(const std::string& file,
                                       const std::function<void(ReadProblem&&)>& on_problem) {
    std::vector<std::string> urls;
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        on_problem({file, 0, std::string("cannot open URL list: ") + std::strerror(errno)});
        return urls;
    }
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        const std::string url = trimmed(line);
        if (url.empty() || url[0] == '#')
            continue;
        if (std::string problem = http_url_problem(url); !problem.empty())
            on_problem({file, number, std::move(problem)});
        else
            urls.push_back(url);
    }
    return urls;
}

void read_remote_sources(const RemoteSources& sources, const FetchOptions& options,
                         const ReadSink& sink, std::ostream* log) {
    RemoteFetcher fetcher(options);
    std::set<std::string> done;
    const auto read_page = [&](const std::string& url) {
        if (!done.insert(url).second)
            return;
        if (log)
            *log << "fetching " << url << "\n";
        fetcher.read_url(url, sink);
    };
    for (const std::string& file : sources.url_files)
        for (const std::string& url : read_url_list(file, sink.on_problem))
            read_page(url);
    for (const std::string& sitemap : sources.sitemaps)
        read_sitemap(fetcher, sitemap, read_page, sink.on_problem);
}

} // namespace kb
