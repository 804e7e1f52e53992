#include "compare/ComparePage.h"

#include "session/BackgroundJob.h"

#include "compare/RecordComparisonView.h"
#include "session/WorkspaceSession.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStringListModel>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

namespace custody {

namespace {
constexpr int kKindRole = Qt::UserRole + 1;
}

ComparePage::ComparePage(WorkspaceSession *session, QWidget *parent)
    : Page(parent), m_session(session), m_a(new QComboBox), m_b(new QComboBox), m_status(new QLabel),
      m_summary(new QLabel), m_categories(new QListWidget), m_records(new QListView),
      m_recordsModel(new QStringListModel(this)), m_comparison(new RecordComparisonView), m_restart(new QTimer(this)), m_job(new BackgroundJob(this))
{
    setObjectName(QStringLiteral("comparePage"));
    m_a->setObjectName(QStringLiteral("compareVersionA"));
    m_b->setObjectName(QStringLiteral("compareVersionB"));
    m_a->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_b->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *swap = new QPushButton(tr("Swap"));
    swap->setObjectName(QStringLiteral("compareSwapButton"));
    m_status->setObjectName(QStringLiteral("compareStatus"));
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_categories->setObjectName(QStringLiteral("deltaCategories"));
    m_categories->setSpacing(3);
    m_records->setObjectName(QStringLiteral("deltaRecords"));
    m_records->setModel(m_recordsModel);
    m_records->setUniformItemSizes(true);
    m_records->setEditTriggers(QAbstractItemView::NoEditTriggers);

    for (Kind kind : {Kind::Added, Kind::Removed, Kind::Modified, Kind::Relabelled, Kind::Duplicates}) {
        auto *item = new QListWidgetItem(kindName(kind), m_categories);
        item->setData(kKindRole, int(kind));
    }

    m_restart->setSingleShot(true);
    m_restart->setInterval(0); // both combos change together: compute once
    connect(m_restart, &QTimer::timeout, this, &ComparePage::start);
    connect(m_a, &QComboBox::currentIndexChanged, m_restart, qOverload<>(&QTimer::start));
    connect(m_b, &QComboBox::currentIndexChanged, m_restart, qOverload<>(&QTimer::start));
    connect(swap, &QPushButton::clicked, this, [this] { compare(versionB(), versionA()); });
    connect(m_categories, &QListWidget::currentRowChanged, this, &ComparePage::showCategory);
    connect(m_records->selectionModel(), &QItemSelectionModel::currentChanged, this, &ComparePage::showRecord);
    connect(m_session, &WorkspaceSession::versionsChanged, this, &ComparePage::fillVersionCombos);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Compare")));
    top->addWidget(m_a);
    top->addWidget(new QLabel(QStringLiteral("→")));
    top->addWidget(m_b);
    top->addWidget(swap);
    top->addStretch(1);
    top->addWidget(m_status);

    auto *lists = new QSplitter(Qt::Horizontal);
    lists->addWidget(m_categories);
    lists->addWidget(m_records);
    lists->addWidget(m_comparison);
    lists->setStretchFactor(0, 0);
    lists->setStretchFactor(1, 1);
    lists->setStretchFactor(2, 4);
    lists->setSizes({220, 260, 800});
    lists->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(lists, 1);
    fillVersionCombos();
}

ComparePage::~ComparePage() = default;

qint64 ComparePage::versionA() const
{
    return m_a->currentData().toLongLong();
}

qint64 ComparePage::versionB() const
{
    return m_b->currentData().toLongLong();
}

void ComparePage::fillVersionCombos()
{
    const qint64 a = versionA(), b = versionB();
    const QLocale locale;
    for (QComboBox *combo : {m_a, m_b}) {
        QSignalBlocker block(combo);
        combo->clear();
        for (const DatasetVersion &v : m_session->versions())
            combo->addItem(tr("%1  (%2 records)").arg(v.ref.toString(), locale.toString(v.recordCount)), v.id);
    }
    // A delta costs a pass over both versions: only recompute what is on screen (after a reload).
    m_job->abandon(); // whatever is still computing belongs to the previous list
    if (isVisible() && m_session->findVersion(a) && m_session->findVersion(b)) {
        compare(a, b);
    } else {
        m_delta = Delta();
        m_summary->clear();
        m_status->clear();
        m_recordsModel->setStringList({});
        m_comparison->showMessage(tr("Select a record to see it on both sides."));
    }
}

QIcon ComparePage::icon() const
{
    return QIcon::fromTheme(QStringLiteral("view-split-left-right"), style()->standardIcon(QStyle::SP_FileDialogContentsView));
}

void ComparePage::activate(const PageRequest &request)
{
    if (m_session->versions().size() >= 2)
        compareWithParent(request.versionId ? request.versionId : m_session->versions().constLast().id);
}

void ComparePage::compareWithParent(qint64 versionId)
{
    if (!m_session->findVersion(versionId))
        return;
    compare(m_session->comparisonFor(versionId), versionId);
}

void ComparePage::compare(qint64 versionA, qint64 versionB)
{
    {
        QSignalBlocker blockA(m_a), blockB(m_b);
        if (const int i = m_a->findData(versionA); i >= 0)
            m_a->setCurrentIndex(i);
        if (const int i = m_b->findData(versionB); i >= 0)
            m_b->setCurrentIndex(i);
    }
    m_restart->start();
}

void ComparePage::start()
{
    const std::optional<DatasetVersion> a = m_session->findVersion(versionA());
    const std::optional<DatasetVersion> b = m_session->findVersion(versionB());
    if (!a || !b || !m_session->isOpen()) {
        m_status->clear();
        m_summary->setText(tr("Choose two versions to compare."));
        return;
    }
    m_status->setText(tr("Computing the delta %1 → %2…").arg(a->ref.toString(), b->ref.toString()));
    m_categories->setEnabled(false);
    m_records->setEnabled(false);
    const QString path = m_session->path();
    // The worker takes copies and its own connection: nothing it touches belongs to this page.
    m_job->start(
        [path, a = *a, b = *b](const BackgroundJob::Context &) {
            Outcome out;
            std::unique_ptr<Workspace> ws = openWorkspace(path, &out.error, Workspace::Access::ReadOnly);
            if (ws)
                out.ok = computeDelta(*ws, a, b, &out.delta, &out.error);
            return out;
        },
        [this](const Outcome &out) { onFinished(out); });
    m_shownA = *a;
    m_shownB = *b;
}

bool ComparePage::isComputing() const
{
    return m_job->isRunning() || m_restart->isActive();
}

void ComparePage::onFinished(const Outcome &out)
{
    if (m_restart->isActive())
        return; // a newer comparison is on its way
    m_categories->setEnabled(true);
    m_records->setEnabled(true);
    m_status->clear();
    if (!out.ok) {
        m_delta = Delta();
        m_summary->setText(tr("The delta could not be computed."));
        Q_EMIT errorOccurred(out.error);
    } else {
        m_delta = out.delta;
    }
    // Conflicting duplicate groups (same content, different labels) are the evidence: list them first.
    m_groupOrder.clear();
    for (int i = 0; i < m_delta.duplicates.size(); ++i)
        m_groupOrder.append(i);
    std::stable_sort(m_groupOrder.begin(), m_groupOrder.end(), [this](int x, int y) {
        return m_delta.duplicates.at(x).conflictingLabels && !m_delta.duplicates.at(y).conflictingLabels;
    });

    for (int row = 0; row < m_categories->count(); ++row) {
        QListWidgetItem *item = m_categories->item(row);
        const Kind kind = Kind(item->data(kKindRole).toInt());
        item->setText(QStringLiteral("%1 (%2)").arg(kindName(kind), countText(kind)));
    }
    if (out.ok) {
        m_summary->setText(tr("%1 → %2:  %3 added · %4 removed · %5 modified · %6 relabelled · %7 duplicate groups")
                               .arg(m_shownA.ref.toString(), m_shownB.ref.toString(), countText(Kind::Added),
                                    countText(Kind::Removed), countText(Kind::Modified), countText(Kind::Relabelled),
                                    countText(Kind::Duplicates)));
    }
    const int current = qMax(0, m_categories->currentRow());
    m_categories->setCurrentRow(-1);
    m_categories->setCurrentRow(current);
    Q_EMIT deltaReady();
}

QString ComparePage::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Added:
        return tr("Added");
    case Kind::Removed:
        return tr("Removed");
    case Kind::Modified:
        return tr("Modified");
    case Kind::Relabelled:
        return tr("Relabelled");
    case Kind::Duplicates:
        return tr("Duplicates");
    }
    return {};
}

QString ComparePage::countText(Kind kind) const
{
    const QLocale locale;
    switch (kind) {
    case Kind::Added:
        return locale.toString(m_delta.added.size());
    case Kind::Removed:
        return locale.toString(m_delta.removed.size());
    case Kind::Modified:
        return locale.toString(m_delta.modified.size());
    case Kind::Relabelled:
        return locale.toString(m_delta.relabelled.size());
    case Kind::Duplicates:
        return tr("%1 conflicting / %2")
            .arg(locale.toString(m_delta.conflictingDuplicateGroups()), locale.toString(m_delta.duplicates.size()));
    }
    return {};
}

QList<QString> ComparePage::idsOf(Kind kind) const
{
    switch (kind) {
    case Kind::Added:
        return m_delta.added;
    case Kind::Removed:
        return m_delta.removed;
    case Kind::Modified:
        return m_delta.modified;
    case Kind::Relabelled:
        return m_delta.relabelled;
    case Kind::Duplicates: {
        QStringList out;
        for (int i : m_groupOrder) {
            const DuplicateGroup &g = m_delta.duplicates.at(i);
            out.append(tr("%1%2").arg(g.ids.join(QStringLiteral(", ")),
                                      g.conflictingLabels ? tr("  — labels differ") : QString()));
        }
        return out;
    }
    }
    return {};
}

void ComparePage::showCategory(int row)
{
    m_comparison->showMessage(tr("Select a record to see it on both sides."));
    if (row < 0) {
        m_recordsModel->setStringList({});
        return;
    }
    const Kind kind = Kind(m_categories->item(row)->data(kKindRole).toInt());
    m_recordsModel->setStringList(idsOf(kind));
    if (m_recordsModel->rowCount() == 0)
        m_comparison->showMessage(tr("Nothing in this category."));
}

void ComparePage::showRecord(const QModelIndex &index)
{
    if (!index.isValid() || !m_session->workspace() || m_categories->currentRow() < 0)
        return;
    const Kind kind = Kind(m_categories->currentItem()->data(kKindRole).toInt());
    RecordQuery query(*m_session->workspace());
    QString error;
    const auto fetch = [&](const DatasetVersion &v, const QString &id) -> std::optional<RecordRow> {
        QString e;
        std::optional<RecordRow> r = query.byId(v.id, id, &e);
        if (!r && !e.isEmpty() && error.isEmpty())
            error = e;
        return r;
    };
    QList<RecordComparisonView::Side> sides;
    const QString a = tr("A: %1").arg(m_shownA.ref.toString());
    const QString b = tr("B: %1").arg(m_shownB.ref.toString());
    if (kind == Kind::Duplicates) {
        const DuplicateGroup &group = m_delta.duplicates.at(m_groupOrder.at(index.row()));
        for (int i = 0; i < group.ids.size() && i < kMaxGroupSides; ++i)
            sides.append({tr("B: %1").arg(group.ids.at(i)), fetch(m_shownB, group.ids.at(i)), m_shownB.schema});
    } else {
        const QString id = index.data().toString();
        sides.append({a, kind == Kind::Added ? std::nullopt : fetch(m_shownA, id), m_shownA.schema});
        sides.append({b, kind == Kind::Removed ? std::nullopt : fetch(m_shownB, id), m_shownB.schema});
    }
    m_comparison->showSides(sides);
    if (!error.isEmpty())
        Q_EMIT errorOccurred(error);
}

} // namespace custody
