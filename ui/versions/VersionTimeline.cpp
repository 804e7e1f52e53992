#include "versions/VersionTimeline.h"

#include <QHeaderView>
#include <QLocale>

namespace custody {

VersionTimeline::VersionTimeline(QWidget *parent) : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("versionTimeline"));
    setColumnCount(ColumnCount);
    setHeaderLabels({tr("Version"), tr("Records"), tr("Digest"), tr("Lineage"), tr("Created")});
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(QHeaderView::Interactive);
    connect(this, &QTreeWidget::currentItemChanged, this, [this] {
        const qint64 id = currentVersionId();
        if (id == m_lastEmitted)
            return;
        m_lastEmitted = id;
        Q_EMIT currentVersionChanged(id);
    });
}

void VersionTimeline::setVersions(const QList<DatasetVersion> &versions)
{
    const qint64 selected = currentVersionId();
    {
        QSignalBlocker block(this);
        clear();
        const QLocale locale;
        QHash<QString, QTreeWidgetItem *> groups;
        for (const DatasetVersion &v : versions) {
            QTreeWidgetItem *group = groups.value(v.ref.dataset);
            if (!group) {
                group = new QTreeWidgetItem(this);
                group->setText(LabelColumn, v.ref.dataset);
                QFont bold = group->font(LabelColumn);
                bold.setBold(true);
                group->setFont(LabelColumn, bold);
                group->setFlags(Qt::ItemIsEnabled);
                group->setFirstColumnSpanned(false);
                groups.insert(v.ref.dataset, group);
            }
            auto *item = new QTreeWidgetItem(group);
            item->setData(LabelColumn, kVersionIdRole, v.id);
            item->setText(LabelColumn, v.ref.label);
            item->setToolTip(LabelColumn, v.ref.toString());
            item->setToolTip(CreatedColumn, locale.toString(v.createdAt.toLocalTime(), QLocale::LongFormat));
            item->setText(RecordsColumn, locale.toString(v.recordCount));
            item->setTextAlignment(RecordsColumn, Qt::AlignRight | Qt::AlignVCenter);
            const QString digest = toHex(v.digest);
            item->setText(DigestColumn, digest.left(kShortDigestLength));
            item->setToolTip(DigestColumn, digest);
            item->setFont(DigestColumn, QFont(QStringLiteral("monospace")));
            item->setText(LineageColumn, v.parentLabel.isEmpty()
                                             ? tr("first version")
                                             : QStringLiteral("%1 → %2").arg(v.parentLabel, v.ref.label));
            item->setText(CreatedColumn, v.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        }
        for (QTreeWidgetItem *group : std::as_const(groups)) {
            const int n = group->childCount();
            group->setText(RecordsColumn, n == 1 ? tr("1 version") : tr("%1 versions").arg(n));
        }
        expandAll();
        for (int c = 0; c < ColumnCount - 1; ++c)
            resizeColumnToContents(c);
    }
    if (selectVersion(selected))
        return;
    // Nothing to keep: start on the newest version of the first dataset, where a curator usually works.
    QTreeWidgetItem *first = topLevelItemCount() > 0 ? topLevelItem(0) : nullptr;
    if (first && first->childCount() > 0) {
        setCurrentItem(first->child(first->childCount() - 1));
    } else if (m_lastEmitted != 0) {
        m_lastEmitted = 0;
        Q_EMIT currentVersionChanged(0);
    }
}

void VersionTimeline::clearVersions()
{
    {
        QSignalBlocker block(this);
        clear();
    }
    m_lastEmitted = -1; // the next workspace may reuse ids: its first selection must be announced
}

qint64 VersionTimeline::currentVersionId() const
{
    const QTreeWidgetItem *item = currentItem();
    return item ? item->data(LabelColumn, kVersionIdRole).toLongLong() : 0;
}

QTreeWidgetItem *VersionTimeline::itemForVersion(qint64 versionId) const
{
    if (versionId <= 0)
        return nullptr;
    for (int g = 0; g < topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            if (group->child(i)->data(LabelColumn, kVersionIdRole).toLongLong() == versionId)
                return group->child(i);
        }
    }
    return nullptr;
}

bool VersionTimeline::selectVersion(qint64 versionId)
{
    QTreeWidgetItem *item = itemForVersion(versionId);
    if (!item)
        return false;
    setCurrentItem(item); // announced by currentItemChanged when it is a different version
    scrollToItem(item);
    return true;
}

} // namespace custody
