#pragma once

#include "indexer/readers/source_reader.h"
#include "indexer/remote/remote_fetcher.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace kb {

/// The URLs of a --urls file: one per line, blank lines and lines starting with '#' skipped.
/// A line that is not an absolute http(s) URL goes to on_problem as "file:line: reason"; an
/// unreadable file as "file: reason".
std::vector<std::string> read_url_list(const std::string& file,
                                       const std::function<void(ReadProblem&&)>& on_problem);

/// What the indexer was asked to fetch.
struct RemoteSources {
    std::vector<std::string> url_files; ///< --urls FILE
    std::vector<std::string> sitemaps;  ///< --sitemap URL
};

/// Fetches every page the URL lists and sitemaps name (each URL once) and reads it into `sink`,
/// as files are; each failure is a problem with the URL as path. `log`, when given, gets a
/// "fetching URL" line per page.
void read_remote_sources(const RemoteSources& sources, const FetchOptions& options,
                         const ReadSink& sink, std::ostream* log = nullptr);

} // namespace kb
