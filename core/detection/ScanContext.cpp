#include "detection/ScanContext.h"

#include "analysis/DriftSample.h"

namespace custody {

QString ScanContext::recordId(int batchRow) const
{
    return batch->ids.value(batchRow);
}

QString ScanContext::referenceId(int refRow) const
{
    return reference().ids.value(refRow);
}

std::vector<int> ScanContext::batchRowsOf(int label) const
{
    std::vector<int> rows;
    for (size_t i = 0; i < batchLabel.size(); ++i)
        if (batchLabel[i] == label)
            rows.push_back(int(i));
    return rows;
}

} // namespace custody
