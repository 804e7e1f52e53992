#pragma once

#include "shell/ActionIds.h"
#include "shell/Page.h"

#include <QWidget>

class QSplitter;
class QStackedWidget;

namespace custody {

class RecordsPanel;
class VersionDetailsView;
class VersionTimeline;
class WorkspaceSession;

// The dataset timeline on the left, the selected version's manifest and provenance on the right, and its
// records below. With no version yet it says how to make one.
class VersionsPage : public Page
{
    Q_OBJECT
public:
    // `findAction` (Ctrl+F) brings the page up with the record filter focused.
    VersionsPage(WorkspaceSession *session, QAction *ingestAction, QAction *findAction, QWidget *parent = nullptr);

    QString pageId() const override { return QLatin1String(ActionId::ShowVersions); }
    QString title() const override { return tr("&Versions"); }
    QIcon icon() const override;
    QKeySequence shortcut() const override { return QKeySequence(Qt::CTRL | Qt::Key_1); }
    void activate(const PageRequest &request) override; // selects request.versionId when given

    qint64 currentVersionId() const;
    bool selectVersion(qint64 versionId);
    void focusRecordFilter();

    VersionTimeline *timeline() const { return m_timeline; }
    VersionDetailsView *details() const { return m_details; }
    RecordsPanel *records() const { return m_records; }

Q_SIGNALS:
    void currentVersionChanged(qint64 versionId);

private:
    void onWorkspaceOpened();
    void onVersionsChanged();
    void showVersion(qint64 versionId);

    WorkspaceSession *m_session;
    QStackedWidget *m_stack;
    QWidget *m_empty;
    QSplitter *m_content;
    VersionTimeline *m_timeline;
    VersionDetailsView *m_details;
    RecordsPanel *m_records;
};

} // namespace custody
