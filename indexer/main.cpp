// kb-indexer: reads sources into one Xapian transaction. Per-file problems are reported with
// their path and reason and skipped; the run commits all or nothing.

#include "core/error.h"
#include "core/indexing/index_writer.h"
#include "core/search/shards.h"
#include "indexer/index_run.h"

#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;
using Poco::Util::Option;

namespace {

// Exit codes: 0 everything indexed, 2 some sources skipped or incomplete, 1 the run failed
// (nothing written) or --check found the index inconsistent.
constexpr int kExitSkipped = 2;
constexpr int kExitFailed = 1;

// Xapian reports a full disk as "…: No space left on device"; say what to do about it.
std::string with_hint(const std::string& message) {
    if (message.find("No space left") != std::string::npos ||
        message.find("ENOSPC") != std::string::npos)
        return message + " — the disk is full: free some space (or index elsewhere) and rerun";
    return message;
}

// --check: Xapian's consistency check of every table, with their statistics.
int check_database(const std::string& path) {
    std::ostringstream details;
    std::size_t errors = 0;
    std::string failure;
    try {
        errors = Xapian::Database::check(path, Xapian::DBCHECK_SHOW_STATS, &details);
    } catch (const Xapian::Error& e) {
        failure = e.get_description();
    }
    std::cout << details.str();
    if (failure.empty() && errors == 0) {
        std::cout << "index " << path << " is consistent\n";
        return 0;
    }
    if (failure.empty())
        failure = std::to_string(errors) + " errors (listed above)";
    std::cerr << "kb-indexer: index " << path << " is corrupt or unreadable (" << failure
              << "): rebuild it with ./kb index\n";
    return kExitFailed;
}

// A sharded index is checked database by database (its aux database and each shard).
int check_index(const std::string& path) {
    int status = 0;
    for (const kb::ShardSpec& s : kb::parse_index_spec(path))
        if (!s.remote())
            status = std::max(status, check_database(s.path));
    return status;
}

// What the command line sets: the run's options, and whether to show the help or only check.
struct CommandLine {
    bool help = false, check = false;
    kb::IndexOptions options;
};

// Thrown by number(); handleOption names the option and the value in the message.
class NotANumberInRange : public std::invalid_argument {
public:
    NotANumberInRange(long long min, long long max)
        : std::invalid_argument("expects a number from " + std::to_string(min) + " to " +
                                std::to_string(max)) {}
};

long long number(const std::string& value, long long min, long long max) {
    try {
        std::size_t used = 0;
        const long long n = std::stoll(value, &used);
        if (used == value.size() && n >= min && n <= max)
            return n;
    } catch (...) {
    }
    throw NotANumberInRange(min, max);
}

using Value = const std::string&;

// The command line, in the order --help lists it: name, short name, help, the argument's name
// ("" for a flag), whether it may be given more than once, and what it sets.
struct OptionRow {
    const char* name;
    const char* short_name;
    const char* help;
    const char* argument;
    bool repeatable;
    void (*apply)(CommandLine&, Value);
};
constexpr OptionRow kOptions[] = {
    {"help", "h", "show this help and exit", "", false,
     [](CommandLine& c, Value) { c.help = true; }},
    {"index", "i", "index directory to create or update (default var/index)", "DIR", false,
     [](CommandLine& c, Value v) { c.options.index = v; }},
    {"root", "r",
     "folder ids are relative to, for files given one by one (default: each folder argument is its "
     "own root)",
     "DIR", false, [](CommandLine& c, Value v) { c.options.root = v; }},
    {"quiet", "q", "print only problems and the summary", "", false,
     [](CommandLine& c, Value) { c.options.quiet = true; }},
    {"progress-every", "", "print a progress line every N records (default 1000)", "N", false,
     [](CommandLine& c, Value v) { c.options.progress_every = number(v, 1, 1 << 30); }},
    {"urls", "",
     "fetch and index the http(s) URLs listed in FILE (one a line, # comments); repeatable", "FILE",
     true, [](CommandLine& c, Value v) { c.options.remote.url_files.push_back(v); }},
    {"sitemap", "",
     "fetch and index the pages of a sitemap.xml (and of the sitemaps it lists); repeatable", "URL",
     true, [](CommandLine& c, Value v) { c.options.remote.sitemaps.push_back(v); }},
    {"fetch-timeout", "", "seconds to wait for a connection or a read (default 10)", "SECONDS",
     false,
     [](CommandLine& c, Value v) {
         c.options.fetch.timeout = std::chrono::milliseconds(1000L * number(v, 1, 3600));
     }},
    {"prune", "",
     "delete records whose source file disappeared (or whose JSONL line is gone) under the folders "
     "and files given",
     "", false, [](CommandLine& c, Value) { c.options.prune = true; }},
    {"follow-symlinks", "",
     "follow symbolic links that lead out of the folders given (by default they are reported and "
     "skipped)",
     "", false, [](CommandLine& c, Value) { c.options.follow_symlinks = true; }},
    {"report", "",
     "write skipped and incomplete sources as JSON Lines (path, line, reason, skipped) to FILE",
     "FILE", false, [](CommandLine& c, Value v) { c.options.report = v; }},
    {"threads", "t",
     "analysis threads (default: one per core); with 2 or more, shards are written in parallel, "
     "and a new single-database index is built as N databases merged at the end (1: write "
     "sequentially)",
     "N", false, [](CommandLine& c, Value v) { c.options.threads = number(v, 1, 256); }},
    {"shards", "",
     "write N shard databases (INDEX/shard-0 …) and a stub INDEX/XAPIANDB opening them as one; "
     "records go to a shard by a hash of their id. An existing index keeps its number of shards",
     "N", false, [](CommandLine& c, Value v) { c.options.shards = number(v, 1, 1024); }},
    {"check", "",
     "check the index's consistency (every table) and exit: 0 consistent, 1 corrupt or unreadable",
     "", false, [](CommandLine& c, Value) { c.check = true; }},
    {"train-vectors", "",
     "(re)train the word vectors on the indexed text (by default they are trained once, when the "
     "index has enough text)",
     "", false,
     [](CommandLine& c, Value) { c.options.vectors = kb::IndexOptions::Vectors::Train; }},
    {"no-vectors", "", "do not build or update the vectors", "", false,
     [](CommandLine& c, Value) { c.options.vectors = kb::IndexOptions::Vectors::Off; }},
    {"vector-model", "",
     "use this pre-trained fastText model (.bin or .vec) for the vectors instead of training one",
     "FILE", false, [](CommandLine& c, Value v) { c.options.vector_model = v; }},
    {"vector-dim", "", "dimension of trained vectors (default 100)", "N", false,
     [](CommandLine& c, Value v) { c.options.training.dimension = number(v, 2, 1024); }},
    {"vector-epochs", "", "training epochs (default 5)", "N", false,
     [](CommandLine& c, Value v) { c.options.training.epochs = number(v, 1, 100); }},
    {"ocr", "",
     "recognise PDF pages by OCR (Tesseract, French): auto = pages with no text layer or only "
     "noise (default), always = every page, never = the text layer only",
     "MODE", false,
     [](CommandLine& c, Value v) {
         try {
             c.options.reading.ocr.mode = kb::parse_ocr_mode(v);
         } catch (const std::invalid_argument& e) {
             throw Poco::Util::InvalidArgumentException(std::string("--ocr ") + e.what());
         }
     }},
    {"ocr-page-seconds", "",
     "stop recognising a page after this many seconds and keep its partial text (default 120)",
     "SECONDS", false,
     [](CommandLine& c, Value v) {
         c.options.reading.ocr.page_seconds = static_cast<unsigned>(number(v, 1, 3600));
     }},
    {"ocr-languages", "",
     "Tesseract models to recognise with, '+'-separated (default fra; e.g. fra+eng)", "LANGS",
     false, [](CommandLine& c, Value v) { c.options.reading.ocr.languages = v; }},
    {"max-bytes", "", "largest page fetched, in bytes (default 52428800 = 50 MiB)", "N", false,
     [](CommandLine& c, Value v) {
         c.options.fetch.max_bytes = static_cast<std::size_t>(number(v, 1, 1LL << 40));
     }},
};

class IndexerApp : public Poco::Util::Application {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        Application::defineOptions(options);
        for (const OptionRow& row : kOptions) {
            Option option(row.name, row.short_name, row.help);
            if (*row.argument)
                option.argument(row.argument);
            options.addOption(option.repeatable(row.repeatable));
        }
    }

    void handleOption(const std::string& name, const std::string& value) override {
        Application::handleOption(name, value);
        for (const OptionRow& row : kOptions)
            if (name == row.name) {
                try {
                    row.apply(line_, value);
                } catch (const NotANumberInRange& e) {
                    throw Poco::Util::InvalidArgumentException(std::string("--")
                                                                   .append(name)
                                                                   .append(" ")
                                                                   .append(e.what())
                                                                   .append(", got '")
                                                                   .append(value)
                                                                   .append("'"));
                }
            }
    }

    int main(const std::vector<std::string>& args) override {
        if (line_.check && !line_.help)
            return check_index(line_.options.index);
        const bool no_source = args.empty() && line_.options.remote.url_files.empty() &&
                               line_.options.remote.sitemaps.empty();
        if (no_source && !line_.help)
            std::cerr << "kb-indexer: no source given: name the files or folders to index (or "
                         "--urls FILE, --sitemap URL); usage below\n";
        if (line_.help || no_source) {
            Poco::Util::HelpFormatter help(options());
            help.setCommand(commandName());
            help.setUsage("[options] FILE-OR-FOLDER... [--urls FILE] [--sitemap URL] | --check "
                          "[--index DIR]");
            help.setHeader("Indexes Markdown (+front matter), plain text, JSONL, HTML, PDF, DOCX "
                           "and ODT sources, local or fetched over HTTP, into a Xapian index, in "
                           "one transaction.");
            help.setFooter("Exit status: 0 all indexed, 2 some sources skipped or incomplete "
                           "(listed), 1 failure "
                           "(the index is left as it was).");
            help.format(std::cout);
            return line_.help ? EXIT_OK : EXIT_USAGE;
        }
        try {
            kb::use_batch_flush_threshold(); // before run_index starts any thread
            line_.options.sources = args;
            const kb::IndexSummary s = kb::run_index(line_.options);
            // Words: runs of letters or digits in the records' titles and texts (word_count).
            std::cout << "indexed " << s.records << " records (" << s.words << " words) into "
                      << line_.options.index << ": " << s.added << " added, " << s.replaced
                      << " replaced, " << s.unchanged << " unchanged, " << s.pruned << " pruned, "
                      << s.skipped << " skipped"
                      << (s.incomplete ? ", " + std::to_string(s.incomplete) + " incomplete"
                                       : std::string())
                      << (s.documentation.empty() ? std::string()
                                                  : ", " + std::to_string(s.documentation.size()) +
                                                        " documentation files not indexed")
                      << "; " << s.documents << " documents in the index; " << s.seconds << " s\n";
            for (const auto& p : s.problems)
                std::cout << (p.skipped ? "  skipped " : "  incomplete ") << p.to_string() << "\n";
            for (const auto& d : s.documentation)
                std::cout << "  documentation " << d << ": not indexed\n";
            if (!s.vectors_note.empty())
                std::cout << s.vectors_note << "\n";
            else if (s.vectors.up_to_date)
                std::cout << "vectors up to date (" << s.vectors.vectors << ")\n";
            else if (line_.options.vectors != kb::IndexOptions::Vectors::Off)
                std::cout << "vectors: " << s.vectors.vectors << " passages embedded ("
                          << s.vectors.embed_seconds << " s), HNSW " << s.vectors.ann_seconds
                          << " s"
                          << (s.vectors.trained ? ", model trained in " +
                                                      std::to_string(s.vectors.train_seconds) + " s"
                                                : std::string())
                          << "; model " << s.vectors.model << "\n";
            return s.skipped == 0 && s.incomplete == 0 ? EXIT_OK : kExitSkipped;
        } catch (const kb::Error& e) {
            std::cerr << "kb-indexer: " << with_hint(e.what()) << "\n";
            return kExitFailed;
        } catch (const Xapian::Error& e) { // not a std::exception
            std::cerr << "kb-indexer: cannot write index " << line_.options.index << ": "
                      << with_hint(e.get_description()) << " (the index is left as it was)\n";
            return kExitFailed;
        } catch (const std::exception& e) {
            std::cerr << "kb-indexer: " << with_hint(e.what())
                      << " (the index is left as it was)\n";
            return kExitFailed;
        }
    }

private:
    CommandLine line_;
};

} // namespace

int main(int argc, char** argv) {
    kb::limit_openmp_threads(argv); // may restart the process, before any thread exists
    Poco::AutoPtr<IndexerApp> app = new IndexerApp;
    try {
        app->init(argc, argv);
    } catch (Poco::Exception& e) {
        app->logger().log(e);
        return Poco::Util::Application::EXIT_CONFIG;
    }
    return app->run();
}
