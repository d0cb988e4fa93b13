#pragma once

#include "core/embedding/vector_store.h"
#include "core/indexing/index_writer.h"
#include "indexer/readers/read_problem.h"
#include "indexer/readers/source_reader.h"
#include "indexer/remote/remote_sources.h"

#include <string>
#include <vector>

namespace kb {

/// What one kb-indexer run is asked to do.
struct IndexOptions {
    std::string index = "var/index";
    std::string root;                 ///< ids relative to this folder for files given one by one
    std::vector<std::string> sources; ///< files and folders
    RemoteSources remote;
    FetchOptions fetch;
    bool quiet = false;
    bool prune = false;           ///< delete records whose source file (or JSONL line) is gone
    bool follow_symlinks = false; ///< follow links that lead out of the folders given
    std::string report; ///< JSON Lines file of skipped and incomplete sources, "" for none
    std::size_t progress_every = 1000;
    ReadOptions reading;  ///< OCR of scanned PDF pages (threads: `threads` when 0)
    unsigned threads = 0; ///< analysis threads; 0 = one per core
    unsigned shards = 0;  ///< 0: keep the index's layout; N >= 2: N shards (shards.h)
    /// Vectors (core/embedding) after the commit: Auto trains a model only when the index has
    /// no model yet and at least kAutoTrainMinWords words; Train always (re)trains; Off skips.
    enum class Vectors { Auto, Train, Off } vectors = Vectors::Auto;
    std::string vector_model; ///< a pre-trained fastText .bin/.vec instead of training
    FastTextTraining training;
};

/// Auto mode trains vectors only on indexes with at least this much text: below, a skip-gram
/// model learns little (the bundled seeds have about 3,000 words, corpus/ about 740,000).
constexpr std::size_t kAutoTrainMinWords = 50000;

/// What the run did, for the summary and the exit status.
struct IndexSummary : WriteTally {
    std::size_t records = 0, pruned = 0, skipped = 0;
    std::size_t incomplete = 0;        ///< sources indexed without all their text (no body)
    std::size_t documents = 0;         ///< records in the index after the run
    std::vector<ReadProblem> problems; ///< what was skipped or read incompletely, and why
    /// The folders' own README.md, SOURCE.md and LICENSE files, met and not indexed.
    std::vector<std::string> documentation;
    /// Words (runs of letters or digits, count_words) in the titles and texts of the records
    /// read, indexed or found unchanged.
    std::size_t words = 0;
    double seconds = 0;
    VectorBuildSummary vectors;
    std::string vectors_note; ///< why no vectors were built, or ""
};

/// Reads every source, writes the records in one transaction (analysis in parallel), prunes
/// if asked, commits, and reports progress and problems. Throws kb::Error when the run cannot
/// complete; the index then keeps its previous content.
IndexSummary run_index(const IndexOptions& options);

} // namespace kb
