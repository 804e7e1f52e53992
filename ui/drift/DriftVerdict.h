#pragma once

#include <QString>

namespace custody {

struct DriftReport;

// The dashboard's verdict, as rich text: the dataset verdict with the columns no test covers, label drift,
// integrity problems and, per text column, whether a classifier tells the batch's texts from the baseline's.
// Every name from the data is escaped.
QString driftVerdictHtml(const DriftReport &report);

} // namespace custody
