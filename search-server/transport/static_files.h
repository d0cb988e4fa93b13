#pragma once

#include <map>
#include <string>

namespace kb::http {

/// The web page's files, read once at start-up from the web root. Only the files listed here
/// are ever served, so no request path can reach the file system.
class StaticFiles {
public:
    /// Loads the page's files (index.html, app.js and its modules, style.css) and joins the
    /// widget's parts (widget/*.js) into widget.js, from `web_root`; throws kb::Error if one
    /// is missing.
    explicit StaticFiles(const std::string& web_root);

    struct File {
        std::string content_type;
        std::string body;
        std::string gzipped; ///< the body gzipped once at start-up
        std::string etag;    ///< "\"<hash of the body>\"", the same across restarts
    };
    /// The file served at this URL path ("/", "/web/app.js", ...), or nullptr.
    const File* find(const std::string& url_path) const;

private:
    static std::string read_file(const std::string& web_root, const char* name);
    void add(const std::string& url, const char* content_type, std::string body);

    std::map<std::string, File> files_;
};

} // namespace kb::http
