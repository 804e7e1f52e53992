#include "signoff/SignOffPage.h"

#include "shell/ActionIds.h"

#include "session/BackgroundJob.h"

#include "shell/ActionRegistry.h"
#include "signoff/BatchSummaryView.h"
#include "identity/Identity.h"
#include "identity/PassphraseDialog.h"
#include "session/PolicyGate.h"
#include "session/WorkspaceSession.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

namespace custody {

SignOffPage::SignOffPage(WorkspaceSession *session, Identity *identity, ActionRegistry *actions, QWidget *parent)
    : Page(parent), m_session(session), m_identity(identity), m_actions(actions), m_version(new QComboBox),
      m_notice(new QLabel), m_noticeButton(new QPushButton), m_summary(new BatchSummaryView),
      m_submit(new QPushButton(tr("&Submit for Approval…"))), m_approve(new QPushButton(tr("&Approve…"))),
      m_veto(new QPushButton(tr("&Veto…"))), m_vetoReason(new QLineEdit), m_release(new QPushButton(tr("&Release…"))),
      m_releaseLabel(new QLineEdit), m_refresh(new QTimer(this)), m_changes(new BackgroundJob(this))
{
    setObjectName(QStringLiteral("signOffPage"));
    m_version->setObjectName(QStringLiteral("signOffVersion"));
    m_version->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_notice->setObjectName(QStringLiteral("signOffNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText);
    m_noticeButton->setObjectName(QStringLiteral("signOffNoticeButton"));
    m_submit->setObjectName(QStringLiteral("signOffSubmitButton"));
    m_approve->setObjectName(QStringLiteral("signOffApproveButton"));
    m_veto->setObjectName(QStringLiteral("signOffVetoButton"));
    m_vetoReason->setObjectName(QStringLiteral("signOffVetoReason"));
    m_vetoReason->setPlaceholderText(tr("Why this batch must not be released"));
    m_release->setObjectName(QStringLiteral("signOffReleaseButton"));
    m_releaseLabel->setObjectName(QStringLiteral("signOffReleaseLabel"));
    m_releaseLabel->setPlaceholderText(tr("label of the released version"));
    m_releaseLabel->setMaximumWidth(220);

    m_refresh->setSingleShot(true);
    m_refresh->setInterval(0); // versions and ledger change together after a step: re-read once
    connect(m_refresh, &QTimer::timeout, this, &SignOffPage::refresh);
    const auto later = [this] { m_refresh->start(); };
    connect(m_session, &WorkspaceSession::versionsChanged, this, &SignOffPage::fillVersions);
    connect(m_session, &WorkspaceSession::ledgerChanged, this, later);
    connect(m_session, &WorkspaceSession::closed, this, later);
    connect(m_identity, &Identity::changed, this, later);
    connect(m_version, &QComboBox::currentIndexChanged, this, later);
    connect(m_vetoReason, &QLineEdit::textChanged, this, &SignOffPage::updateTypedSteps);
    connect(m_releaseLabel, &QLineEdit::textChanged, this, &SignOffPage::updateTypedSteps);
    // The notice offers these actions only while they can be taken.
    for (const char *name : {ActionId::MakeSigned, ActionId::ChooseIdentity})
        if (QAction *a = m_actions->action(QLatin1String(name)))
            connect(a, &QAction::changed, this, &SignOffPage::updateNotice);
    connect(m_submit, &QPushButton::clicked, this, &SignOffPage::submit);
    connect(m_approve, &QPushButton::clicked, this, &SignOffPage::approve);
    connect(m_veto, &QPushButton::clicked, this, &SignOffPage::veto);
    connect(m_release, &QPushButton::clicked, this, &SignOffPage::release);
    connect(m_noticeButton, &QPushButton::clicked, this, [this] {
        if (QAction *a = m_actions->action(m_noticeButton->property("action").toString()))
            a->trigger();
    });

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Batch:")));
    top->addWidget(m_version);
    top->addStretch(1);

    auto *notice = new QFrame;
    notice->setObjectName(QStringLiteral("signOffNoticeFrame"));
    notice->setStyleSheet(QStringLiteral("#signOffNoticeFrame { background: #e8f0fb; border: 1px solid #8fb1e0; "
                                         "border-radius: 4px; } QLabel { color: #202020; }"));
    auto *noticeLayout = new QHBoxLayout(notice);
    noticeLayout->setContentsMargins(10, 6, 6, 6);
    noticeLayout->addWidget(m_notice, 1);
    noticeLayout->addWidget(m_noticeButton, 0, Qt::AlignVCenter);

    auto *steps = new QGroupBox(tr("Your sign-off"));
    auto *stepsLayout = new QHBoxLayout(steps);
    stepsLayout->addWidget(m_submit);
    stepsLayout->addSpacing(16);
    stepsLayout->addWidget(m_approve);
    stepsLayout->addSpacing(16);
    stepsLayout->addWidget(m_vetoReason, 2);
    stepsLayout->addWidget(m_veto);
    stepsLayout->addSpacing(16);
    stepsLayout->addWidget(m_releaseLabel, 1);
    stepsLayout->addWidget(m_release);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(notice);
    layout->addWidget(m_summary);
    layout->addWidget(steps);
    layout->addStretch(1); // a form read top to bottom: the steps follow what they sign
    fillVersions();
}

QIcon SignOffPage::icon() const
{
    return QIcon::fromTheme(QStringLiteral("document-sign"), style()->standardIcon(QStyle::SP_DialogApplyButton));
}

void SignOffPage::activate(const PageRequest &request)
{
    if (request.versionId && request.versionId != m_seenVersion)
        selectVersion(request.versionId);
    m_seenVersion = request.versionId;
}

SignOffPage::~SignOffPage() = default;

QString SignOffPage::currentVersion() const
{
    return m_version->currentData().toString();
}

bool SignOffPage::selectVersion(const QString &ref)
{
    const int i = m_version->findData(ref);
    if (i < 0)
        return false;
    {
        QSignalBlocker block(m_version);
        m_version->setCurrentIndex(i);
    }
    m_refresh->stop();
    refresh();
    return true;
}

bool SignOffPage::selectVersion(qint64 versionId)
{
    const auto v = m_session->findVersion(versionId);
    return v && selectVersion(v->ref.toString());
}

void SignOffPage::fillVersions()
{
    const QString current = currentVersion();
    {
        QSignalBlocker block(m_version);
        m_version->clear();
        for (const DatasetVersion &v : m_session->versions())
            m_version->addItem(tr("%1  (%2 records)").arg(v.ref.toString(), QLocale().toString(v.recordCount)),
                               v.ref.toString());
        const int i = m_version->findData(current);
        m_version->setCurrentIndex(i >= 0 ? i : m_version->count() - 1);
    }
    m_changesShownFor.clear(); // a reload may have replaced what the delta was computed from
    m_refresh->start();
}

void SignOffPage::updateNotice()
{
    QString text, button, action;
    Workspace *ws = m_session->workspace();
    const bool isSigned = ws && Ledger(*ws).state().isSigned();
    if (!ws) {
        text = tr("Open a workspace to sign off its batches.");
    } else if (!isSigned) {
        text = tr("This workspace is unsigned: its history is hash-chained, but nobody signs its events, so there "
                  "are no principals, roles or approvals yet. Make it signed to start the sign-off workflow.");
        button = tr("Make Workspace Signed…");
        action = QLatin1String(ActionId::MakeSigned);
    } else if (!m_identity->isSet()) {
        text = tr("You have no signing identity in this window yet. Create or import your key to take part.");
        button = tr("Set Up Identity…");
        action = QLatin1String(ActionId::ChooseIdentity);
    } else if (const auto p = m_identity->principalIn(ws)) {
        text = p->isActive() ? tr("You are %1 here (%2).").arg(p->name, p->roles.join(QStringLiteral(", ")))
                             : tr("Your key was revoked in this workspace (event %1): you cannot sign here.").arg(p->revokedSeq);
    } else {
        text = tr("Your key '%1' (%2…) is not registered in this workspace. Give an admin your public key, %3, to be "
                  "added as a principal.")
                   .arg(m_identity->keyName(), m_identity->shortKeyId(),
                        m_identity->keyStore().publicKeyPath(m_identity->keyName()));
        button = tr("Choose Another Identity…");
        action = QLatin1String(ActionId::ChooseIdentity);
    }
    m_notice->setText(text);
    m_noticeButton->setText(button);
    m_noticeButton->setProperty("action", action);
    m_noticeButton->setVisible(!button.isEmpty() && m_actions->action(action) && m_actions->action(action)->isEnabled());
}

void SignOffPage::refresh()
{
    updateNotice();
    Workspace *ws = m_session->workspace();
    const auto ref = VersionRef::parse(currentVersion());
    const auto version = ref ? m_session->findVersion(*ref) : std::nullopt;
    if (!ws || !version) {
        m_summary->clear();
        const QString why = ws ? tr("Ingest a version first.") : tr("Open a workspace first.");
        m_vetoPolicy = m_releasePolicy = why;
        for (QPushButton *b : {m_submit, m_approve, m_veto, m_release})
            PolicyGate::apply(b, why);
        m_vetoReason->setEnabled(false);
        m_releaseLabel->setEnabled(false);
        return;
    }
    SignOff signOff(*ws);
    StateStore &state = signOff.ledger().state();
    const BatchSummary s = signOff.summary(*ref);
    QHash<QString, QString> names;
    QList<Principal> approvers;
    for (const Principal &p : state.principals()) {
        names.insert(p.keyId, p.name);
        if (p.hasRole(QStringLiteral("approver")))
            approvers.append(p);
    }
    QStringList releasedAs;
    for (const DatasetVersion &v : m_session->versionsOf(ref->dataset))
        if (state.releasedFrom(v.ref.toString()) == s.version)
            releasedAs.append(v.ref.toString());
    m_summary->showSummary(s, names, approvers, releasedAs);

    const QString changesKey = s.version + QLatin1Char(' ') + toHex(version->digest);
    if (changesKey != m_changesShownFor) {
        m_changesShownFor = changesKey;
        startChanges(*version);
    }

    const QJsonObject submitted{{QStringLiteral("version"), s.version}, {QStringLiteral("batch_digest"), s.status.digest}};
    const QJsonObject current{{QStringLiteral("version"), s.version}, {QStringLiteral("batch_digest"), s.currentDigest}};
    QString submitWhy = PolicyGate::whyNot(m_session, m_identity, EventType::BatchSubmitted, current);
    // Not a rule, a kindness: submitting the same batch again would only repeat the event.
    if (submitWhy.isEmpty() && s.status.state == QLatin1String("submitted") && s.status.digest == s.currentDigest)
        submitWhy = tr("%1 is already submitted and has not changed since.").arg(s.version);
    PolicyGate::apply(m_submit, submitWhy, tr("Sign the batch as it is now and ask for approvals."));
    const QString approveWhy = PolicyGate::whyNot(m_session, m_identity, EventType::BatchApproved, submitted);
    PolicyGate::apply(m_approve, approveWhy, tr("Sign your approval of this batch digest."));
    m_vetoPolicy = PolicyGate::whyNot(m_session, m_identity, EventType::BatchVetoed, submitted);
    m_releasePolicy = PolicyGate::whyNot(m_session, m_identity, EventType::VersionReleased, submitted);
    updateTypedSteps();

    // Missing preconditions (no identity, read-only) are said once, above; this line is about the rules.
    if (!state.isSigned() || !PolicyGate::preconditionMissing(m_session, m_identity).isEmpty()) {
        m_summary->showYou(QString(), true);
    } else {
        const QString me = m_identity->displayName(ws);
        if (approveWhy.isEmpty())
            m_summary->showYou(tr("You (%1) may approve this batch.").arg(me), true);
        else
            m_summary->showYou(tr("Why you (%1) may not approve: %2").arg(me, approveWhy), false);
    }
}

void SignOffPage::updateTypedSteps()
{
    // The policy's answer was computed by refresh(); typing only decides whether the step is complete.
    const bool noReason = m_vetoReason->text().trimmed().isEmpty();
    PolicyGate::apply(m_veto, !m_vetoPolicy.isEmpty() || !noReason ? m_vetoPolicy : tr("Type the reason for the veto first."),
                      tr("Block the release of this batch, with your reason."));
    m_vetoReason->setEnabled(m_vetoPolicy.isEmpty());
    const bool noLabel = m_releaseLabel->text().trimmed().isEmpty();
    PolicyGate::apply(m_release,
                      !m_releasePolicy.isEmpty() || !noLabel ? m_releasePolicy : tr("Type the label of the released version first."),
                      tr("Build the curated version and sign its attestation."));
    m_releaseLabel->setEnabled(m_releasePolicy.isEmpty());
}

void SignOffPage::startChanges(const DatasetVersion &version)
{
    const auto parent = m_session->findVersion(version.parentId);
    if (version.parentId == 0 || !parent) {
        m_changes->abandon();
        m_summary->showChangesUnavailable(tr("A first version: there is no parent to compare with."));
        Q_EMIT changesReady();
        return;
    }
    m_summary->showChangesPending(parent->ref.toString());
    // A batch chosen meanwhile starts another job; this one's result is then dropped.
    m_changes->start(
        [path = m_session->path(), a = *parent, b = version](const BackgroundJob::Context &) {
            ChangesOutcome out;
            std::unique_ptr<Workspace> ws = openWorkspace(path, &out.error, Workspace::Access::ReadOnly);
            if (ws)
                out.ok = computeDelta(*ws, a, b, &out.delta, &out.error);
            return out;
        },
        [this, parentRef = parent->ref.toString()](const ChangesOutcome &out) {
            if (out.ok)
                m_summary->showChanges(parentRef, out.delta);
            else
                m_summary->showChangesUnavailable(tr("The changes could not be computed: %1").arg(out.error));
            Q_EMIT changesReady();
        });
}

bool SignOffPage::isComputingChanges() const
{
    return m_changes->isRunning();
}

void SignOffPage::sign(const QString &description, KeyLoader::WorkspaceStep step, std::function<QString()> done)
{
    auto *dialog = PassphraseDialog::ask(m_identity, description, KeyLoader::inWorkspace(m_session->path(), std::move(step)), this);
    connect(dialog, &PassphraseDialog::succeeded, this, [this, done] {
        QString error;
        if (!m_session->reload(&error))
            Q_EMIT errorOccurred(error);
        Q_EMIT completed(done());
    });
    connect(dialog, &PassphraseDialog::failed, this, [this](const QString &message) {
        m_refresh->start();
        Q_EMIT errorOccurred(message.at(0).toUpper() + message.mid(1));
    });
}

void SignOffPage::submit()
{
    const VersionRef ref = *VersionRef::parse(currentVersion());
    const QString me = m_identity->displayName(m_session->workspace());
    sign(tr("Submit %1 for approval as %2").arg(ref.toString(), me),
         [ref](Workspace &ws, const SigningKey &key, QString *error) { return SignOff(ws).submit(key, ref, error); },
         [ref] { return tr("Submitted %1 for approval.").arg(ref.toString()); });
}

void SignOffPage::approve()
{
    const VersionRef ref = *VersionRef::parse(currentVersion());
    sign(tr("Approve %1 as %2").arg(ref.toString(), m_identity->displayName(m_session->workspace())),
         [ref](Workspace &ws, const SigningKey &key, QString *error) { return SignOff(ws).approve(key, ref, error); },
         [ref] { return tr("Approved %1.").arg(ref.toString()); });
}

void SignOffPage::veto()
{
    const VersionRef ref = *VersionRef::parse(currentVersion());
    const QString reason = m_vetoReason->text().trimmed();
    sign(tr("Veto %1 as %2, because: %3").arg(ref.toString(), m_identity->displayName(m_session->workspace()), reason),
         [ref, reason](Workspace &ws, const SigningKey &key, QString *error) {
             return SignOff(ws).veto(key, ref, reason, error);
         },
         [this, ref] {
             m_vetoReason->clear();
             return tr("Vetoed %1.").arg(ref.toString());
         });
}

void SignOffPage::release()
{
    const VersionRef ref = *VersionRef::parse(currentVersion());
    const QString label = m_releaseLabel->text().trimmed();
    auto result = std::make_shared<ReleaseResult>();
    sign(tr("Release %1 as %2@%3, signed by %4")
             .arg(ref.toString(), ref.dataset, label, m_identity->displayName(m_session->workspace())),
         [ref, label, result](Workspace &ws, const SigningKey &key, QString *error) {
             return SignOff(ws).release(key, ref, label, result.get(), error);
         },
         [this, result] {
             m_releaseLabel->clear();
             return tr("Released %1: %2 records, digest %3…; its signed attestation is in the ledger.")
                 .arg(result->version, QLocale().toString(result->recordCount), toHex(result->digest).left(16));
         });
}

} // namespace custody
