#include "search-server/transport/static_files.h"

#include "core/error.h"
#include "search-server/transport/compression.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace kb::http {

StaticFiles::StaticFiles(const std::string& web_root) {
    struct Entry {
        const char* url;
        const char* file;
        const char* type;
    };
    static const Entry entries[] = {
        {"/", "index.html", "text/html; charset=utf-8"},
        {"/web/app.js", "app.js", "text/javascript; charset=utf-8"},
        {"/web/js/access.js", "js/access.js", "text/javascript; charset=utf-8"},
        {"/web/js/api.js", "js/api.js", "text/javascript; charset=utf-8"},
        {"/web/js/charts.js", "js/charts.js", "text/javascript; charset=utf-8"},
        {"/web/js/document.js", "js/document.js", "text/javascript; charset=utf-8"},
        {"/web/js/errors.js", "js/errors.js", "text/javascript; charset=utf-8"},
        {"/web/js/explain.js", "js/explain.js", "text/javascript; charset=utf-8"},
        {"/web/js/dom.js", "js/dom.js", "text/javascript; charset=utf-8"},
        {"/web/js/facets.js", "js/facets.js", "text/javascript; charset=utf-8"},
        {"/web/js/fields.js", "js/fields.js", "text/javascript; charset=utf-8"},
        {"/web/js/filters.js", "js/filters.js", "text/javascript; charset=utf-8"},
        {"/web/js/format.js", "js/format.js", "text/javascript; charset=utf-8"},
        {"/web/js/results.js", "js/results.js", "text/javascript; charset=utf-8"},
        {"/web/js/selection.js", "js/selection.js", "text/javascript; charset=utf-8"},
        {"/web/js/state.js", "js/state.js", "text/javascript; charset=utf-8"},
        {"/web/js/suggest.js", "js/suggest.js", "text/javascript; charset=utf-8"},
        {"/web/style.css", "style.css", "text/css; charset=utf-8"},
    };
    // The widget partners embed is one file; its sources are parts of one function scope,
    // joined in this order (head.js opens the function, results.js closes it).
    static const char* const widget_parts[] = {"widget/head.js",    "widget/style.js",
                                               "widget/helpers.js", "widget/element.js",
                                               "widget/suggest.js", "widget/results.js"};
    for (const Entry& e : entries)
        add(e.url, e.type, read_file(web_root, e.file));
    std::string widget;
    for (const char* part : widget_parts)
        widget += read_file(web_root, part) + "\n";
    add("/widget.js", "text/javascript; charset=utf-8", std::move(widget));
}

std::string StaticFiles::read_file(const std::string& web_root, const char* name) {
    const std::string path = web_root + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Internal, "web_root_missing",
                    "cannot read " + path + " (set --web-root to the web/ folder)");
    std::ostringstream body;
    body << in.rdbuf();
    return body.str();
}

void StaticFiles::add(const std::string& url, const char* content_type, std::string body) {
    File& file = files_[url];
    file.content_type = content_type;
    file.body = std::move(body);
    file.gzipped = gzip(file.body);
    // FNV-1a of the content: a new release of the page changes it, a restart does not.
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : file.body)
        hash = (hash ^ c) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    file.etag = std::string("\"") + hex + "\"";
}

const StaticFiles::File* StaticFiles::find(const std::string& url_path) const {
    auto it = files_.find(url_path == "/index.html" ? "/" : url_path);
    return it == files_.end() ? nullptr : &it->second;
}

} // namespace kb::http
