#pragma once

#include "storage/DatasetVersion.h"

#include <QTreeWidget>

namespace custody {

// The dataset versions of a workspace, grouped by dataset and in the order they were made, each with its
// record count, short digest and the version it grew from.
class VersionTimeline : public QTreeWidget
{
    Q_OBJECT
public:
    enum Column { LabelColumn, RecordsColumn, DigestColumn, LineageColumn, CreatedColumn, ColumnCount };
    static constexpr int kVersionIdRole = Qt::UserRole + 1;
    static constexpr int kShortDigestLength = 12;

    explicit VersionTimeline(QWidget *parent = nullptr);

    // Replaces the list, keeping the selected version selected when it is still there.
    void setVersions(const QList<DatasetVersion> &versions);
    void clearVersions();
    qint64 currentVersionId() const;
    bool selectVersion(qint64 versionId);
    QTreeWidgetItem *itemForVersion(qint64 versionId) const;

Q_SIGNALS:
    void currentVersionChanged(qint64 versionId); // 0 when no version is selected

private:
    qint64 m_lastEmitted = -1;
};

} // namespace custody
