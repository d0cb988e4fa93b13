#include "indexer/readers/source_reader.h"

#include "core/error.h"
#include "core/utf8.h"
#include "indexer/readers/charset.h"
#include "indexer/readers/epub_reader.h"
#include "indexer/readers/html_reader.h"
#include "indexer/readers/jsonl_reader.h"
#include "indexer/readers/markdown_reader.h"
#include "indexer/readers/markdown_text.h"
#include "indexer/readers/office_reader.h"
#include "indexer/readers/pdf_reader.h"
#include "indexer/readers/text_cleanup.h"
#include "indexer/readers/title_page.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace kb {
namespace fs = std::filesystem;

namespace {

// Files larger than this are refused rather than read into memory.
constexpr std::uintmax_t kMaxFileBytes = 512ull * 1024 * 1024;

std::string lower_extension(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
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
    if (ec)
        throw Error(ErrorKind::InvalidRequest, "unreadable", "cannot stat: " + ec.message());
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
    if (in.bad())
        throw Error(ErrorKind::InvalidRequest, "unreadable", "read error");
    return buffer.str();
}

std::string relative_id(const fs::path& file, const fs::path& root) {
    std::error_code ec;
    fs::path rel = fs::relative(file, root, ec);
    if (ec || rel.empty() || *rel.begin() == "..")
        rel = file.filename();
    return rel.generic_string();
}

enum class Format {
    Markdown,
    PlainText,
    Jsonl,
    Html,
    Pdf,
    Docx,
    Odt,
    Pptx,
    Odp,
    Epub,
    Word97,
    PowerPoint97,
    OtherZip,
    Unknown
};

// The extensions read (lower case), and the format each gives when the content does not say.
// .doc and .ppt are listed so that each is accounted for: their reader says why it is skipped.
constexpr std::pair<std::string_view, Format> kExtensions[] = {
    {".md", Format::Markdown}, {".markdown", Format::Markdown}, {".txt", Format::PlainText},
    {".jsonl", Format::Jsonl}, {".html", Format::Html},         {".htm", Format::Html},
    {".pdf", Format::Pdf},     {".docx", Format::Docx},         {".odt", Format::Odt},
    {".pptx", Format::Pptx},   {".odp", Format::Odp},           {".epub", Format::Epub},
    {".doc", Format::Word97},  {".ppt", Format::PowerPoint97}};

// The formats read from their bytes alone (they know their own encoding).
using ByteReader = Record (*)(std::string_view, const std::string&);
constexpr std::pair<Format, ByteReader> kByteReaders[] = {
    {Format::Html, parse_html},    {Format::Docx, read_docx},
    {Format::Odt, read_odt},       {Format::Pptx, read_pptx},
    {Format::Odp, read_odp},       {Format::Epub, read_epub},
    {Format::Word97, read_word97}, {Format::PowerPoint97, read_powerpoint97}};

// The format the extension names, Unknown for none.
Format format_of_extension(const std::string& ext) {
    for (const auto& [known, format] : kExtensions)
        if (ext == known)
            return format;
    return Format::Unknown;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i])
            return false;
    return true;
}

bool looks_like_html(std::string_view content) {
    if (content.rfind("\xEF\xBB\xBF", 0) == 0)
        content.remove_prefix(3);
    const std::size_t start = content.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return false;
    content.remove_prefix(start);
    return starts_with_nocase(content, "<!doctype html") || starts_with_nocase(content, "<html");
}

// What the bytes say first (a .txt that is really a PDF is read as a PDF), then the extension.
Format detect_format(std::string_view content, const std::string& ext) {
    if (content.rfind("%PDF-", 0) == 0)
        return Format::Pdf;
    if (content.rfind("PK\x03\x04", 0) == 0) {
        switch (sniff_zip(content)) {
        case ZipKind::Docx:
            return Format::Docx;
        case ZipKind::Odt:
            return Format::Odt;
        case ZipKind::Pptx:
            return Format::Pptx;
        case ZipKind::Odp:
            return Format::Odp;
        case ZipKind::Epub:
            return Format::Epub;
        case ZipKind::Other:
            break;
        }
        // A damaged archive named as one goes to its reader, which says what is wrong with it.
        const Format named = format_of_extension(ext);
        return named == Format::Docx || named == Format::Odt || named == Format::Pptx ||
                       named == Format::Odp || named == Format::Epub
                   ? named
                   : Format::OtherZip;
    }
    if (ext != ".jsonl" && looks_like_html(content))
        return Format::Html;
    return format_of_extension(ext);
}

bool is_text_format(Format f) {
    return f == Format::Markdown || f == Format::PlainText || f == Format::Jsonl ||
           f == Format::Html;
}

// What OCR left out of a record that is still indexed: partial pages, or OCR unavailable.
void report_ocr_gaps(const Record& r, const std::string& path, const ReadSink& sink) {
    const auto partial = r.metadata.find("ocr_partial_pages");
    if (partial != r.metadata.end())
        sink.on_problem({path, 0,
                         "OCR stopped at the time limit on page(s) " + partial->second +
                             ": their text may be partial (see --ocr-page-seconds)",
                         false});
    const auto error = r.metadata.find("ocr_error");
    if (error != r.metadata.end())
        sink.on_problem(
            {path, 0, "pages without a text layer were not recognised: " + error->second, false});
}

} // namespace

bool is_supported_source(const fs::path& file) {
    const std::string ext = lower_extension(file);
    for (const auto& [known, format] : kExtensions)
        if (ext == known)
            return true;
    return false;
}

std::string unsupported_reason(const fs::path& file) {
    const std::string ext = lower_extension(file);
    std::string head;
    if (std::ifstream in(file, std::ios::binary); in) {
        head.resize(8192);
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
    }
    std::string what = ext.empty() ? "a file without extension" : "a " + ext + " file";
    if (looks_binary(head))
        what = "binary file (" + what + ")";
    else
        what = "unknown type (" + what + ")";
    return what + ", not a format Passerelle reads (" + std::string(kSupportedFormats) + ")";
}

std::vector<fs::path> list_sources(const fs::path& folder, bool follow_symlinks,
                                   const std::function<void(ReadProblem&&)>& on_problem,
                                   std::vector<fs::path>* documentation) {
    std::vector<fs::path> files;
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(folder, ec);
    auto inside = [&root](const fs::path& target) {
        const auto rel = target.lexically_relative(root);
        return !rel.empty() && *rel.begin() != "..";
    };
    auto report = [&](const fs::path& p, const std::string& why) {
        if (on_problem)
            on_problem({p.string(), 0, why});
    };
    std::set<fs::path> visited{fs::canonical(folder, ec)}; // directories entered, resolved
    auto options = fs::directory_options::skip_permission_denied;
    if (follow_symlinks)
        options |= fs::directory_options::follow_directory_symlink;
    fs::recursive_directory_iterator it(folder, options, ec), end;
    if (ec) {
        report(folder, "cannot list the folder: " + ec.message());
        return files;
    }
    // Every step with an error_code: a symbolic link loop or an unreadable entry is one
    // skipped path, never the end of the walk.
    for (; it != end; it.increment(ec)) {
        if (ec) {
            report(it->path(), "cannot list: " + ec.message());
            ec.clear();
            continue;
        }
        const fs::path& p = it->path();
        if (p.filename().string().rfind('.', 0) == 0) {
            if (it->is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        const bool link = it->is_symlink(ec);
        const fs::file_status target = it->status(ec);
        if (link && ec) {
            report(p, ec.value() == ELOOP ? "symbolic link loop, not followed"
                                          : "broken symbolic link (" + ec.message() + ")");
            ec.clear();
            continue;
        }
        if (link) {
            const fs::path resolved = fs::canonical(p, ec);
            if (ec) {
                report(p, "symbolic link that cannot be resolved: " + ec.message());
                ec.clear();
                continue;
            }
            if (!follow_symlinks && !inside(resolved)) {
                report(p, "symbolic link to " + resolved.string() +
                              ", outside the folder being indexed: not followed (use "
                              "--follow-symlinks to index it)");
                continue;
            }
            if (fs::is_directory(target)) {
                if (follow_symlinks && !visited.insert(resolved).second) {
                    it.disable_recursion_pending();
                    report(p, "symbolic link back to a folder already indexed, not followed");
                }
                continue;
            }
        } else if (fs::is_directory(target)) {
            continue;
        }
        if (!fs::is_regular_file(target)) {
            report(p, "not a regular file (a device, socket or pipe)");
        } else if (is_corpus_documentation(p)) {
            if (documentation)
                documentation->push_back(p);
        } else if (is_supported_source(p)) {
            files.push_back(p);
        } else {
            report(p, unsupported_reason(p));
        }
    }
    if (documentation)
        std::sort(documentation->begin(), documentation->end());
    std::sort(files.begin(), files.end());
    return files;
}

void read_source(const fs::path& file, const fs::path& root, const ReadSink& sink,
                 const ReadOptions& options) {
    const std::string path = file.string();
    std::string content;
    try {
        content = read_all(file);
    } catch (const Error& e) {
        sink.on_problem({path, 0, e.what()});
        return;
    }
    read_bytes(std::move(content), path, relative_id(file, root), sink, options);
}

void read_bytes(const std::string& content, const std::string& name_hint, const std::string& id,
                const ReadSink& sink, const ReadOptions& options) {
    read_bytes(std::string(content), name_hint, id, sink, options);
}

void read_bytes(std::string&& content, const std::string& name_hint, const std::string& id,
                const ReadSink& sink, const ReadOptions& options) {
    const std::string& path = name_hint;
    const std::string ext = lower_extension(fs::path(name_hint));
    const Format format = detect_format(content, ext);
    if (is_text_format(format) && looks_binary(content)) {
        sink.on_problem({path, 0, "binary file, not text"});
        return;
    }
    if (format == Format::Jsonl) {
        parse_jsonl(
            content, path,
            [&](Record&& r) {
                if (r.source_file.empty())
                    r.source_file = id;
                sink.on_record(std::move(r));
            },
            sink.on_problem);
        return;
    }
    // One record per file: refused before decoding and cleaning make copies of it (HTML may
    // carry four times its text in markup).
    const std::size_t cap = format == Format::Html   ? 4 * kMaxTextBytes
                            : is_text_format(format) ? kMaxTextBytes + (1u << 20)
                                                     : std::string::npos;
    if (content.size() > cap) {
        sink.on_problem({path, 0,
                         "file is " + std::to_string(content.size()) +
                             " bytes, over the limit of " + std::to_string(cap) +
                             " for one record of this format"});
        return;
    }
    if (format == Format::OtherZip || format == Format::Unknown) {
        sink.on_problem({path, 0,
                         format == Format::OtherZip
                             ? "ZIP archive that is neither a DOCX nor an ODT document"
                             : "unsupported file format"});
        return;
    }
    // Markdown stays strict UTF-8 (its front matter is ours); plain text and HTML are decoded
    // from whatever common encoding they are in.
    if (format == Format::Markdown && !is_valid_utf8(content)) {
        sink.on_problem({path, 0, "not valid UTF-8 text (convert it to UTF-8 first)"});
        return;
    }
    try {
        Record r;
        switch (format) {
        case Format::Markdown:
            r = parse_markdown(content, path, id);
            break;
        case Format::PlainText: {
            DecodedText decoded = to_utf8(content);
            r = parse_plain_text(decoded.text, id);
            if (decoded.encoding != "UTF-8")
                r.metadata["encoding"] = decoded.encoding;
            break;
        }
        case Format::Pdf:
            r = read_pdf(content, id, options.ocr);
            report_ocr_gaps(r, path, sink);
            break;
        default:
            for (const auto& [readable, read] : kByteReaders)
                if (readable == format)
                    r = read(content, id);
            break;
        }
        content.clear();
        content.shrink_to_fit();
        // Whatever the format, nothing to search is no record (an empty file, a page of
        // markup only); a title alone, or front matter alone, is still a record.
        if (r.text.empty() && r.title.empty()) {
            sink.on_problem({path, 0, "no text found: the file is empty after extraction"});
            return;
        }
        // After every fallback of the body extraction, an empty body means the page's only
        // text is its menus, banners and footers (or nothing): its words could not be found,
        // which the user is told; its title and metadata are still indexed.
        if (format == Format::Html && r.text.empty())
            sink.on_problem({path, 0,
                             "no body text found in the page (no text outside its menus, banners "
                             "and footers): only its title and metadata are indexed",
                             false});
        if (std::string text = remove_duplicate_paragraphs(r.text); text != r.text) {
            r.text = std::move(text);
            r.sections = relocate_sections(r.sections, r.text);
        }
        // A web page announces publications ("X publie une étude") rather than being one: its
        // first lines name the study's authors, not the page's.
        if (format != Format::Html)
            complete_from_title_page(r);
        if (r.source_file.empty())
            r.source_file = id;
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
    } catch (const std::bad_alloc&) {
        sink.on_problem({path, 0, "out of memory while reading"});
    } catch (const std::exception& e) {
        // A reader's library failing in an unforeseen way skips this file, not the run.
        sink.on_problem({path, 0, std::string("cannot read: ") + e.what()});
    }
}

} // namespace kb
