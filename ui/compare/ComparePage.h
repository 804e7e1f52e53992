#pragma once

#include "shell/ActionIds.h"
#include "shell/Page.h"

#include "storage/Delta.h"
#include "storage/DatasetVersion.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListView;
class QListWidget;
class QStringListModel;
class QTimer;

namespace custody {

class BackgroundJob;

class RecordComparisonView;
class WorkspaceSession;

// The delta between two versions: what was added, removed, modified, relabelled, and which records are
// duplicated inside B (conflicting labels first). The delta is computed on a worker thread; picking a record
// shows it on both sides.
class ComparePage : public Page
{
    Q_OBJECT
public:
    enum class Kind { Added, Removed, Modified, Relabelled, Duplicates };
    static constexpr int kMaxGroupSides = 12;

    explicit ComparePage(WorkspaceSession *session, QWidget *parent = nullptr);
    ~ComparePage() override;

    QString pageId() const override { return QLatin1String(ActionId::ShowCompare); }
    QString title() const override { return tr("&Compare Versions"); }
    QIcon icon() const override;
    QKeySequence shortcut() const override { return QKeySequence(Qt::CTRL | Qt::Key_D); }
    int versionsNeeded() const override { return 2; }
    // Compares request.versionId (the newest version when none) with its parent.
    void activate(const PageRequest &request) override;

    // B = the given version; A = its parent (or the version made before it in the same dataset).
    void compareWithParent(qint64 versionId);
    void compare(qint64 versionA, qint64 versionB);

    bool isComputing() const;
    const Delta &delta() const { return m_delta; }
    qint64 versionA() const;
    qint64 versionB() const;
    QString countText(Kind kind) const;
    static QString kindName(Kind kind);

    QListWidget *categories() const { return m_categories; }
    QListView *records() const { return m_records; }
    RecordComparisonView *comparison() const { return m_comparison; }

Q_SIGNALS:
    void deltaReady();

private:
    struct Outcome
    {
        bool ok = false;
        Delta delta;
        QString error;
    };

    void fillVersionCombos();
    void start();
    void onFinished(const Outcome &out);
    void showCategory(int row);
    void showRecord(const QModelIndex &index);
    QList<QString> idsOf(Kind kind) const;

    WorkspaceSession *m_session;
    QComboBox *m_a;
    QComboBox *m_b;
    QLabel *m_status;
    QLabel *m_summary;
    QListWidget *m_categories;
    QListView *m_records;
    QStringListModel *m_recordsModel;
    RecordComparisonView *m_comparison;
    QTimer *m_restart;
    BackgroundJob *m_job;
    Delta m_delta;
    DatasetVersion m_shownA, m_shownB;
    QList<int> m_groupOrder; // duplicate groups, conflicting first
};

} // namespace custody
