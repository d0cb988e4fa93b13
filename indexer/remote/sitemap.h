#pragma once

#include "indexer/readers/read_problem.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

class RemoteFetcher;

/// What one sitemap file lists: pages (<urlset><url><loc>) or other sitemaps
/// (<sitemapindex><sitemap><loc>).
struct Sitemap {
    bool is_index = false;
    std::vector<std::string> locations;
};

/// Parses sitemap XML (sitemaps.org 0.9) with a SAX parser that loads no external entity.
/// Throws kb::Error(InvalidRequest) on malformed XML or another root element.
Sitemap parse_sitemap(std::string_view xml);

/// How deep sitemap indexes may nest: the sitemap given is level 1.
inline constexpr int kMaxSitemapDepth = 3;

/// Fetches the sitemap at `url` and, recursively, the sitemaps an index lists (each once, up
/// to kMaxSitemapDepth levels); calls on_page for each http(s) page URL, once each, in order.
/// A sitemap that cannot be fetched or read, or an unusable <loc>, goes to on_problem with the
/// sitemap's URL as path; the rest is still read.
void read_sitemap(RemoteFetcher& fetcher, const std::string& url,
                  const std::function<void(const std::string&)>& on_page,
                  const std::function<void(ReadProblem&&)>& on_problem);

} // namespace kb
