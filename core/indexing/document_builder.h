#pragma once

#include "core/analysis/analyzer.h"
#include "core/record.h"

#include <xapian.h>

#include <string>
#include <vector>

namespace kb {

/// Turns a record into the Xapian document the index stores: word, stem, accented and title
/// terms from the analysis chain, boolean filter terms, value slots and the record as data.
/// A record's Xapian documents: the record itself and, for a long text, one per passage.
struct IndexedRecord {
    Xapian::Document record;
    std::vector<Xapian::Document> passages;
};

/// Builds the record document and its passage documents (see passages.h). Passages carry
/// the record's title, filters and facets, the parent id in schema::kParentSlot and the
/// boolean term passage_term(id), so they can be replaced or deleted together. The record is
/// its own near-duplicate cluster (see set_cluster).
IndexedRecord build_documents(const Record& record, const Analyzer& analyzer,
                              std::vector<std::string>* spelling = nullptr);

/// build_documents without the cluster values, for a writer that decides the cluster later
/// (IndexWriter): it then calls set_cluster once.
IndexedRecord build_unclustered(const Record& record, const Analyzer& analyzer,
                                std::vector<std::string>* spelling = nullptr);

/// Sets the near-duplicate cluster on the record and every passage: schema::kClusterSlot and
/// schema::kFacetKeySlot (see facet_key).
void set_cluster(IndexedRecord& built, const std::string& cluster);

/// The boolean term every passage of a record carries.
std::string passage_term(const std::string& parent_id);

/// The record document alone (see build_documents).
/// When `spelling` is given, the words worth offering as spelling corrections (accented, lower
/// case, no stopwords or numbers) are appended to it.
Xapian::Document build_document(const Record& record, const Analyzer& analyzer,
                                std::vector<std::string>* spelling = nullptr);

/// The analysis chain's terms for one text, as TermGenerator::index_text would write them:
/// positional words, stems and accented forms (for benchmarks and tests).
Xapian::Document index_text(const std::string& text, const Analyzer& analyzer);

/// The unique id term of a record id ("Q" + id).
std::string id_term(const std::string& id);

/// A stable hash of everything a record carries, stored so unchanged sources can be skipped.
/// It covers the index format too, so records written by an older format are rewritten.
std::string content_hash(const Record& record);

/// The value of schema::kFacetKeySlot for a document whose parent and facet slots are set.
std::string facet_key(const std::string& cluster, const Xapian::Document& doc);

} // namespace kb
