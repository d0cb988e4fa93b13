#pragma once

// What a reader sends to its sink, collected for the tests' assertions.

#include "core/record.h"
#include "indexer/readers/read_problem.h"
#include "indexer/readers/source_reader.h"

#include <utility>
#include <vector>

namespace kb::test {

/// The records and problems a reader reported, in order.
struct Collected {
    std::vector<Record> records;
    std::vector<ReadProblem> problems;
    ReadSink sink() {
        return {[this](Record&& r) { records.push_back(std::move(r)); },
                [this](ReadProblem&& p) { problems.push_back(std::move(p)); }};
    }
};

} // namespace kb::test
