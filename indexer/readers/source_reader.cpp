#include "readers/source_reader.h"

#include "error.h"
#include "readers/jsonl_reader.h"
#include "readers/markdown_reader.h"
#include "utf8.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kb {
namespace fs = std::filesystem;

namespace {

// Files larger than this are refused rather than read into memory.
constexpr std::uintmax_t kMaxFileBytes = 512ull * 1024 * 1024;

std::string lower_extension(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

bool is_corpus_documentation(const fs::path& p) {
    const std::string name = p.filename().string();
    return name == "README.md" || name == "SOURCE.md" || name.rfind("LICENSE", 0) == 0 ||
           name.rfind("LICENCE", 0) == 0;
}

std::string read_all(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) throw Error(ErrorKind::InvalidRequest, "unreadable", "cannot stat: " + ec.message());
    if (size > kMaxFileBytes)
        throw Error(ErrorKind::InvalidRequest, "too_large",
                    "file is " + std::to_string(size) + " bytes, over the limit of " +
                        std::to_string(kMaxFileBytes));
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::InvalidRequest, "unreadable",
                    std::string("cannot open: ") + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw Error(ErrorKind::InvalidRequest, "unreadable", "read error");
    return buffer.str();
}

std::string relative_id(const fs::path& file, const fs::path& root) {
    std::error_code ec;
    fs::path rel = fs::relative(file, root, ec);
    if (ec || rel.empty() || *rel.begin() == "..") rel = file.filename();
    return rel.generic_string();
}

} // namespace

bool is_supported_source(const fs::path& file) {
    const std::string ext = lower_extension(file);
    return ext == ".md" || ext == ".markdown" || ext == ".txt" || ext == ".jsonl";
}

std::vector<fs::path> list_sources(const fs::path& folder) {
    std::vector<fs::path> files;
    auto options = fs::directory_options::skip_permission_denied;
    for (auto it = fs::recursive_directory_iterator(folder, options);
         it != fs::recursive_directory_iterator(); ++it) {
        const fs::path& p = it->path();
        if (p.filename().string().rfind('.', 0) == 0) {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file() && is_supported_source(p) && !is_corpus_documentation(p))
            files.push_back(p);
    }
    std::sort(files.begin(), files.end());
    return files;
}

void read_source(const fs::path& file, const fs::path& root, const ReadSink& sink) {
    const std::string path = file.string();
    std::string content;
    try {
        content = read_all(file);
    } catch (const Error& e) {
        sink.on_problem({path, 0, e.what()});
        return;
    }
    const std::string ext = lower_extension(file);
    const std::string id = relative_id(file, root);
    if (ext == ".jsonl") {
        parse_jsonl(content, path, sink.on_record, sink.on_problem);
        return;
    }
    if (!is_valid_utf8(content)) {
        sink.on_problem({path, 0, "not valid UTF-8 text (convert it to UTF-8 first)"});
        return;
    }
    try {
        Record r = ext == ".txt" ? parse_plain_text(content, id) : parse_markdown(content, path, id);
        if (r.source_file.empty()) r.source_file = id;
        sink.on_record(std::move(r));
    } catch (const Error& e) {
        // The message already names "path:line".
        std::string message = e.what();
        std::size_t line = 0;
        if (message.rfind(path + ":", 0) == 0) {
            std::string rest = message.substr(path.size() + 1);
            line = std::strtoul(rest.c_str(), nullptr, 10);
            message = rest.substr(rest.find(": ") + 2);
        }
        sink.on_problem({path, line, message});
    }
}

} // namespace kb
