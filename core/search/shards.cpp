#include "core/search/shards.h"

#include "core/error.h"
#include "core/trim.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kb {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void bad_spec(const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, "invalid_index_spec", message);
}

// "HOST:PORT" (the host may be a bracketed IPv6 address) into a remote spec.
ShardSpec remote_spec(const std::string& endpoint, const std::string& context) {
    const std::size_t colon = endpoint.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size())
        bad_spec(context + ": expected HOST:PORT, got '" + endpoint + "'");
    std::string host = endpoint.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned long port = 0;
    try {
        std::size_t used = 0;
        port = std::stoul(endpoint.substr(colon + 1), &used);
        if (used != endpoint.size() - colon - 1)
            port = 0;
    } catch (...) {
        port = 0;
    }
    if (port == 0 || port > 65535)
        bad_spec(context + ": bad port in '" + endpoint + "' (expected 1-65535)");
    ShardSpec s;
    s.name = "tcp:" + endpoint;
    s.host = host;
    s.port = static_cast<unsigned>(port);
    return s;
}

ShardSpec local_spec(const std::string& path) {
    ShardSpec s;
    s.name = s.path = path;
    return s;
}

// One entry of a list or of a stub file; `base` resolves relative local paths.
ShardSpec entry_spec(const std::string& entry, const fs::path& base, const std::string& context) {
    if (entry.rfind("tcp:", 0) == 0)
        return remote_spec(entry.substr(4), context);
    const std::size_t space = entry.find_first_of(" \t");
    if (space != std::string::npos) {
        const std::string kind = entry.substr(0, space);
        const std::string rest(trim(entry.substr(space + 1)));
        if (kind == "remote") {
            if (!rest.empty() && rest.front() == ':')
                bad_spec(context + ": remote program databases (remote :PROGRAM) are not "
                                   "supported, use xapian-tcpsrv endpoints");
            return remote_spec(rest, context);
        }
        if (kind == "auto" || kind == "glass" || kind == "chert" || kind == "honey") {
            const fs::path p(rest);
            return local_spec((p.is_absolute() ? p : base / p).lexically_normal().string());
        }
        if (kind == "inmemory")
            bad_spec(context + ": inmemory databases cannot be served");
    }
    const fs::path p(entry);
    return local_spec((p.is_absolute() || base.empty() ? p : base / p).lexically_normal().string());
}

std::vector<ShardSpec> read_stub(const fs::path& stub) {
    std::ifstream in(stub);
    if (!in)
        bad_spec("cannot read the stub file " + stub.string());
    std::vector<ShardSpec> out;
    std::string line;
    unsigned n = 0;
    while (std::getline(in, line)) {
        ++n;
        line = std::string(trim(line));
        if (line.empty() || line[0] == '#')
            continue;
        out.push_back(
            entry_spec(line, stub.parent_path(), stub.string() + ":" + std::to_string(n)));
    }
    if (out.empty())
        bad_spec("the stub file " + stub.string() + " lists no database");
    return out;
}

} // namespace

std::string shard_name(unsigned n) { return "shard-" + std::to_string(n); }

std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

unsigned shard_of(std::string_view record_id, unsigned shards) {
    return shards <= 1 ? 0 : static_cast<unsigned>(fnv1a64(record_id) % shards);
}

std::optional<unsigned> sharded_index_shards(const std::string& dir) {
    std::error_code ec;
    const fs::path stub = fs::path(dir) / kStubName;
    if (!fs::is_regular_file(stub, ec))
        return std::nullopt;
    unsigned shards = 0;
    for (const ShardSpec& s : read_stub(stub))
        if (fs::path(s.path).filename().string().rfind("shard-", 0) == 0)
            ++shards;
    return shards;
}

void write_stub(const std::string& dir, unsigned shards) {
    const fs::path stub = fs::path(dir) / kStubName;
    const fs::path tmp = fs::path(dir) / (std::string(kStubName) + ".tmp");
    {
        std::ofstream out(tmp, std::ios::trunc);
        // The aux database comes first: Xapian reads metadata from the first database only.
        out << "# Written by kb-indexer --shards " << shards << ": the aux database (spelling,\n"
            << "# synonyms, metadata; no documents) and the shards, opened as one database.\n"
            << "auto " << kAuxName << "\n";
        for (unsigned i = 0; i < shards; ++i)
            out << "auto " << shard_name(i) << "\n";
        out.flush();
        if (!out)
            throw Error(ErrorKind::Internal, "stub_unwritable",
                        "cannot write the stub file " + tmp.string());
    }
    fs::rename(tmp, stub);
}

std::vector<ShardSpec> parse_index_spec(const std::string& spec) {
    const std::string text(trim(spec));
    if (text.empty())
        bad_spec("the index specification is empty");
    if (text.find(',') != std::string::npos || text.rfind("tcp:", 0) == 0) {
        std::vector<ShardSpec> out;
        std::stringstream items(text);
        std::string item;
        while (std::getline(items, item, ',')) {
            item = std::string(trim(item));
            if (!item.empty())
                out.push_back(entry_spec(item, {}, "index list"));
        }
        if (out.empty())
            bad_spec("the index list names no database");
        return out;
    }
    std::error_code ec;
    if (fs::is_regular_file(text, ec))
        return read_stub(text);
    if (fs::is_regular_file(fs::path(text) / kStubName, ec))
        return read_stub(fs::path(text) / kStubName);
    return {local_spec(text)};
}

} // namespace kb
