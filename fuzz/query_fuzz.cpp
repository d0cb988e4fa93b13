// kb::parse_query on arbitrary bytes, without a database and with a small one that holds a few
// documents, the acronym synonyms and spelling data (so expansions and corrections run). The
// database is a temporary glass database: the in-memory backend has no synonym or spelling
// tables (add_spelling throws UnimplementedError).
// The query language promises that malformed syntax degrades to plain words: only kb::Error
// may escape, and the resulting Xapian queries must run.

#include "core/analysis/acronyms.h"
#include "core/analysis/analyzer.h"
#include "core/error.h"
#include "core/indexing/document_builder.h"
#include "core/record.h"
#include "core/search/query/query_builder.h"
#include "fuzz/fuzz_support.h"

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace {

const kb::Analyzer& analyzer() {
    static const kb::Analyzer instance;
    return instance;
}

Xapian::WritableDatabase make_database() {
    // Removed at exit (after the database, which is constructed later and so destroyed first).
    struct TempDir {
        std::string path = (std::filesystem::temp_directory_path() / "kb-query-fuzz-XXXXXX");
        ~TempDir() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };
    static TempDir dir;
    if (!mkdtemp(dir.path.data()))
        kb::fuzz::fail("cannot create a temporary database folder");
    Xapian::WritableDatabase db(dir.path,
                                Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    const auto add = [&](const char* id, const char* title, const char* text, const char* date) {
        kb::Record r;
        r.id = id;
        r.title = title;
        r.text = text;
        r.date = date;
        r.type = "étude";
        r.language = "fr";
        std::vector<std::string> spelling;
        db.add_document(kb::build_document(r, analyzer(), &spelling));
        for (const std::string& word : spelling)
            db.add_spelling(word);
    };
    add("a", "La coopération décentralisée au Sénégal",
        "Les villes d'eau et l'aide publique au développement (APD) : 4 700 projets, 2016-2020.",
        "2017-10-03");
    add("b", "Attractivité des villes moyennes",
        "Saint-Étienne et Cités Unies France : jumelages, rayonnement international, Liban.",
        "2020");
    add("c", "Code général des collectivités territoriales",
        "Article L1115-1 : action extérieure des collectivités territoriales (AECT).",
        "2022-01-01");
    for (const auto& [key, value] : kb::AcronymTable::builtin().synonym_pairs(analyzer()))
        db.add_synonym(key, value);
    db.commit();
    return db;
}

void run(const Xapian::Database& db, const Xapian::Query& query) {
    if (query.empty())
        return;
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    (void)enquire.get_mset(0, 10).size();
}

void parse(std::string_view text, const Xapian::Database* db, const char* what) {
    kb::ParsedQuery parsed;
    try {
        parsed = kb::parse_query(text, analyzer(), db);
    } catch (const kb::Error&) {
        return;
    } catch (...) {
        kb::fuzz::unexpected_exception(what);
    }
    if (!db)
        return;
    try {
        run(*db, parsed.query);
        run(*db, parsed.relaxed);
    } catch (const Xapian::Error& e) {
        kb::fuzz::fail(std::string("the parsed query does not run: ") + e.get_description() + " (" +
                       parsed.query.get_description() + ")");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Xapian::WritableDatabase db = make_database();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    parse(text, nullptr, "parse_query (no database)");
    parse(text, &db, "parse_query (in-memory database)");
    return 0;
}
