#include "detection/ScanContext.h"

#include "sampling/DriftSample.h"

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

Eigen::MatrixXf ScanContext::rowsOf(const Eigen::MatrixXf &rep, const std::vector<int> &rows)
{
    Eigen::MatrixXf x(Eigen::Index(rows.size()), rep.cols());
    for (size_t i = 0; i < rows.size(); ++i)
        x.row(Eigen::Index(i)) = rep.row(rows[i]);
    return x;
}

} // namespace custody
