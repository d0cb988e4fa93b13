#include "record.h"

#include "error.h"

#include <cstdint>

namespace kb {
namespace {

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

} // namespace

std::string encode_record(const Record& r) {
    std::string out;
    out.reserve(r.text.size() + r.title.size() + 256);
    put(out, "id", r.id);
    put(out, "title", r.title);
    put(out, "text", r.text);
    put(out, "date", r.date);
    put(out, "type", r.type);
    put(out, "publisher", r.publisher);
    put(out, "language", r.language);
    put(out, "source_file", r.source_file);
    put(out, "url", r.url);
    for (const auto& [key, value] : r.metadata)
        put(out, "meta:" + key, value);
    return out;
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
        if (key == "id")
            r.id = std::move(value);
        else if (key == "title")
            r.title = std::move(value);
        else if (key == "text")
            r.text = std::move(value);
        else if (key == "date")
            r.date = std::move(value);
        else if (key == "type")
            r.type = std::move(value);
        else if (key == "publisher")
            r.publisher = std::move(value);
        else if (key == "language")
            r.language = std::move(value);
        else if (key == "source_file")
            r.source_file = std::move(value);
        else if (key == "url")
            r.url = std::move(value);
        else if (key.rfind("meta:", 0) == 0)
            r.metadata[key.substr(5)] = std::move(value);
    }
    return r;
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

} // namespace kb
