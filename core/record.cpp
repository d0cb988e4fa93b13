#include "core/record.h"

#include "core/error.h"
#include "core/numbers.h"
#include "core/record_fields.h"
#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace kb {
namespace {

// The fields a Record names, in the stored order (the metadata follow them).
constexpr std::array<std::pair<std::string_view, std::string Record::*>, 9> kNamedFields = {{
    {"id", &Record::id},
    {"title", &Record::title},
    {"text", &Record::text},
    {"date", &Record::date},
    {"type", &Record::type},
    {"publisher", &Record::publisher},
    {"language", &Record::language},
    {"source_file", &Record::source_file},
    {"url", &Record::url},
}};

// Field names are stored with the values so that adding a field never breaks an old index.
void put(std::string& out, const std::string& key, const std::string& value) {
    auto put_len = [&out](std::uint32_t n) {
        for (int shift = 0; shift < 32; shift += 8)
            out.push_back(static_cast<char>((n >> shift) & 0xff));
    };
    put_len(static_cast<std::uint32_t>(key.size()));
    out += key;
    put_len(static_cast<std::uint32_t>(value.size()));
    out += value;
}

std::uint32_t get_len(const std::string& in, std::size_t& pos) {
    if (pos + 4 > in.size())
        throw Error(ErrorKind::Internal, "corrupt_document", "stored document data is truncated");
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i)
        n |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    pos += 4;
    if (pos + n > in.size())
        throw Error(ErrorKind::Internal, "corrupt_document", "stored document data is truncated");
    return n;
}

// Sections as "begin\tlevel\theading" lines; headings never hold tabs or newlines.
std::string encode_sections(const std::vector<Section>& sections) {
    std::string out;
    for (const Section& s : sections) {
        out += std::to_string(s.begin) + '\t' + std::to_string(s.level) + '\t';
        for (char c : s.heading)
            out.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
        out.push_back('\n');
    }
    return out;
}

// A line that does not parse is dropped: a heading is an aid, never worth failing a read.
std::vector<Section> decode_sections(std::string_view blob) {
    std::vector<Section> out;
    while (!blob.empty()) {
        const std::size_t nl = blob.find('\n');
        const std::string_view line = blob.substr(0, nl);
        blob.remove_prefix(nl == std::string_view::npos ? blob.size() : nl + 1);
        const std::size_t t1 = line.find('\t');
        const std::size_t t2 = t1 == line.npos ? line.npos : line.find('\t', t1 + 1);
        if (t2 == line.npos)
            continue;
        const auto begin = parse_count(std::string(line.substr(0, t1)));
        const auto level = parse_count(std::string(line.substr(t1 + 1, t2 - t1 - 1)));
        if (begin && level && *level >= 1 && *level <= 6)
            out.push_back({static_cast<std::size_t>(*begin), static_cast<unsigned>(*level),
                           std::string(line.substr(t2 + 1))});
    }
    return out;
}

} // namespace

std::string encode_record(const Record& r) {
    std::string out;
    out.reserve(r.text.size() + r.title.size() + 256);
    for (const auto& [name, field] : kNamedFields)
        put(out, std::string(name), r.*field);
    for (const auto& [key, value] : r.metadata)
        put(out, "meta:" + key, value);
    // Only when there are some, so that the blobs of other records stay as they were.
    if (!r.sections.empty())
        put(out, "sections", encode_sections(r.sections));
    return out;
}

std::string* named_field(Record& r, std::string_view key) {
    for (const auto& [name, field] : kNamedFields)
        if (key == name)
            return &(r.*field);
    return nullptr;
}

Record decode_record(const std::string& blob) {
    Record r;
    std::size_t pos = 0;
    while (pos < blob.size()) {
        std::uint32_t n = get_len(blob, pos);
        std::string key = blob.substr(pos, n);
        pos += n;
        n = get_len(blob, pos);
        std::string value = blob.substr(pos, n);
        pos += n;
        if (std::string* field = named_field(r, key))
            *field = std::move(value);
        else if (key == "sections")
            r.sections = decode_sections(value);
        else if (key.rfind("meta:", 0) == 0)
            r.metadata[key.substr(5)] = std::move(value);
    }
    return r;
}

namespace {

[[noreturn]] void reject(const std::string& code, const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, code, message);
}

bool is_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYY, YYYY-MM or YYYY-MM-DD, with a month and day that exist.
bool is_calendar_date(const std::string& d) {
    if (d.size() != 4 && d.size() != 7 && d.size() != 10)
        return false;
    if (!is_digits(std::string_view(d).substr(0, 4)))
        return false;
    if (d.size() == 4)
        return true;
    if (d[4] != '-' || !is_digits(std::string_view(d).substr(5, 2)))
        return false;
    const int month = (d[5] - '0') * 10 + (d[6] - '0');
    if (month < 1 || month > 12)
        return false;
    if (d.size() == 7)
        return true;
    if (d[7] != '-' || !is_digits(std::string_view(d).substr(8, 2)))
        return false;
    const int year = std::stoi(d.substr(0, 4)); // four digits: cannot throw
    const int day = (d[8] - '0') * 10 + (d[9] - '0');
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day >= 1 && day <= (month == 2 && !leap ? 28 : kDays[month - 1]);
}

void check_text(const std::string& field, const std::string& value) {
    if (value.find('\0') != std::string::npos)
        reject("invalid_record", "field '" + field + "' contains a NUL character");
}

} // namespace

void validate_record_id(const std::string& id) {
    if (id.empty())
        reject("invalid_id", "document id is empty");
    if (id.size() > kMaxIdBytes)
        reject("invalid_id", "document id is longer than " + std::to_string(kMaxIdBytes) +
                                 " bytes (" + std::to_string(id.size()) + ")");
    if (!is_valid_utf8(id))
        reject("invalid_id", "document id is not valid UTF-8");
    for (unsigned char c : id)
        if (c < 0x20 || c == 0x7f)
            reject("invalid_id", "document id contains a control character");
    const std::string padded = "/" + id + "/";
    if (padded.find("/../") != std::string::npos || padded.find("/./") != std::string::npos)
        reject("invalid_id", "document id contains a '.' or '..' path segment");
}

void validate_record(const Record& r) {
    validate_record_id(r.id);
    for (const auto& [name, field] : std::span(kNamedFields).subspan(1)) // the id is checked above
        check_text(std::string(name), r.*field);
    if (r.text.size() + r.title.size() > kMaxTextBytes)
        reject("too_large", "the record's text is " + std::to_string(r.text.size()) +
                                " bytes, over the limit of " + std::to_string(kMaxTextBytes));
    if (!r.date.empty() && !is_calendar_date(r.date))
        reject("invalid_date", "date '" + r.date.substr(0, 40) +
                                   "' is not a calendar date (YYYY, YYYY-MM or YYYY-MM-DD)");
    if (r.type.size() > kMaxTypeBytes)
        reject("invalid_record",
               "field 'type' is longer than " + std::to_string(kMaxTypeBytes) + " bytes");
    if (r.language.size() > kMaxLanguageBytes)
        reject("invalid_record",
               "field 'language' is longer than " + std::to_string(kMaxLanguageBytes) + " bytes");
    for (const auto& [key, value] : r.metadata) {
        check_text(key, value);
        if (key.empty() || key.find('\0') != std::string::npos)
            reject("invalid_record", "a metadata field has an empty name or a NUL in its name");
        for (const char* reserved : kReservedMetadata)
            if (key == reserved)
                reject("reserved_field", "field '" + key +
                                             "' is reserved for the index's own "
                                             "passages; rename it");
    }
    if (auto page = r.metadata.find("page"); page != r.metadata.end()) {
        const auto n = parse_count(page->second);
        if (!n || *n < 1 || *n > 1000000)
            reject("invalid_record",
                   "field 'page' must be a whole number from 1 to 1000000, got '" +
                       page->second.substr(0, 40) + "'");
    }
}

int year_of(const std::string& iso_date) {
    if (iso_date.size() < 4)
        return 0;
    int year = 0;
    for (int i = 0; i < 4; ++i) {
        char c = iso_date[i];
        if (c < '0' || c > '9')
            return 0;
        year = year * 10 + (c - '0');
    }
    if (iso_date.size() > 4 && iso_date[4] != '-')
        return 0;
    return year;
}

std::vector<std::string> split_authors(const std::string& joined) {
    std::vector<std::string> names;
    std::size_t begin = 0;
    while (begin <= joined.size()) {
        std::size_t end = joined.find(';', begin);
        if (end == std::string::npos)
            end = joined.size();
        std::string name = joined.substr(begin, end - begin);
        const auto first = name.find_first_not_of(' ');
        const auto last = name.find_last_not_of(' ');
        if (first != std::string::npos)
            names.push_back(name.substr(first, last - first + 1));
        begin = end + 1;
    }
    return names;
}

} // namespace kb
