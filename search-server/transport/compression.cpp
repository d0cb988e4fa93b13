#include "search-server/transport/compression.h"

#include "core/ascii.h"
#include "core/trim.h"

#include <Poco/DeflatingStream.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace kb::http {
namespace {

std::pair<std::string, std::string>* find_header(Response& r, std::string_view name) {
    for (auto& h : r.headers)
        if (ascii_lower(h.first) == ascii_lower(name))
            return &h;
    return nullptr;
}

} // namespace

void vary_on_encoding(Response& response) {
    if (auto* vary = find_header(response, "Vary")) {
        if (ascii_lower(vary->second).find("accept-encoding") == std::string::npos)
            vary->second += ", Accept-Encoding";
    } else {
        response.headers.emplace_back("Vary", "Accept-Encoding");
    }
}

bool accepts_gzip(std::string_view accept_encoding) {
    // RFC 9110 §12.5.3: codings separated by commas, each with an optional ";q=" weight.
    const std::string value = ascii_lower(accept_encoding);
    std::string_view rest = value;
    bool star = false, gzip_listed = false, gzip_ok = false;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        double q = 1;
        if (const std::size_t semi = item.find(';'); semi != std::string_view::npos) {
            std::string_view params = trim(item.substr(semi + 1));
            item = trim(item.substr(0, semi));
            if (params.rfind("q=", 0) == 0) {
                try {
                    q = std::stod(std::string(params.substr(2)));
                } catch (...) {
                    q = 0; // a weight that does not parse accepts nothing
                }
            }
        }
        if (item == "gzip" || item == "x-gzip") {
            gzip_listed = true;
            gzip_ok = q > 0;
        } else if (item == "*") {
            star = q > 0;
        }
    }
    return gzip_listed ? gzip_ok : star;
}

std::string gzip(std::string_view data) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflate.write(data.data(), static_cast<std::streamsize>(data.size()));
    deflate.close();
    return out.str();
}

bool compressible(std::string_view content_type) {
    const std::string type = ascii_lower(content_type.substr(0, content_type.find(';')));
    return type.rfind("text/", 0) == 0 || type == "application/json" ||
           type == "application/javascript" || type == "image/svg+xml" ||
           type.find("+json") != std::string::npos || type.find("+xml") != std::string::npos ||
           type == "application/xml";
}

void compress_for(const Request& request, Response& response) {
    if (response.status < 200 || response.status == 204 || response.status == 304 ||
        !compressible(response.content_type) || find_header(response, "Content-Encoding"))
        return;
    if (response.body.size() < kMinCompressedBytes)
        return;
    // From here the answer depends on Accept-Encoding, compressed or not: caches must know.
    vary_on_encoding(response);
    if (!accepts_gzip(request.header("accept-encoding")))
        return;
    response.body = gzip(response.body);
    response.headers.emplace_back("Content-Encoding", "gzip");
}

} // namespace kb::http
