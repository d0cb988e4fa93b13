#include "indexer/readers/ocr.h"

#include "core/analysis/stopwords.h"
#include "core/analysis/word_normalizer.h"
#include "core/error.h"
#include "core/utf8.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <unistd.h>
#include <unordered_set>
#include <vector>

namespace kb {
namespace {

using Engine = std::unique_ptr<tesseract::TessBaseAPI>;

class EnginePool;
EnginePool& pool();

// Idle engines by language set. An engine holds its model (~20 MB for French) and is used by
// one thread at a time; a run keeps at most as many as pages it recognises at once.
class EnginePool {
public:
    Engine take(const std::string& languages) {
        {
            std::lock_guard lock(mutex_);
            std::vector<Engine>& idle = idle_[languages];
            if (!idle.empty()) {
                Engine e = std::move(idle.back());
                idle.pop_back();
                return e;
            }
        }
        auto api = std::make_unique<tesseract::TessBaseAPI>();
        // Tesseract writes its warnings ("Estimating resolution …") to stderr unless told.
        api->SetVariable("debug_file", "/dev/null");
        if (api->Init(nullptr, languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
            throw Error(ErrorKind::Internal, "ocr_unavailable",
                        "cannot load the Tesseract model(s) '" + languages +
                            "' (install tesseract-ocr-fra and tesseract-ocr-eng)");
        api->SetPageSegMode(tesseract::PSM_AUTO);
        // Tesseract's dictionary cache is a static made by the first Init; idle engines must
        // be ended before it is destroyed, or their dictionaries leak at exit. A handler
        // registered after that static exists runs before its destructor.
        std::call_once(cleanup_registered_, [] { std::atexit([] { pool().clear(); }); });
        return api;
    }
    void clear() {
        std::map<std::string, std::vector<Engine>> idle;
        {
            std::lock_guard lock(mutex_);
            idle.swap(idle_);
        }
    }
    void give_back(const std::string& languages, Engine engine) {
        engine->Clear();
        std::lock_guard lock(mutex_);
        idle_[languages].push_back(std::move(engine));
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::vector<Engine>> idle_;
    static inline std::once_flag cleanup_registered_;
};

EnginePool& pool() {
    static EnginePool instance;
    return instance;
}

// Returns the engine to the pool whatever happens while it recognises.
class Lease {
public:
    explicit Lease(const std::string& languages)
        : languages_(languages), engine_(pool().take(languages)) {}
    ~Lease() {
        if (engine_)
            pool().give_back(languages_, std::move(engine_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    tesseract::TessBaseAPI& operator*() { return *engine_; }

private:
    std::string languages_;
    Engine engine_;
};

// Tesseract breaks lines where the scan does: words cut by a hyphen at a line end are joined
// ("coopé-\nration" → "coopération"), other line breaks inside a paragraph become spaces, and
// paragraphs stay separated by blank lines.
std::string join_lines(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0;
    while (i < raw.size()) {
        char c = raw[i];
        if (c == '\f' || c == '\r') {
            ++i;
            continue;
        }
        if (c != '\n') {
            out.push_back(c);
            ++i;
            continue;
        }
        std::size_t j = i;
        std::size_t breaks = 0;
        while (j < raw.size() && (raw[j] == '\n' || raw[j] == ' ' || raw[j] == '\r')) {
            breaks += raw[j] == '\n';
            ++j;
        }
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        if (j >= raw.size())
            break;
        const auto letter = [](char ch) {
            return std::isalpha(static_cast<unsigned char>(ch)) != 0 ||
                   static_cast<unsigned char>(ch) >= 0x80;
        };
        const bool cut = breaks == 1 && out.size() >= 2 && out.back() == '-' &&
                         letter(out[out.size() - 2]) && letter(raw[j]);
        if (breaks >= 2)
            out += "\n\n";
        else if (cut && std::isupper(static_cast<unsigned char>(raw[j])) == 0)
            out.pop_back(); // "coopé-" + "ration"
        else if (!cut)
            out.push_back(' ');
        // else a compound cut at its hyphen ("Saint-" + "Maurice") stays joined, hyphen kept
        i = j;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n'))
        out.pop_back();
    return out;
}

const std::unordered_set<std::string>& english_stopwords() {
    static const std::unordered_set<std::string> words = {
        "the", "of", "and",  "to", "in", "is", "for", "on",  "that",  "with", "are", "by", "this",
        "be",  "as", "from", "at", "or", "an", "it",  "was", "which", "have", "has", "not"};
    return words;
}

} // namespace

OcrOptions::Mode parse_ocr_mode(std::string_view name) {
    if (name == "auto")
        return OcrOptions::Mode::Auto;
    if (name == "always")
        return OcrOptions::Mode::Always;
    if (name == "never")
        return OcrOptions::Mode::Never;
    throw std::invalid_argument("expects auto, always or never, got '" + std::string(name) + "'");
}

void limit_openmp_threads(char** argv) {
    if (std::getenv("OMP_THREAD_LIMIT") != nullptr)
        return;
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    ::execv("/proc/self/exe", argv);
}

WordCounts count_words(std::string_view text) {
    const Stopwords& french = Stopwords::builtin();
    WordCounts counts;
    std::size_t i = 0;
    while (i < text.size()) {
        // Words are runs of letters (ASCII or any multi-byte character) and apostrophes.
        std::size_t j = i;
        while (j < text.size() && (std::isalpha(static_cast<unsigned char>(text[j])) != 0 ||
                                   static_cast<unsigned char>(text[j]) >= 0x80))
            ++j;
        if (j == i) {
            ++i;
            continue;
        }
        const std::string_view word = text.substr(i, j - i);
        i = j;
        ++counts.words;
        // One letter is no evidence: noise has them, and "l", "d", "m" are elisions.
        if (word.size() < 2 || word.size() > 40 || !is_valid_utf8(word))
            continue;
        const std::string folded = normalize_word(word).folded;
        if (french.contains(folded) || english_stopwords().count(folded) != 0)
            ++counts.dictionary;
    }
    return counts;
}

bool reads_as_text(std::string_view text) {
    const WordCounts c = count_words(text);
    return c.dictionary > 0 && c.dictionary * 10 >= c.words;
}

OcrPage recognise_page(const GrayImage& image, const OcrOptions& options) {
    Lease lease(options.languages);
    tesseract::TessBaseAPI& api = *lease;
    api.SetImage(image.pixels, image.width, image.height, 1, image.bytes_per_row);
    api.SetSourceResolution(image.dpi);
    tesseract::ETEXT_DESC monitor;
    if (options.page_seconds > 0)
        monitor.set_deadline_msecs(static_cast<int32_t>(options.page_seconds * 1000));
    const int status = api.Recognize(&monitor);
    OcrPage page;
    page.timed_out = monitor.deadline_exceeded();
    if (status == 0 || page.timed_out) {
        const std::unique_ptr<char[]> text(api.GetUTF8Text());
        if (text) {
            std::string utf8(text.get());
            page.text = is_valid_utf8(utf8) ? join_lines(utf8) : std::string();
        }
        page.confidence = std::max(0, api.MeanTextConf());
    }
    return page;
}

} // namespace kb
