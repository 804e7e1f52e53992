#include "workflow/DefaultBaseline.h"

namespace custody {

std::optional<VersionRef> defaultBaseline(const DatasetVersion &batch)
{
    if (batch.parentId == 0 || batch.parentLabel.isEmpty())
        return std::nullopt;
    return VersionRef{batch.ref.dataset, batch.parentLabel};
}

} // namespace custody
