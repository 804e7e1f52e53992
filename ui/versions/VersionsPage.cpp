#include "versions/VersionsPage.h"

#include "versions/RecordsPanel.h"
#include "versions/VersionDetailsView.h"
#include "versions/VersionTimeline.h"
#include "session/WorkspaceSession.h"
#include "storage/Workspace.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

namespace custody {

VersionsPage::VersionsPage(WorkspaceSession *session, QAction *ingestAction, QAction *findAction, QWidget *parent)
    : Page(parent), m_session(session), m_stack(new QStackedWidget(this)), m_empty(new QWidget),
      m_content(new QSplitter(Qt::Vertical)), m_timeline(new VersionTimeline), m_details(new VersionDetailsView),
      m_records(new RecordsPanel)
{
    setObjectName(QStringLiteral("versionsPage"));

    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->addStretch(1);
    auto *emptyText = new QLabel(tr("This workspace holds no dataset version yet.\n"
                                    "Ingest a CSV, JSON Lines, NumPy or IDX file, or a folder of images, to make the first one."));
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setWordWrap(true);
    emptyLayout->addWidget(emptyText);
    auto *ingest = new QPushButton(ingestAction->text());
    ingest->setObjectName(QStringLiteral("emptyIngestButton"));
    connect(ingest, &QPushButton::clicked, ingestAction, &QAction::trigger);
    emptyLayout->addWidget(ingest, 0, Qt::AlignCenter);
    emptyLayout->addStretch(2);

    auto *top = new QSplitter(Qt::Horizontal);
    top->setObjectName(QStringLiteral("versionsSplitter"));
    top->addWidget(m_timeline);
    top->addWidget(m_details);
    top->setStretchFactor(0, 2);
    top->setStretchFactor(1, 3);
    top->setSizes({520, 760});
    m_content->setObjectName(QStringLiteral("versionsRecordsSplitter"));
    m_content->addWidget(top);
    m_content->addWidget(m_records);
    m_content->setStretchFactor(0, 1);
    m_content->setStretchFactor(1, 1);
    m_content->setSizes({400, 400});
    m_content->setChildrenCollapsible(false);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_stack);

    connect(m_session, &WorkspaceSession::opened, this, &VersionsPage::onWorkspaceOpened);
    connect(m_session, &WorkspaceSession::closed, this, &VersionsPage::onWorkspaceOpened);
    connect(m_session, &WorkspaceSession::versionsChanged, this, &VersionsPage::onVersionsChanged);
    connect(m_timeline, &VersionTimeline::currentVersionChanged, this, &VersionsPage::showVersion);
    connect(m_records, &RecordsPanel::errorOccurred, this, &VersionsPage::errorOccurred);
    connect(findAction, &QAction::triggered, this, [this] {
        Q_EMIT showRequested({});
        focusRecordFilter();
    });
}

QIcon VersionsPage::icon() const
{
    return QIcon::fromTheme(QStringLiteral("view-list-details"), style()->standardIcon(QStyle::SP_FileDialogDetailedView));
}

void VersionsPage::activate(const PageRequest &request)
{
    if (request.versionId)
        selectVersion(request.versionId);
}

qint64 VersionsPage::currentVersionId() const
{
    return m_timeline->currentVersionId();
}

bool VersionsPage::selectVersion(qint64 versionId)
{
    return m_timeline->selectVersion(versionId);
}

void VersionsPage::focusRecordFilter()
{
    m_records->focusFilter();
}

void VersionsPage::onWorkspaceOpened()
{
    // Another workspace may reuse version ids: forget everything shown for the previous one.
    m_timeline->clearVersions();
    m_details->clearVersion();
    m_records->clear();
}

void VersionsPage::onVersionsChanged()
{
    m_timeline->setVersions(m_session->versions());
    m_stack->setCurrentWidget(m_session->versions().isEmpty() ? m_empty : m_content);
}

void VersionsPage::showVersion(qint64 versionId)
{
    const std::optional<DatasetVersion> version = m_session->findVersion(versionId);
    if (!version || !m_session->workspace()) {
        m_details->clearVersion();
        m_records->clear();
        m_session->setCurrentVersion(0);
        Q_EMIT currentVersionChanged(0);
        return;
    }
    QString error;
    const QList<VersionFile> files = m_session->workspace()->files(version->id, &error);
    if (!error.isEmpty())
        Q_EMIT errorOccurred(error);
    m_details->showVersion(*version, files);
    m_records->showVersion(m_session->path(), *version);
    m_session->setCurrentVersion(versionId);
    Q_EMIT currentVersionChanged(versionId);
}

} // namespace custody
