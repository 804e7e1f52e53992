#include "ledger/LedgerPage.h"
#include "workflow/Attestation.h"

#include "shell/ActionIds.h"

#include "session/BackgroundJob.h"

#include "shell/ActionRegistry.h"
#include "identity/Identity.h"
#include "ledger/LedgerEventModel.h"
#include "ledger/MakeSignedDialog.h"
#include "identity/PassphraseDialog.h"
#include "session/PolicyGate.h"
#include "ledger/VerifyPanel.h"
#include "session/WorkspaceSession.h"
#include "identity/SigningKey.h"
#include "ledger/SignOff.h"
#include "storage/FileWrite.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"
#include "workflow/Checkpoints.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cerrno>

namespace custody {

namespace {
QAction *actionNamed(ActionRegistry *actions, const char *name)
{
    return actions->action(QLatin1String(name));
}

QToolButton *toolButton(QAction *action)
{
    auto *button = new QToolButton;
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setObjectName(action->objectName() + QStringLiteral("_button"));
    return button;
}
} // namespace

LedgerPage::LedgerPage(WorkspaceSession *session, Identity *identity, ActionRegistry *actions, QWidget *parent)
    : Page(parent), m_session(session), m_identity(identity), m_actions(actions), m_model(new LedgerEventModel(this)),
      m_typeFilter(new QComboBox), m_actorFilter(new QComboBox), m_textFilter(new QLineEdit), m_count(new QLabel),
      m_unsignedNotice(new QFrame), m_verify(new VerifyPanel), m_table(new QTableView), m_detail(new QPlainTextEdit),
      m_reload(new QTimer(this)), m_load(new BackgroundJob(this))
{
    setObjectName(QStringLiteral("ledgerPage"));
    m_typeFilter->setObjectName(QStringLiteral("ledgerTypeFilter"));
    m_actorFilter->setObjectName(QStringLiteral("ledgerActorFilter"));
    m_typeFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_actorFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_textFilter->setObjectName(QStringLiteral("ledgerTextFilter"));
    m_textFilter->setPlaceholderText(tr("Filter events: version, record, name, hash…"));
    m_textFilter->setClearButtonEnabled(true);
    m_count->setObjectName(QStringLiteral("ledgerCount"));

    m_table->setObjectName(QStringLiteral("ledgerTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(LedgerEventModel::SummaryColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(LedgerEventModel::SeqColumn, 50);
    m_table->setColumnWidth(LedgerEventModel::TimeColumn, 150);
    m_table->setColumnWidth(LedgerEventModel::ActorColumn, 110);
    m_table->setColumnWidth(LedgerEventModel::TypeColumn, 150);
    m_table->setColumnWidth(LedgerEventModel::HashColumn, 120);
    m_table->setWordWrap(false);
    m_detail->setObjectName(QStringLiteral("ledgerEventDetail"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select an event to see what was signed."));

    QAction *verifyAction = actionNamed(actions, ActionId::Verify);
    QAction *checkpoint = actionNamed(actions, ActionId::ExportCheckpoint);
    QAction *attestation = actionNamed(actions, ActionId::ExportAttestation);
    QAction *makeSignedAction = actionNamed(actions, ActionId::MakeSigned);
    connect(verifyAction, &QAction::triggered, this, &LedgerPage::verify);
    connect(checkpoint, &QAction::triggered, this, &LedgerPage::exportCheckpoint);
    connect(attestation, &QAction::triggered, this, &LedgerPage::exportAttestation);
    connect(makeSignedAction, &QAction::triggered, this, &LedgerPage::makeSigned);

    m_unsignedNotice->setObjectName(QStringLiteral("ledgerUnsignedNotice"));
    m_unsignedNotice->setStyleSheet(QStringLiteral("#ledgerUnsignedNotice { background: #fdf3dc; border: 1px solid #e0b95a; "
                                                   "border-radius: 4px; } QLabel { color: #202020; }"));
    auto *noticeText = new QLabel(tr("This workspace is unsigned. Its events are hash-chained, so a change to one "
                                     "breaks the chain, but nobody signed them: whoever can write the folder could "
                                     "rewrite the whole history consistently, and there are no roles or approvals. "
                                     "Make it signed: you become its admin, register the others, and every later "
                                     "change carries its author's signature."));
    noticeText->setWordWrap(true);
    auto *noticeLayout = new QHBoxLayout(m_unsignedNotice);
    noticeLayout->setContentsMargins(10, 6, 6, 6);
    noticeLayout->addWidget(noticeText, 1);
    noticeLayout->addWidget(toolButton(makeSignedAction), 0, Qt::AlignVCenter);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_typeFilter);
    filters->addWidget(m_actorFilter);
    filters->addWidget(m_textFilter, 1);
    filters->addWidget(m_count);
    filters->addSpacing(12);
    filters->addWidget(toolButton(verifyAction));
    filters->addWidget(toolButton(checkpoint));
    filters->addWidget(toolButton(attestation));

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(filters);
    layout->addWidget(m_unsignedNotice);
    layout->addWidget(m_verify);
    layout->addWidget(split, 1);

    m_reload->setSingleShot(true);
    m_reload->setInterval(0);
    connect(m_reload, &QTimer::timeout, this, &LedgerPage::reload);
    // Actions follow at once; the events are re-read (on a worker) once per burst of changes.
    const auto later = [this] {
        updateActions();
        m_reload->start();
    };
    connect(m_session, &WorkspaceSession::versionsChanged, this, later);
    connect(m_session, &WorkspaceSession::ledgerChanged, this, later);
    connect(m_session, &WorkspaceSession::closed, this, later);
    connect(m_identity, &Identity::changed, this, &LedgerPage::updateActions);
    connect(m_typeFilter, &QComboBox::currentIndexChanged, this, &LedgerPage::applyFilter);
    connect(m_actorFilter, &QComboBox::currentIndexChanged, this, &LedgerPage::applyFilter);
    connect(m_textFilter, &QLineEdit::textChanged, this, &LedgerPage::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LedgerPage::showSelectedEvent);
    connect(m_verify, &VerifyPanel::runningChanged, this, &LedgerPage::updateActions);
    connect(m_verify, &VerifyPanel::verified, this, &LedgerPage::onVerified);
    reload();
}

LedgerPage::~LedgerPage() = default;

QIcon LedgerPage::icon() const
{
    return QIcon::fromTheme(QStringLiteral("view-history"), style()->standardIcon(QStyle::SP_FileDialogInfoView));
}

void LedgerPage::reload()
{
    updateActions();
    if (!m_session->isOpen()) {
        m_load->abandon();
        m_model->clear();
        fillFilterCombos();
        m_verify->clear();
        m_detail->clear();
        return;
    }
    // Events are read on a worker with its own connection; the rows on screen stay until the new ones arrive.
    m_load->start([path = m_session->path()](const BackgroundJob::Context &) {
        LoadOutcome out;
        std::unique_ptr<Workspace> ws = openWorkspace(path, &out.error, Workspace::Access::ReadOnly);
        if (!ws)
            return out;
        Ledger ledger(*ws);
        QHash<QString, QString> names;
        for (const Principal &p : ledger.state().principals())
            names.insert(p.keyId, p.name);
        ledger.forEach([&](const LedgerEvent &e) {
            out.rows.append(LedgerEventModel::rowFor(e, names));
            return true;
        }, &out.error);
        return out;
    }, [this](const LoadOutcome &out) { onLoaded(out); });
}

bool LedgerPage::isLoading() const
{
    return m_load->isRunning();
}

void LedgerPage::onLoaded(const LoadOutcome &out)
{
    const qint64 selected = m_model->rowAt(m_table->currentIndex().row()) ? m_model->rowAt(m_table->currentIndex().row())->seq : 0;
    const qint64 broken = m_model->brokenSeq();
    m_model->setRows(out.rows);
    fillFilterCombos();
    applyFilter();
    QString why;
    if (broken > 0 && m_verify->firstBrokenEvent(&why) == broken)
        m_model->setBroken(broken, why);
    if (selected > 0)
        selectEvent(selected);
    if (!out.error.isEmpty())
        Q_EMIT errorOccurred(out.error);
    updateActions();
    Q_EMIT eventsLoaded();
}

void LedgerPage::fillFilterCombos()
{
    const auto fill = [](QComboBox *combo, const QString &all, const QStringList &values) {
        const QString current = combo->currentData().toString();
        QSignalBlocker block(combo);
        combo->clear();
        combo->addItem(all, QString());
        for (const QString &v : values)
            combo->addItem(v, v);
        combo->setCurrentIndex(qMax(0, combo->findData(current)));
    };
    fill(m_typeFilter, tr("All events"), m_model->types());
    fill(m_actorFilter, tr("Everyone"), m_model->actorNames());
}

void LedgerPage::applyFilter()
{
    m_model->setFilter(m_typeFilter->currentData().toString(), m_actorFilter->currentData().toString(), m_textFilter->text());
    const QLocale locale;
    m_count->setText(m_model->isFiltered() ? tr("%1 of %2 events").arg(locale.toString(m_model->rowCount()), locale.toString(m_model->totalCount()))
                                           : tr("%1 events").arg(locale.toString(m_model->totalCount())));
    showSelectedEvent();
}

bool LedgerPage::selectEvent(qint64 seq)
{
    int row = m_model->rowOfSeq(seq);
    if (row < 0 && m_model->isFiltered()) {
        m_typeFilter->setCurrentIndex(0);
        m_actorFilter->setCurrentIndex(0);
        m_textFilter->clear();
        row = m_model->rowOfSeq(seq);
    }
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, LedgerEventModel::SeqColumn);
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return true;
}

void LedgerPage::showSelectedEvent()
{
    updateActions();
    const LedgerRow *row = m_model->rowAt(m_table->currentIndex().row());
    Workspace *ws = m_session->workspace();
    if (!row || !ws) {
        m_detail->clear();
        return;
    }
    QString error;
    const auto event = Ledger(*ws).event(row->seq, &error);
    if (!event) {
        m_detail->setPlainText(error);
        return;
    }
    QJsonObject payload = QJsonDocument::fromJson(event->payload).object();
    QJsonObject body = payload.value(QStringLiteral("body")).toObject();
    // The attestation is kilobytes of base64: exported on its own, not read here.
    if (body.contains(QStringLiteral("attestation"))) {
        body.insert(QStringLiteral("attestation"), tr("(%1 bytes; Export Attestation… saves it)")
                                                       .arg(body.value(QStringLiteral("attestation")).toString().size()));
        payload.insert(QStringLiteral("body"), body);
    }
    QString text = QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Indented));
    text += tr("\nsignature: %1\nhash:      %2\n")
                .arg(event->isSigned() ? tr("Ed25519, %1 bytes, by key %2").arg(event->signature.size()).arg(event->actor)
                                       : tr("none (unsigned event)"),
                     toHex(event->hash));
    if (row->seq == m_model->brokenSeq())
        text.prepend(tr("VERIFICATION FAILED HERE: %1\n\n").arg(m_model->data(m_model->index(m_table->currentIndex().row(), 0), Qt::ToolTipRole).toString()));
    m_detail->setPlainText(text);
}

QString LedgerPage::releasedVersionOfSelection() const
{
    const LedgerRow *row = m_model->rowAt(m_table->currentIndex().row());
    Workspace *ws = m_session->workspace();
    if (!row || !ws || row->type != EventType::VersionReleased)
        return QString();
    QString error;
    const auto event = Ledger(*ws).event(row->seq, &error);
    return event ? event->body().value(QStringLiteral("released")).toString() : QString();
}

void LedgerPage::updateActions()
{
    Workspace *ws = m_session->workspace();
    const bool isSigned = ws && Ledger(*ws).state().isSigned();
    m_unsignedNotice->setVisible(ws && !isSigned);

    QAction *verifyAction = actionNamed(m_actions, ActionId::Verify);
    PolicyGate::apply(verifyAction, !ws ? tr("Open a workspace first.") : m_verify->isRunning() ? tr("Verifying…") : QString(),
                      tr("Recompute every hash and signature of the data and the ledger"));

    QString checkpointWhy = PolicyGate::preconditionMissing(m_session, m_identity);
    if (checkpointWhy.isEmpty()) {
        const auto p = m_identity->principalIn(ws);
        if (!isSigned)
            checkpointWhy = tr("An unsigned workspace has no principals: a checkpoint must be signed by one.");
        else if (!p)
            checkpointWhy = tr("Your key is not a registered principal of this workspace: a checkpoint must be signed by one.");
        else if (!p->isActive())
            checkpointWhy = tr("Your key was revoked in this workspace.");
    }
    PolicyGate::apply(actionNamed(m_actions, ActionId::ExportCheckpoint), checkpointWhy,
                      tr("Sign the ledger's size and root, to keep where this workspace's writers cannot reach"));

    PolicyGate::apply(actionNamed(m_actions, ActionId::ExportAttestation),
                      releasedVersionOfSelection().isEmpty() ? tr("Select a release event (version.released) to export its attestation.")
                                                             : QString(),
                      tr("Save the signed in-toto attestation of the selected release"));

    QString signedWhy = PolicyGate::preconditionMissing(m_session, m_identity);
    if (signedWhy.isEmpty() && isSigned)
        signedWhy = tr("This workspace is signed already.");
    PolicyGate::apply(actionNamed(m_actions, ActionId::MakeSigned), signedWhy,
                      tr("Register yourself as admin and sign every change from now on"));
}

bool LedgerPage::isVerifying() const
{
    return m_verify->isRunning();
}

QString LedgerPage::verifyResult() const
{
    return m_verify->resultText();
}

void LedgerPage::verify()
{
    if (m_session->isOpen() && !m_verify->isRunning()) {
        m_model->setBroken(0, QString());
        m_verify->start(m_session->path());
    }
}

void LedgerPage::cancelVerify()
{
    m_verify->cancel();
}

void LedgerPage::onVerified(bool ok)
{
    QString why;
    const qint64 seq = ok ? 0 : m_verify->firstBrokenEvent(&why);
    if (seq > 0) {
        m_model->setBroken(seq, why);
        selectEvent(seq);
    }
    Q_EMIT verified(ok);
}

void LedgerPage::saveFile(const QString &title, const QString &objectName, const QString &suggestedName,
                          const QByteArray &bytes, const std::function<QString(const QString &)> &saved)
{
    auto *dialog = new QFileDialog(this, title);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDirectory(QDir::homePath());
    dialog->selectFile(suggestedName);
    connect(dialog, &QFileDialog::fileSelected, this, [this, bytes, saved](const QString &path) {
        QSaveFile f(path);
        QString error; // set by writeFully: names a full disk rather than "Unknown error"
        const bool opened = f.open(QIODevice::WriteOnly);
        errno = 0;
        if (!opened || !writeFully(f, bytes.constData(), bytes.size(), &error) || !f.commit()) {
            if (error.isEmpty())
                error = tr("%1: cannot write (%2)").arg(QDir::toNativeSeparators(path), errno ? systemErrorText(errno) : f.errorString());
            Q_EMIT errorOccurred(error);
            return;
        }
        Q_EMIT completed(saved(QDir::toNativeSeparators(path)));
    });
    dialog->open();
}

void LedgerPage::exportCheckpoint()
{
    Workspace *ws = m_session->workspace();
    if (!ws || !actionNamed(m_actions, ActionId::ExportCheckpoint)->isEnabled())
        return;
    QString error;
    const qint64 size = Ledger(*ws).size(&error).value_or(0);
    auto note = std::make_shared<QByteArray>();
    KeyLoader::Work work = [path = m_session->path(), note](const SigningKey &key) -> QString {
        QString e;
        std::unique_ptr<Workspace> w = openWorkspace(path, &e, Workspace::Access::ReadOnly);
        if (!w)
            return e;
        Error error;
        const auto signedNote = signCheckpoint(*w, key, &error);
        if (!signedNote)
            return error.message;
        *note = *signedNote;
        return QString();
    };
    auto *dialog = PassphraseDialog::ask(
        m_identity, tr("Sign a checkpoint of this ledger (%1 events) as %2").arg(size).arg(m_identity->displayName(ws)),
        std::move(work), this);
    connect(dialog, &PassphraseDialog::failed, this, &LedgerPage::errorOccurred);
    connect(dialog, &PassphraseDialog::succeeded, this, [this, note, size] {
        const QString name = QStringLiteral("%1-checkpoint-%2.txt").arg(QFileInfo(m_session->path()).fileName()).arg(size);
        saveFile(tr("Save the signed checkpoint"), QStringLiteral("exportCheckpointDialog"), name, *note,
                 [size](const QString &path) {
                     return tr("Saved a signed checkpoint of %1 events to %2. Keep it where this workspace's writers "
                               "cannot reach; 'custody-cli verify --checkpoint FILE' proves the ledger still extends it.")
                         .arg(size)
                         .arg(path);
                 });
    });
}

void LedgerPage::exportAttestation()
{
    const QString released = releasedVersionOfSelection();
    Workspace *ws = m_session->workspace();
    if (released.isEmpty() || !ws)
        return;
    QString error;
    const auto envelope = releaseAttestation(*ws, released, &error);
    if (!envelope) {
        Q_EMIT errorOccurred(error);
        return;
    }
    QString file = released;
    file.replace(QLatin1Char('@'), QLatin1Char('-'));
    saveFile(tr("Save the attestation of %1").arg(released), QStringLiteral("exportAttestationDialog"),
             file + QStringLiteral(".intoto.dsse.json"), *envelope, [released](const QString &path) {
                 return tr("Saved the signed attestation of %1 (an in-toto Statement in a DSSE envelope) to %2.")
                     .arg(released, path);
             });
}

void LedgerPage::makeSigned()
{
    if (!actionNamed(m_actions, ActionId::MakeSigned)->isEnabled())
        return;
    auto *choices = new MakeSignedDialog(m_identity->keyName(), this);
    choices->setAttribute(Qt::WA_DeleteOnClose);
    connect(choices, &QDialog::accepted, this, [this, choices] {
        const QString name = choices->adminName();
        const int k = choices->approvalsRequired();
        auto *dialog = PassphraseDialog::ask(
            m_identity, tr("Make this workspace signed, with %1 as its admin; a release needs %2 approvals").arg(name).arg(k),
            KeyLoader::inWorkspace(m_session->path(),
                                   [name, k](Workspace &ws, const SigningKey &key, QString *error) {
                                       return SignOff(ws).makeSigned(name, key, k, error);
                                   }),
            this);
        connect(dialog, &PassphraseDialog::failed, this, &LedgerPage::errorOccurred);
        connect(dialog, &PassphraseDialog::succeeded, this, [this, name] {
            m_session->notifyLedgerChanged();
            Q_EMIT completed(tr("This workspace is signed now, with %1 as its admin. Register the curators and "
                                "approvers next (Ledger ▸ Principals…).").arg(name));
        });
    });
    choices->open();
}

} // namespace custody
