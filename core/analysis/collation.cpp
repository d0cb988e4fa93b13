#include "core/analysis/collation.h"

#include "core/error.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/stringpiece.h>

#include <memory>

namespace kb {
namespace {

const icu::Collator& french_collator() {
    thread_local const std::unique_ptr<icu::Collator> collator = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Collator> c(icu::Collator::createInstance(icu::Locale("fr"), status));
        if (U_FAILURE(status) || !c)
            throw Error(ErrorKind::Internal, "icu", "cannot create ICU's French collator");
        return c;
    }();
    return *collator;
}

} // namespace

bool french_less(std::string_view a, std::string_view b) {
    UErrorCode status = U_ZERO_ERROR;
    const UCollationResult r = french_collator().compareUTF8(
        icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
        icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
    if (U_FAILURE(status))
        return a < b; // not expected (invalid UTF-8 compares as U+FFFD): bytes then
    return r == UCOL_LESS;
}

} // namespace kb
