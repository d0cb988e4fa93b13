// Bare Xapian indexing loop: the reference the ingestion benchmark (bench/ingest_bench.sh)
// measures kb-indexer against, as the issue names it: "a bare Xapian loop (TermGenerator +
// French stemmer, one transaction, no ICU)". It shows what Xapian itself costs on the corpus, so
// the gap between this row and kb-indexer's is what our analysis chain, readers and threads add
// (or save). Deliberately minimal: no kb_core, no ICU, one thread, RapidJSON for the JSONL.
//
// Usage: xapian_bare_index INDEX_DIR FILE.jsonl...
//   INDEX_DIR  a fresh glass database is created there (the folder must not exist or be empty)
//   FILE       JSONL, one object per line with string fields "id", "title" and "text"
// Per document: TermGenerator with Xapian::Stem("french") and the default STEM_SOME strategy
// (unstemmed positional terms plus Z-prefixed stems); the title indexed with prefix S and
// unprefixed, a termpos gap, then the text; boolean term Q<id>; the text stored as document
// data (SQLite FTS5 and PostgreSQL keep it too). All documents in one transaction.
// Prints the number of documents in the database on stdout; exit 1 on any error.

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <xapian.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>

namespace {

const char* const kUsage =
    "usage: xapian_bare_index INDEX_DIR FILE.jsonl...\n"
    "Indexes the JSONL files (one object per line with string fields id, title, text) into a\n"
    "fresh Xapian glass database at INDEX_DIR with a bare TermGenerator and the French stemmer,\n"
    "in one transaction, and prints the number of documents indexed.\n";

// The string member `name` of `d`, or nullptr when it is missing or not a string.
const rapidjson::Value* string_member(const rapidjson::Document& d, const char* name) {
    auto it = d.FindMember(name);
    return it != d.MemberEnd() && it->value.IsString() ? &it->value : nullptr;
}

} // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::cout << kUsage;
            return 0;
        }
    }
    if (argc < 3) {
        std::cerr << kUsage;
        return 2;
    }
    const std::filesystem::path index_dir = argv[1];

    std::error_code ec;
    if (std::filesystem::exists(index_dir, ec) && !(std::filesystem::is_directory(index_dir, ec) &&
                                                    std::filesystem::is_empty(index_dir, ec))) {
        std::cerr << "xapian_bare_index: " << index_dir.string()
                  << " already exists and is not an empty folder; give a fresh path\n";
        return 1;
    }

    try {
        Xapian::WritableDatabase db(index_dir.string(),
                                    Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("french"));

        db.begin_transaction();
        Xapian::doccount added = 0;
        std::string line;
        for (int f = 2; f < argc; ++f) {
            const char* const path = argv[f];
            std::ifstream in(path, std::ios::binary);
            if (!in) {
                std::cerr << "xapian_bare_index: cannot read " << path << '\n';
                return 1;
            }
            unsigned long line_no = 0;
            while (std::getline(in, line)) {
                ++line_no;
                if (line.find_first_not_of(" \t\r\n\f\v") == std::string::npos)
                    continue;
                rapidjson::Document d;
                d.Parse(line.data(), line.size());
                const char* problem = nullptr;
                if (d.HasParseError())
                    problem = rapidjson::GetParseError_En(d.GetParseError());
                else if (!d.IsObject())
                    problem = "not a JSON object";
                const rapidjson::Value* id = problem ? nullptr : string_member(d, "id");
                const rapidjson::Value* title = problem ? nullptr : string_member(d, "title");
                const rapidjson::Value* text = problem ? nullptr : string_member(d, "text");
                if (!problem && !(id && title && text))
                    problem = "missing or non-string \"id\", \"title\" or \"text\"";
                if (problem) {
                    std::cerr << "xapian_bare_index: " << path << ":" << line_no
                              << ": malformed line: " << problem << '\n';
                    return 1;
                }

                const std::string title_s(title->GetString(), title->GetStringLength());
                const std::string text_s(text->GetString(), text->GetStringLength());
                Xapian::Document doc;
                tg.set_document(doc);
                tg.index_text(title_s, 1, "S");
                tg.index_text(title_s);
                tg.increase_termpos();
                tg.index_text(text_s);
                doc.add_boolean_term("Q" + std::string(id->GetString(), id->GetStringLength()));
                doc.set_data(text_s);
                db.add_document(doc);
                ++added;
            }
            if (in.bad()) {
                std::cerr << "xapian_bare_index: error reading " << path << '\n';
                return 1;
            }
        }
        db.commit_transaction();
        db.close();
        std::cout << added << '\n';
    } catch (const Xapian::Error& e) {
        std::cerr << "xapian_bare_index: " << e.get_description() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "xapian_bare_index: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
