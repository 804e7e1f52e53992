#pragma once

#include <QString>
#include <QStringList>

#include <memory>

namespace custody {

struct DriftSample;

// Records of one text column "text" as a drift/scan sample in memory: ids, labels by name, content hashes of
// the UTF-8 text. What the text benchmark and the text detector tests scan.
std::shared_ptr<DriftSample> textSetSample(const QStringList &ids, const QStringList &labels, const QStringList &texts,
                                           const QString &version);

} // namespace custody
