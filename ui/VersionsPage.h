#pragma once

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
class VersionsPage : public QWidget
{
    Q_OBJECT
public:
    VersionsPage(WorkspaceSession *session, QAction *ingestAction, QWidget *parent = nullptr);

    qint64 currentVersionId() const;
    bool selectVersion(qint64 versionId);
    void focusRecordFilter();

    VersionTimeline *timeline() const { return m_timeline; }
    VersionDetailsView *details() const { return m_details; }
    RecordsPanel *records() const { return m_records; }

Q_SIGNALS:
    void currentVersionChanged(qint64 versionId);
    void errorOccurred(const QString &message);

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
