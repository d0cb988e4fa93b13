#pragma once

#include "search-server/api/http_types.h"

#include <string>
#include <string_view>

namespace kb::http {

/// Bodies smaller than this are sent as they are: gzip's header and the CPU would cost more
/// than the bytes saved.
constexpr std::size_t kMinCompressedBytes = 1024;

/// True when an Accept-Encoding value accepts gzip ("gzip", "gzip;q=0.5", "*"), false when it
/// refuses it ("gzip;q=0", "identity") or is empty.
bool accepts_gzip(std::string_view accept_encoding);

/// `data` in the gzip format (RFC 1952), by Poco::DeflatingOutputStream.
std::string gzip(std::string_view data);

/// True for the types worth compressing: JSON, JavaScript, CSS, HTML, XML, SVG, plain text.
bool compressible(std::string_view content_type);

/// Adds Accept-Encoding to the response's Vary header (or adds the header).
void vary_on_encoding(Response& response);

/// Compresses the response body for this request when the client accepts gzip, the type is
/// compressible, the body is at least kMinCompressedBytes and not yet encoded; says so in
/// Content-Encoding and, whenever the answer depends on Accept-Encoding, in Vary.
void compress_for(const Request& request, Response& response);

} // namespace kb::http
