// kb-indexer: reads sources into one Xapian transaction. Per-file problems are reported with
// their path and reason and skipped; the run commits all or nothing.

#include "error.h"
#include "index_writer.h"
#include "readers/source_reader.h"
#include "remote/remote_sources.h"

#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace fs = std::filesystem;
using Poco::Util::Option;

namespace {

// Exit codes: 0 everything indexed, 2 some sources skipped, 1 the run failed (nothing written).
constexpr int kExitSkipped = 2;

class IndexerApp : public Poco::Util::Application {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        Application::defineOptions(options);
        options.addOption(Option("help", "h", "show this help and exit"));
        options.addOption(Option("index", "i", "index directory to create or update (default var/index)")
                              .argument("DIR"));
        options.addOption(Option("root", "r",
                                 "folder ids are relative to, for files given one by one "
                                 "(default: each folder argument is its own root)")
                              .argument("DIR"));
        options.addOption(Option("quiet", "q", "print only problems and the summary"));
        options.addOption(Option("progress-every", "",
                                 "print a progress line every N records (default 1000)")
                              .argument("N"));
        options.addOption(Option("urls", "", "fetch and index the http(s) URLs listed in FILE "
                                             "(one a line, # comments); repeatable")
                              .argument("FILE")
                              .repeatable(true));
        options.addOption(Option("sitemap", "", "fetch and index the pages of a sitemap.xml "
                                                "(and of the sitemaps it lists); repeatable")
                              .argument("URL")
                              .repeatable(true));
        options.addOption(Option("fetch-timeout", "",
                                 "seconds to wait for a connection or a read (default 10)")
                              .argument("SECONDS"));
        options.addOption(Option("max-bytes", "",
                                 "largest page fetched, in bytes (default 52428800 = 50 MiB)")
                              .argument("N"));
    }

    void handleOption(const std::string& name, const std::string& value) override {
        Application::handleOption(name, value);
        if (name == "help") help_ = true;
        else if (name == "index") index_ = value;
        else if (name == "root") root_ = value;
        else if (name == "quiet") quiet_ = true;
        else if (name == "progress-every") progress_every_ = std::stoul(value);
        else if (name == "urls") remote_.url_files.push_back(value);
        else if (name == "sitemap") remote_.sitemaps.push_back(value);
        else if (name == "fetch-timeout")
            fetch_.timeout = std::chrono::milliseconds(std::llround(std::stod(value) * 1000));
        else if (name == "max-bytes") fetch_.max_bytes = std::stoull(value);
    }

    int main(const std::vector<std::string>& args) override {
        if (help_ || (args.empty() && remote_.url_files.empty() && remote_.sitemaps.empty())) {
            Poco::Util::HelpFormatter help(options());
            help.setCommand(commandName());
            help.setUsage("[options] FILE-OR-FOLDER...");
            help.setHeader("Indexes Markdown (+front matter), plain text and JSONL sources into a "
                           "Xapian index, in one transaction.");
            help.setFooter("Exit status: 0 all indexed, 2 some sources skipped (listed), 1 failure "
                           "(the index is left as it was).");
            help.format(std::cout);
            return help_ ? EXIT_OK : EXIT_USAGE;
        }
        try {
            return index_sources(args);
        } catch (const kb::Error& e) {
            std::cerr << "kb-indexer: " << e.what() << "\n";
            return EXIT_SOFTWARE;
        } catch (const std::exception& e) {
            std::cerr << "kb-indexer: " << e.what() << " (the index is left as it was)\n";
            return EXIT_SOFTWARE;
        }
    }

private:
    int index_sources(const std::vector<std::string>& args) {
        const auto started = std::chrono::steady_clock::now();
        fs::create_directories(fs::path(index_).parent_path().empty() ? fs::path(".")
                                                                      : fs::path(index_).parent_path());
        kb::IndexWriter writer(index_);
        std::size_t added = 0, replaced = 0, unchanged = 0, records = 0;
        std::vector<kb::ReadProblem> problems;

        kb::ReadSink sink;
        sink.on_record = [&](kb::Record&& r) {
            switch (writer.write(r)) {
            case kb::WriteOutcome::Added: ++added; break;
            case kb::WriteOutcome::Replaced: ++replaced; break;
            case kb::WriteOutcome::Unchanged: ++unchanged; break;
            }
            if (++records % progress_every_ == 0 && !quiet_)
                std::cerr << "  " << records << " records…\n";
        };
        sink.on_problem = [&](kb::ReadProblem&& p) {
            std::cerr << "skipped " << p.to_string() << "\n";
            problems.push_back(std::move(p));
        };

        for (const std::string& arg : args) {
            const fs::path p(arg);
            std::error_code ec;
            if (fs::is_directory(p, ec)) {
                for (const fs::path& file : kb::list_sources(p)) {
                    if (!quiet_) std::cerr << "reading " << file.string() << "\n";
                    kb::read_source(file, root_.empty() ? p : fs::path(root_), sink);
                }
            } else if (fs::exists(p, ec)) {
                if (!kb::is_supported_source(p)) {
                    sink.on_problem({arg, 0, "unsupported format (expected .md, .txt, .jsonl, .html, .pdf, .docx or .odt)"});
                    continue;
                }
                kb::read_source(p, root_.empty() ? p.parent_path() : fs::path(root_), sink);
            } else {
                sink.on_problem({arg, 0, "no such file or folder"});
            }
        }
        kb::read_remote_sources(remote_, fetch_, sink, quiet_ ? nullptr : &std::cerr);
        writer.commit();

        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::cout << "indexed " << records << " records into " << index_ << ": " << added
                  << " added, " << replaced << " replaced, " << unchanged << " unchanged, "
                  << problems.size() << " skipped; " << writer.document_count()
                  << " documents in the index; " << seconds << " s\n";
        for (const auto& p : problems) std::cout << "  skipped " << p.to_string() << "\n";
        return problems.empty() ? EXIT_OK : kExitSkipped;
    }

    bool help_ = false, quiet_ = false;
    std::string index_ = "var/index", root_;
    std::size_t progress_every_ = 1000;
    kb::RemoteSources remote_;
    kb::FetchOptions fetch_;
};

} // namespace

POCO_APP_MAIN(IndexerApp)
