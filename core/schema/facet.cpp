#include "core/schema/facet.h"

#include "core/schema/schema.h"

namespace kb {

const char* facet_name(Facet facet) {
    return schema::facet_spec(facet).name.data(); // the table's names are literals
}

std::optional<Facet> facet_from_name(std::string_view name) {
    for (const schema::FacetSpec& spec : schema::kFacetTable)
        if (name == spec.name)
            return spec.facet;
    return std::nullopt;
}

} // namespace kb
