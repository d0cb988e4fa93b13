#include "indexer/readers/pdf_reader.h"

#include "core/error.h"
#include "core/parallel.h"
#include "core/utf8.h"
#include "indexer/readers/text_cleanup.h"

#include <atomic>
#include <climits>
#include <cmath>
#include <memory>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <thread>

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

// A page image above this many pixels is rendered at a lower resolution (an A4 page at 300 dpi
// is 8.7 million): a poster-sized MediaBox must not take gigabytes.
constexpr double kMaxPagePixels = 40e6;

bool has_letters(std::string_view text) {
    for (char c : text)
        if (std::isalpha(static_cast<unsigned char>(c)) != 0 ||
            static_cast<unsigned char>(c) >= 0x80)
            return true;
    return false;
}

// "1-3,7" for pages {1, 2, 3, 7}.
std::string page_list(const std::vector<int>& pages) {
    std::string out;
    for (std::size_t i = 0; i < pages.size();) {
        std::size_t j = i;
        while (j + 1 < pages.size() && pages[j + 1] == pages[j] + 1)
            ++j;
        out += (out.empty() ? "" : ",") + std::to_string(pages[i]);
        if (j > i)
            out += "-" + std::to_string(pages[j]);
        i = j + 1;
    }
    return out;
}

struct RenderedPage {
    int index = 0;
    poppler::image image;
    int dpi = 0;
};

RenderedPage render(poppler::document& doc, int index, unsigned dpi) {
    RenderedPage out;
    out.index = index;
    std::unique_ptr<poppler::page> page(doc.create_page(index));
    if (!page)
        return out;
    const poppler::rectf box = page->page_rect();
    const double inches = (box.width() / 72.0) * (box.height() / 72.0);
    if (!(inches > 0))
        return out;
    double resolution = dpi;
    if (inches * resolution * resolution > kMaxPagePixels)
        resolution = std::sqrt(kMaxPagePixels / inches);
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);
    out.image = renderer.render_page(page.get(), resolution, resolution);
    out.dpi = static_cast<int>(resolution);
    return out;
}

// Recognises `todo` (0-based pages) and puts the OCR text in place of a page's text layer when
// it holds more dictionary words (or the layer has no letters at all). Pages are rendered on
// this thread, a few at a time (poppler documents are not shared between threads), and
// recognised on `threads` threads.
void recognise_pages(poppler::document& doc, const std::vector<int>& todo,
                     std::vector<std::string>& texts, const OcrOptions& options, Record& r) {
    const unsigned threads =
        options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<int> used, partial;
    long confidence_sum = 0;
    for (std::size_t start = 0; start < todo.size(); start += threads) {
        std::vector<RenderedPage> chunk;
        for (std::size_t k = start; k < todo.size() && k < start + threads; ++k)
            chunk.push_back(render(doc, todo[k], options.dpi));
        std::vector<OcrPage> results(chunk.size());
        std::atomic<std::size_t> next{0};
        run_on_threads(static_cast<unsigned>(std::min<std::size_t>(threads, chunk.size())), [&] {
            for (std::size_t k; (k = next++) < chunk.size();) {
                const poppler::image& img = chunk[k].image;
                if (!img.is_valid() || img.format() != poppler::image::format_gray8)
                    continue;
                GrayImage gray{reinterpret_cast<const unsigned char*>(img.const_data()),
                               img.width(), img.height(), img.bytes_per_row(), chunk[k].dpi};
                results[k] = recognise_page(gray, options);
            }
        });
        for (std::size_t k = 0; k < chunk.size(); ++k) {
            std::string& layer = texts[chunk[k].index];
            OcrPage& page = results[k];
            const bool better = count_words(page.text).dictionary > count_words(layer).dictionary ||
                                (!has_letters(layer) && has_letters(page.text));
            if (!better)
                continue;
            layer = std::move(page.text);
            used.push_back(chunk[k].index + 1);
            confidence_sum += page.confidence;
            if (page.timed_out)
                partial.push_back(chunk[k].index + 1);
        }
    }
    if (used.empty())
        return;
    r.metadata["ocr"] = "true";
    r.metadata["ocr_pages"] = page_list(used);
    r.metadata["ocr_confidence"] = std::to_string(confidence_sum / static_cast<long>(used.size()));
    if (!partial.empty())
        r.metadata["ocr_partial_pages"] = page_list(partial);
}

} // namespace

Record read_pdf(std::string_view content, const std::string& default_id, const OcrOptions& ocr) {
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
    std::vector<std::string> texts(static_cast<std::size_t>(pages));
    std::vector<int> todo; // pages to recognise
    for (int i = 0; i < pages; ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (page)
            texts[i] = trim_lines(
                utf8(page->text(page->page_rect(), poppler::page::non_raw_non_physical_layout)));
        if (ocr.mode == OcrOptions::Mode::Always ||
            (ocr.mode == OcrOptions::Mode::Auto && !reads_as_text(texts[i])))
            todo.push_back(i);
    }
    if (!todo.empty()) {
        try {
            recognise_pages(*doc, todo, texts, ocr, r);
        } catch (const Error& e) {
            // The text layer's pages are still worth indexing; read_bytes says what is missing.
            r.metadata["ocr_error"] = e.what();
        }
    }
    bool any_text = false;
    for (int i = 0; i < pages; ++i) {
        any_text = any_text || !texts[i].empty();
        if (i > 0)
            r.text += '\f';
        r.text += texts[i];
    }
    const std::string first_page = texts[0];
    if (!any_text) {
        if (ocr.mode == OcrOptions::Mode::Never)
            unreadable("no text layer (scanned PDF?): OCR is off (--ocr=never)");
        const auto error = r.metadata.find("ocr_error");
        unreadable("no text layer (scanned PDF?), " +
                   (error != r.metadata.end()
                        ? "and OCR failed: " + error->second
                        : "and OCR found no text on its " + std::to_string(pages) + " page(s)"));
    }

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
