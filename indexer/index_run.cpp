#include "indexer/index_run.h"

#include "core/embedding/sharded_vectors.h"
#include "core/error.h"
#include "core/indexing/index_writer.h"
#include "core/schema/schema.h"
#include "core/utf8.h"
#include "indexer/readers/source_reader.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

namespace kb {
namespace fs = std::filesystem;

namespace {

// Records are analysed in batches, in parallel, then written in order, while the next batch is
// analysed. A batch ends at kBatchSize records or kBatchTextBytes of title and text, whichever
// comes first: larger batches even out the writer threads' shares (on legi-codes-fr, 512
// records ran ~4 % faster than 256 for +25 MiB), and the byte cap keeps batches of long
// documents (PDF studies) from holding hundreds of megabytes of built documents.
constexpr std::size_t kBatchSize = 512;
constexpr std::size_t kBatchTextBytes = 8u << 20;
/// A record's origin (its file's absolute path) is a term after "XORIGIN:" (Xapian: 245 bytes).
constexpr std::size_t kMaxOriginBytes = 230;

// Progress on stderr: a bar with rate and ETA on a terminal, a line every N records otherwise.
class Progress {
public:
    Progress(bool quiet, std::size_t every) : quiet_(quiet), every_(every), tty_(isatty(2)) {}

    void set_files(std::size_t total) { files_total_ = total; }
    void file_done() {
        ++files_done_;
        draw(false);
    }
    // Records arrive by batches: a line for every multiple of `every` reached, with that exact
    // count (--progress-every 1000 prints 1000, 2000 …, not the batch's end).
    void records_done(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            if (++records_ % every_ == 0 && !tty_ && !quiet_)
                std::cerr << "  " << records_ << " records, " << files_done_ << "/" << files_total_
                          << " files, " << static_cast<long>(rate()) << " records/s\n";
        draw(false);
    }
    void finish() { draw(true); }

private:
    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    double rate() const { return elapsed() > 0 ? records_ / elapsed() : 0; }

    void draw(bool last) {
        if (quiet_ || !tty_)
            return;
        const auto now = std::chrono::steady_clock::now();
        if (!last && now - drawn_ < std::chrono::milliseconds(100))
            return;
        drawn_ = now;
        constexpr int width = 30;
        const double done = files_total_ ? double(files_done_) / files_total_ : 0;
        std::string bar(static_cast<std::size_t>(done * width), '#');
        bar.resize(width, ' ');
        const double eta = done > 0 ? elapsed() * (1 - done) / done : 0;
        std::fprintf(stderr, "\r[%s] %zu/%zu files, %zu records, %.0f rec/s, ETA %.0f s   %s",
                     bar.c_str(), files_done_, files_total_, records_, rate(), eta,
                     last ? "\n" : "");
        std::fflush(stderr);
    }

    bool quiet_;
    std::size_t every_;
    bool tty_;
    std::size_t files_total_ = 0, files_done_ = 0, records_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), drawn_{};
};

// Problems and documentation files as JSON Lines: {"path":…,"line":…,"reason":…,
// "skipped":…,"kind":"skipped"|"incomplete"|"documentation"}.
class Report {
public:
    explicit Report(const std::string& path) {
        if (path.empty())
            return;
        out_.open(path, std::ios::trunc);
        if (!out_)
            throw Error(ErrorKind::InvalidRequest, "report_unwritable",
                        "cannot write the report file " + path);
    }
    void add(const ReadProblem& p) { write(p, p.skipped ? "skipped" : "incomplete"); }
    void add_documentation(const std::string& path) {
        write({path, 0, "the folder's documentation (README, SOURCE, LICENSE): not indexed"},
              "documentation");
    }

private:
    void write(const ReadProblem& p, const char* kind) {
        if (!out_.is_open())
            return;
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        w.StartObject();
        w.Key("path");
        w.String(p.path.c_str());
        w.Key("line");
        w.Uint64(p.line);
        w.Key("reason");
        w.String(p.reason.c_str());
        w.Key("skipped");
        w.Bool(p.skipped);
        w.Key("kind");
        w.String(kind);
        w.EndObject();
        out_ << buffer.GetString() << "\n";
        out_.flush();
    }

    std::ofstream out_;
};

// Words in the titles and texts of the index's records (passages not counted again).
std::size_t words_in_index(const Xapian::Database& db) {
    std::size_t words = 0;
    const std::string kind(schema::kRecordKindTerm);
    for (auto it = db.postlist_begin(kind); it != db.postlist_end(kind); ++it) {
        const Record r = decode_record(db.get_document(*it).get_data());
        words += word_count(r.title) + word_count(r.text);
    }
    return words;
}

std::string absolute_path(const fs::path& p) {
    std::error_code ec;
    fs::path a = fs::weakly_canonical(fs::absolute(p), ec);
    return (ec ? fs::absolute(p) : a).generic_string();
}

// After the Xapian commit, so the vectors are stamped with the revision they describe. A
// failure here leaves the documents committed and the previous vectors (now stale, which the
// server detects and ignores) in place; it is reported, and the run still fails. A sharded
// index gets vectors per shard with one shared model (embedding/sharded_vectors.h).
void build_index_vectors(const IndexOptions& options, IndexSummary& summary) {
    if (options.vectors == IndexOptions::Vectors::Off)
        return;
    VectorBuildOptions vo;
    vo.train = options.vectors == IndexOptions::Vectors::Train;
    vo.model_file = options.vector_model;
    vo.training = options.training;
    vo.threads =
        options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    vo.training.threads = vo.threads;
    if (options.vectors == IndexOptions::Vectors::Auto && options.vector_model.empty()) {
        // Without a model yet, train only when there is enough text to learn from (for a
        // sharded index: in all its shards together, which the stub opens as one database).
        if (!has_vectors(options.index)) {
            Xapian::Database db(options.index);
            // The index's length counts every term occurrence (typed form, stem, titles
            // weighted, passages): at least one per word, so below the threshold the records'
            // own words are fewer still, and few enough to count for the message.
            if (db.get_total_length() < kAutoTrainMinWords) {
                summary.vectors_note = "no vectors: " + std::to_string(words_in_index(db)) +
                                       " words in the index's records, fewer than the " +
                                       std::to_string(kAutoTrainMinWords) +
                                       " that trigger training (--train-vectors forces it)";
                return;
            }
        }
    }
    summary.vectors = build_vectors(options.index, vo);
}

} // namespace

IndexSummary run_index(const IndexOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const fs::path parent = fs::path(options.index).parent_path();
    fs::create_directories(parent.empty() ? fs::path(".") : parent);
    const unsigned threads =
        options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    // As many writer threads as analysis threads: shards, or a new single database's staging
    // databases, are written in parallel (IndexWriter); --threads 1 writes sequentially.
    IndexWriter writer(options.index, options.shards, threads);
    IndexSummary summary;
    Report report(options.report);
    Progress progress(options.quiet, options.progress_every);

    std::vector<Record> batch;
    std::size_t batch_bytes = 0; // title and text in `batch`
    std::vector<std::string> origins;
    std::string current_origin;
    std::set<std::string> seen_ids, read_origins;
    // Pipeline: batch N+1 is analysed on the worker threads while batch N is written. Only
    // one batch is ever being built (the workers' analyzers are not shareable).
    std::future<IndexWriter::PreparedBatch> pending;
    std::function<void(ReadProblem &&)> report_problem;
    auto store = [&](IndexWriter::PreparedBatch built) {
        for (std::size_t k = 0; k < built.errors.size(); ++k)
            if (!built.errors[k].empty()) {
                const Record& r = built.records[built.todo[k]];
                // The file's own path for the operator; source_file is relative.
                const std::string origin =
                    built.origins.empty() ? std::string() : built.origins[built.todo[k]];
                report_problem({origin.empty() ? r.source_file : origin, 0,
                                "record '" + r.id.substr(0, 80) + "' skipped: " + built.errors[k]});
            }
        std::vector<std::size_t> words(built.records.size());
        for (std::size_t k = 0; k < built.records.size(); ++k)
            words[k] = word_count(built.records[k].title) + word_count(built.records[k].text);
        const std::vector<WriteOutcome> outcomes = writer.store_batch(std::move(built));
        for (std::size_t k = 0; k < outcomes.size(); ++k) {
            summary.count(outcomes[k]);
            summary.records += outcomes[k] != WriteOutcome::Skipped;
            if (outcomes[k] != WriteOutcome::Skipped && k < words.size())
                summary.words += words[k];
        }
        progress.records_done(outcomes.size());
    };
    auto flush = [&] {
        if (batch.empty())
            return;
        std::optional<IndexWriter::PreparedBatch> previous;
        if (pending.valid())
            previous = pending.get(); // its build is done
        pending = writer.prepare(std::move(batch), std::move(origins), threads);
        batch.clear();
        batch_bytes = 0;
        origins.clear();
        if (previous)
            store(std::move(*previous)); // written while the next one builds
    };
    auto store_pending = [&] {
        if (pending.valid())
            store(pending.get());
    };
    ReadSink sink;
    sink.on_record = [&](Record&& r) {
        // Whatever the reader, a record the index cannot hold is skipped here, named, and
        // never fails the run (an id too long for a Xapian term, a date that does not exist).
        try {
            validate_record(r);
            if (current_origin.size() > kMaxOriginBytes)
                throw Error(ErrorKind::InvalidRequest, "path_too_long",
                            "its path is longer than " + std::to_string(kMaxOriginBytes) +
                                " bytes, too long to be recorded in the index");
        } catch (const Error& e) {
            sink.on_problem({current_origin.empty() ? r.source_file : current_origin, 0,
                             "record '" + r.id.substr(0, 80) + "' skipped: " + e.what()});
            return;
        }
        if (options.prune) // only --prune needs them: a set of every id would grow with the run
            seen_ids.insert(r.id);
        batch_bytes += r.title.size() + r.text.size();
        batch.push_back(std::move(r));
        origins.push_back(current_origin);
        if (batch.size() >= kBatchSize || batch_bytes >= kBatchTextBytes)
            flush();
    };
    sink.on_problem = [&](ReadProblem&& p) {
        if (!options.quiet)
            std::cerr << (isatty(2) ? "\n" : "") << (p.skipped ? "skipped " : "incomplete ")
                      << p.to_string() << "\n";
        report.add(p);
        ++(p.skipped ? summary.skipped : summary.incomplete);
        summary.problems.push_back(std::move(p));
    };
    report_problem = sink.on_problem;

    // Files first, so the progress bar knows how many there are.
    std::vector<std::pair<fs::path, fs::path>> files; // file, id root
    std::vector<std::string> roots;
    for (const std::string& arg : options.sources) {
        const fs::path p(arg);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            roots.push_back(absolute_path(p));
            std::vector<fs::path> documentation;
            for (const fs::path& file :
                 list_sources(p, options.follow_symlinks, sink.on_problem, &documentation))
                files.emplace_back(file, options.root.empty() ? p : fs::path(options.root));
            for (const fs::path& doc : documentation) {
                report.add_documentation(doc.string());
                summary.documentation.push_back(doc.string());
            }
        } else if (fs::exists(p, ec)) {
            if (!is_supported_source(p)) {
                sink.on_problem({arg, 0, unsupported_reason(p)});
                continue;
            }
            roots.push_back(absolute_path(p));
            files.emplace_back(p, options.root.empty() ? p.parent_path() : fs::path(options.root));
        } else {
            sink.on_problem({arg, 0, "no such file or folder"});
        }
    }
    progress.set_files(files.size());
    ReadOptions reading = options.reading;
    if (reading.ocr.threads == 0)
        reading.ocr.threads = threads;
    for (const auto& [file, root] : files) {
        current_origin = absolute_path(file);
        read_origins.insert(current_origin);
        read_source(file, root, sink, reading);
        progress.file_done();
    }
    flush();
    current_origin.clear();
    read_remote_sources(options.remote, options.fetch, sink, options.quiet ? nullptr : &std::cerr);
    flush();
    store_pending();
    progress.finish();

    // --prune: records whose source file is gone, or which a source read now no longer has.
    if (options.prune)
        for (const std::string& root : roots)
            for (const auto& [origin, ids] : writer.records_from(root)) {
                std::error_code ec;
                const bool gone = !fs::exists(origin, ec);
                if (!gone && !read_origins.count(origin))
                    continue;
                for (const std::string& id : ids)
                    if (!seen_ids.count(id) && writer.remove(id))
                        ++summary.pruned;
            }

    writer.commit();
    summary.documents = writer.document_count();
    build_index_vectors(options, summary);
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

} // namespace kb
