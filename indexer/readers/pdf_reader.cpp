#include "indexer/readers/pdf_reader.h"

#include "core/error.h"
#include "core/utf8.h"
#include "indexer/readers/text_cleanup.h"

#include <climits>
#include <memory>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

namespace kb {
namespace {

[[noreturn]] void unreadable(const std::string& reason) {
    throw Error(ErrorKind::InvalidRequest, "unreadable_pdf", reason);
}

std::string utf8(const poppler::ustring& s) {
    const poppler::byte_array bytes = s.to_utf8();
    std::string out(bytes.begin(), bytes.end());
    // poppler occasionally returns bytes from broken font maps; never pass them on invalid.
    return is_valid_utf8(out) ? out : std::string();
}

std::string trim_lines(const std::string& text) {
    std::size_t begin = text.find_first_not_of(" \t\r\n\f");
    if (begin == std::string::npos)
        return {};
    std::size_t end = text.find_last_not_of(" \t\r\n\f");
    std::string out = text.substr(begin, end - begin + 1);
    for (char& c : out)
        if (c == '\f')
            c = '\n'; // "\f" is reserved for our page separator
    return out;
}

// Poppler reports syntax errors of damaged files on stderr; they become one ReadProblem.
void quiet(const std::string&, void*) {}

} // namespace

Record read_pdf(std::string_view content, const std::string& default_id) {
    static const bool silenced = (poppler::set_debug_error_function(&quiet, nullptr), true);
    (void)silenced;
    if (content.empty())
        unreadable("not a readable PDF: empty file");
    if (content.size() > static_cast<std::size_t>(INT_MAX))
        unreadable("not a readable PDF: file too large");
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(content.data(), static_cast<int>(content.size())));
    if (!doc) {
        // Poppler returns null both for damaged files and for a missing user password.
        if (content.find("/Encrypt") != std::string_view::npos)
            unreadable("encrypted PDF (password required)");
        unreadable(content.rfind("%PDF-", 0) == 0 ? "not a readable PDF: damaged or truncated"
                                                  : "not a readable PDF: no %PDF header");
    }
    if (doc->is_locked())
        unreadable("encrypted PDF (password required)");
    const int pages = doc->pages();
    if (pages <= 0)
        unreadable("not a readable PDF: no pages");

    Record r;
    r.id = default_id;
    r.metadata["pages"] = std::to_string(pages);
    bool any_text = false;
    std::string first_page;
    for (int i = 0; i < pages; ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        std::string text;
        if (page)
            text = trim_lines(
                utf8(page->text(page->page_rect(), poppler::page::non_raw_non_physical_layout)));
        any_text = any_text || !text.empty();
        if (i == 0)
            first_page = text;
        if (i > 0)
            r.text += '\f';
        r.text += text;
    }
    if (!any_text)
        unreadable("no text layer (scanned PDF?)");

    r.title = collapse_whitespace(utf8(doc->get_title()));
    if (r.title.empty()) {
        const std::size_t nl = first_page.find('\n');
        r.title = collapse_whitespace(first_page.substr(0, nl));
    }
    const std::string author = collapse_whitespace(utf8(doc->get_author()));
    if (!author.empty())
        r.metadata["author"] = author;
    // The raw "D:YYYYMMDDHHmmSS+hh'mm'" keeps the author's local day, which converting the
    // time_t to UTC would shift.
    r.date = normalize_date(utf8(doc->info_key("CreationDate")));
    if (r.date.empty()) {
        const time_t t = doc->get_creation_date_t();
        if (t > 0) {
            std::tm tm{};
            gmtime_r(&t, &tm);
            char buffer[16];
            std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
            r.date = buffer;
        }
    }
    return r;
}

} // namespace kb
