#pragma once

#include "core/record.h"
#include "indexer/readers/ocr.h"
#include "indexer/readers/read_problem.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kb {

/// Receives what reading produces: records, and problems that skip a file or a line.
struct ReadSink {
    std::function<void(Record&&)> on_record;
    std::function<void(ReadProblem&&)> on_problem;
};

/// How sources are read, beyond what their bytes say.
struct ReadOptions {
    OcrOptions ocr; ///< PDF pages without a text layer
};

/// Reads one file by its format (.md/.markdown, .txt, .jsonl). Ids, and the records'
/// source_file unless they declare one, are the path relative to `root` (the folder being
/// indexed; for a file given alone, its own folder: its file name), never an absolute path:
/// records say where they came from, not where this machine keeps them. Unreadable or
/// malformed content goes to on_problem with the path as given and the reason.
void read_source(const std::filesystem::path& file, const std::filesystem::path& root,
                 const ReadSink& sink, const ReadOptions& options = {});

/// Reads in-memory content with the same dispatch as read_source(): the bytes decide the format
/// first, then the extension of `name_hint`. Problems are reported with `name_hint` as their path;
/// `id` is the record's id (and its source_file unless the record declares one; for JSON
/// Lines, every record's source_file).
void read_bytes(const std::string& content, const std::string& name_hint, const std::string& id,
                const ReadSink& sink, const ReadOptions& options = {});
/// Same, taking the content over so that it can be freed as soon as the reader is done with it.
void read_bytes(std::string&& content, const std::string& name_hint, const std::string& id,
                const ReadSink& sink, const ReadOptions& options = {});

/// The files under `folder` that read_source() understands, sorted, skipping hidden entries.
/// Every other file the walk meets is accounted for: the corpus' own documentation (README.md,
/// SOURCE.md, LICENSE*) goes to `documentation`, and a file of a type no reader knows, or one
/// that is not a regular file, is reported to `on_problem` with its reason (unsupported_reason).
/// Symbolic links that lead out of `folder` are reported and not followed unless
/// `follow_symlinks`; loops, broken links and unreadable entries are reported, and the walk
/// goes on.
std::vector<std::filesystem::path>
list_sources(const std::filesystem::path& folder, bool follow_symlinks = false,
             const std::function<void(ReadProblem&&)>& on_problem = {},
             std::vector<std::filesystem::path>* documentation = nullptr);

/// The formats read_source() knows, for messages.
constexpr const char* kSupportedFormats =
    "expected .md, .txt, .jsonl, .html, .pdf, .docx, .odt, .pptx, .odp or .epub";

/// Why a file of an unknown type is skipped: "binary file (a .png file), not a format … " or
/// "unknown type (a .csv file), …", from its first bytes.
std::string unsupported_reason(const std::filesystem::path& file);

/// True when read_source() knows the file's format.
bool is_supported_source(const std::filesystem::path& file);

} // namespace kb
