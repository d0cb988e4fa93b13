#pragma once

#include <map>
#include <string>
#include <vector>

namespace kb {

/// A heading of a structured text (Markdown): where it starts in Record::text, how deep it is.
struct Section {
    std::size_t begin = 0; ///< byte offset of the heading's own text in Record::text
    unsigned level = 1;    ///< 1 for "#" … 6 for "######"
    std::string heading;

    bool operator==(const Section&) const = default;
};

/// One document as a reader produces it and as the index stores it: plain strings, no Xapian.
struct Record {
    std::string id; ///< stable id: front matter / JSONL id, or path relative to the corpus
    std::string title;
    std::string text; ///< body text, faithful to the source
    std::string date; ///< ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown
    std::string type; ///< étude, colloque, vade-mecum, programme, actualité, ...
    std::string publisher;
    std::string language; ///< BCP 47, usually "fr"
    /// where the record came from: its file relative to the folder indexed, its URL, "api", or
    /// what the source declares; never the indexing machine's absolute path
    std::string source_file;
    std::string url;
    std::map<std::string, std::string> metadata; ///< any other field the source carried
    /// Headings in text order (Markdown); passages start at them. Empty for other sources.
    std::vector<Section> sections;

    bool operator==(const Record&) const = default;
};

/// Serialises a record into the document data blob (length-prefixed, binary-safe).
std::string encode_record(const Record& record);
/// Reverses encode_record(); throws kb::Error(Internal) on a corrupt blob.
Record decode_record(const std::string& blob);

/// Limits that keep every index term a record produces under Xapian's 245 bytes.
constexpr std::size_t kMaxIdBytes = 200;
constexpr std::size_t kMaxTypeBytes = 100;
constexpr std::size_t kMaxLanguageBytes = 35; // BCP 47 tags in practice
/// A record's text, bounded so that one record's analysis stays within ~200 MB (16 MiB is
/// about 2.5 million words, a 5,000-page document).
constexpr std::size_t kMaxTextBytes = 16u << 20;
/// Metadata keys the index keeps for its passage documents; a record may not set them.
constexpr const char* kReservedMetadata[] = {"passage", "begin"};

/// Checks what every writer (kb-indexer, POST /documents, the Meilisearch routes) accepts:
/// an id of 1 to kMaxIdBytes bytes of UTF-8 without control characters or "."/".." path
/// segments, a real calendar date, bounded type and language, no NUL anywhere, no reserved
/// metadata key, a whole-number `page`. Throws kb::Error(InvalidRequest, code) saying which
/// field is wrong and why.
void validate_record(const Record& record);
/// The id part of validate_record(), for ids in URLs.
void validate_record_id(const std::string& id);

/// Year of an ISO 8601 date ("2017-10-03" → 2017), or 0 when the date has no valid year.
int year_of(const std::string& iso_date);

} // namespace kb
