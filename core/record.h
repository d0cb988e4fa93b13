#pragma once

#include <map>
#include <string>

namespace kb {

/// One document as a reader produces it and as the index stores it: plain strings, no Xapian.
struct Record {
    std::string id; ///< stable id: front matter / JSONL id, or path relative to the corpus
    std::string title;
    std::string text; ///< body text, faithful to the source
    std::string date; ///< ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown
    std::string type; ///< étude, colloque, vade-mecum, programme, actualité, ...
    std::string publisher;
    std::string language;    ///< BCP 47, usually "fr"
    std::string source_file; ///< where the record came from (file name or path)
    std::string url;
    std::map<std::string, std::string> metadata; ///< any other field the source carried

    bool operator==(const Record&) const = default;
};

/// Serialises a record into the document data blob (length-prefixed, binary-safe).
std::string encode_record(const Record& record);
/// Reverses encode_record(); throws kb::Error(Internal) on a corrupt blob.
Record decode_record(const std::string& blob);

/// Year of an ISO 8601 date ("2017-10-03" → 2017), or 0 when the date has no valid year.
int year_of(const std::string& iso_date);

} // namespace kb
