#include "ingest/IngestDialog.h"

#include "ingest/IngestSourcePanel.h"
#include "session/BackgroundJob.h"
#include "widgets/MessageBar.h"
#include "session/WorkspaceSession.h"
#include "identity/KeyStore.h"
#include "identity/PassphraseSource.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"
#include "workflow/IngestVersion.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QVBoxLayout>

namespace custody {

namespace {
// Dataset names and labels become "NAME@LABEL": no '@', no white space.
bool isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+$"));
    return re.match(name).hasMatch();
}

} // namespace

IngestDialog::IngestDialog(WorkspaceSession *session, QWidget *parent)
    : QDialog(parent), m_session(session), m_messages(new MessageBar), m_inputs(new QWidget),
      m_source(new IngestSourcePanel), m_dataset(new QComboBox), m_label(new QLineEdit), m_parent(new QComboBox),
      m_embeddings(new QLineEdit), m_sourceUri(new QLineEdit), m_supplier(new QLineEdit), m_license(new QLineEdit),
      m_acquiredAt(new QLineEdit), m_note(new QLineEdit), m_progress(new QProgressBar), m_phase(new QLabel),
      m_buttons(new QDialogButtonBox), m_job(new BackgroundJob(this))
{
    setObjectName(QStringLiteral("ingestDialog"));
    setWindowTitle(tr("Ingest a dataset version"));
    m_messages->setObjectName(QStringLiteral("ingestMessages"));

    m_dataset->setObjectName(QStringLiteral("ingestDataset"));
    m_dataset->setEditable(true);
    m_dataset->setInsertPolicy(QComboBox::NoInsert);
    QStringList datasets = m_session->workspace() ? m_session->workspace()->datasets(nullptr) : QStringList();
    for (const QString &d : m_session->datasets()) {
        if (!datasets.contains(d))
            datasets.append(d);
    }
    m_dataset->addItems(datasets);
    m_dataset->setCurrentText(datasets.isEmpty() ? QString() : datasets.constFirst());
    m_label->setObjectName(QStringLiteral("ingestVersion"));
    m_label->setPlaceholderText(tr("for example v2"));
    m_parent->setObjectName(QStringLiteral("ingestParent"));
    m_embeddings->setObjectName(QStringLiteral("ingestEmbeddings"));
    m_embeddings->setPlaceholderText(tr("Optional .npy, one row per record"));
    m_sourceUri->setObjectName(QStringLiteral("ingestSourceUri"));
    m_sourceUri->setPlaceholderText(tr("https://… or s3://… where the data was obtained"));
    m_supplier->setObjectName(QStringLiteral("ingestSupplier"));
    m_license->setObjectName(QStringLiteral("ingestLicense"));
    m_license->setPlaceholderText(tr("for example CC-BY-4.0"));
    m_acquiredAt->setObjectName(QStringLiteral("ingestAcquiredAt"));
    m_acquiredAt->setPlaceholderText(tr("ISO 8601, for example 2025-11-20 or 2025-11-20T09:30:00Z"));
    m_note->setObjectName(QStringLiteral("ingestNote"));
    m_progress->setObjectName(QStringLiteral("ingestProgress"));
    m_phase->setObjectName(QStringLiteral("ingestPhase"));

    auto *embeddingsRow = new QHBoxLayout;
    embeddingsRow->addWidget(m_embeddings, 1);
    auto *browseEmbeddings = new QPushButton(tr("Browse…"));
    browseEmbeddings->setObjectName(QStringLiteral("ingestChooseEmbeddings"));
    embeddingsRow->addWidget(browseEmbeddings);
    connect(browseEmbeddings, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Choose an embeddings file"), QString(), tr("NumPy (*.npy)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        connect(dialog, &QFileDialog::fileSelected, m_embeddings, &QLineEdit::setText);
        dialog->open();
    });

    auto *target = new QGroupBox(tr("New version"));
    auto *targetForm = new QFormLayout(target);
    targetForm->addRow(tr("Dataset:"), m_dataset);
    targetForm->addRow(tr("Version label:"), m_label);
    targetForm->addRow(tr("Parent:"), m_parent);
    targetForm->addRow(tr("Embeddings:"), embeddingsRow);
    auto *provenance = new QGroupBox(tr("Provenance"));
    auto *provenanceForm = new QFormLayout(provenance);
    provenanceForm->addRow(tr("Source URI:"), m_sourceUri);
    provenanceForm->addRow(tr("Supplier:"), m_supplier);
    provenanceForm->addRow(tr("Licence:"), m_license);
    provenanceForm->addRow(tr("Acquired at:"), m_acquiredAt);
    provenanceForm->addRow(tr("Note:"), m_note);
    // A signed workspace records who ingested: the version.ingested event is signed with the person's key.
    m_needsSignature = m_session->workspace() && Ledger(*m_session->workspace()).state().isSigned();
    if (m_needsSignature) {
        m_signAs = new QLabel(tr("No identity: set one up (Identity menu) before ingesting into a signed workspace."), this);
        m_passphrase = new QLineEdit(this);
        m_passphrase->setObjectName(QStringLiteral("ingestPassphrase"));
        m_passphrase->setEchoMode(QLineEdit::Password);
        m_passphrase->setEnabled(false);
        provenanceForm->addRow(tr("Signed by:"), m_signAs);
        provenanceForm->addRow(tr("Passphrase:"), m_passphrase);
    }
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(target);
    rightLayout->addWidget(provenance);
    rightLayout->addStretch(1);

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_source);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto *inputsLayout = new QVBoxLayout(m_inputs);
    inputsLayout->setContentsMargins(0, 0, 0, 0);
    inputsLayout->addWidget(split);

    m_start = m_buttons->addButton(tr("Ingest"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("ingestStartButton"));
    m_start->setDefault(true);
    m_cancelButton = m_buttons->addButton(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(QStringLiteral("ingestCancelButton"));
    connect(m_start, &QPushButton::clicked, this, &IngestDialog::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &IngestDialog::reject);

    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_phase, 1);
    progressRow->addWidget(m_progress, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_messages);
    layout->addWidget(m_inputs, 1);
    layout->addLayout(progressRow);
    layout->addWidget(m_buttons);

    connect(m_dataset, &QComboBox::currentTextChanged, this, [this] {
        fillParents();
        suggestLabel();
    });
    connect(m_label, &QLineEdit::textEdited, this, [this] { m_labelEdited = true; });
    // Only when the application quits mid-ingest: the core rolls back and removes its objects before we go.
    m_job->setWaitOnDestroy(true);
    m_job->setObjectName(QStringLiteral("ingestJob"));
    connect(m_job, &BackgroundJob::progressed, this, &IngestDialog::onProgress);
    fillParents();
    suggestLabel();
    setRunning(false);
    resize(1040, 640);
}

IngestDialog::~IngestDialog() = default;

void IngestDialog::fillParents()
{
    const QString current = m_parent->currentData().toString();
    const QList<DatasetVersion> versions = m_session->versionsOf(m_dataset->currentText().trimmed());
    m_parent->clear();
    m_parent->addItem(tr("(none)"), QString());
    for (const DatasetVersion &v : versions)
        m_parent->addItem(v.ref.label, v.ref.label);
    // A new version usually grows from the newest one.
    const int keep = m_parent->findData(current);
    m_parent->setCurrentIndex(keep > 0 ? keep : int(versions.size()));
}

void IngestDialog::suggestLabel()
{
    if (m_labelEdited)
        return;
    const QString dataset = m_dataset->currentText().trimmed();
    for (int n = int(m_session->versionsOf(dataset).size()) + 1;; ++n) {
        const QString label = QStringLiteral("v%1").arg(n);
        if (!m_session->findVersion(VersionRef{dataset, label})) {
            m_label->setText(label);
            return;
        }
    }
}

bool IngestDialog::buildRequest(IngestRequest *request, QString *error) const
{
    if (!m_session->isOpen()) {
        *error = tr("No workspace is open.");
        return false;
    }
    if (const QString problem = m_source->problem(); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    const QString dataset = m_dataset->currentText().trimmed();
    const QString label = m_label->text().trimmed();
    if (dataset.isEmpty() || !isValidName(dataset)) {
        *error = dataset.isEmpty() ? tr("Give the dataset a name.")
                                   : tr("“%1”: a dataset name cannot contain spaces or “@”.").arg(dataset);
        return false;
    }
    if (label.isEmpty() || !isValidName(label)) {
        *error = label.isEmpty() ? tr("Give the new version a label, for example v1.")
                                 : tr("“%1”: a version label cannot contain spaces or “@”.").arg(label);
        return false;
    }
    const VersionRef ref{dataset, label};
    if (m_session->findVersion(ref)) {
        *error = tr("%1 already exists; versions are immutable, so choose another label.").arg(ref.toString());
        return false;
    }
    const QString embeddings = m_embeddings->text().trimmed();
    if (!embeddings.isEmpty() && !QFileInfo(embeddings).isFile()) {
        *error = tr("%1: no such embeddings file").arg(embeddings);
        return false;
    }
    const QString acquired = m_acquiredAt->text().trimmed();
    if (!acquired.isEmpty() && !Provenance::isIsoTime(acquired)) {
        *error = tr("“%1” is not an ISO 8601 date or time (for example 2025-11-20T09:30:00Z).").arg(acquired);
        return false;
    }
    request->dataset = dataset;
    request->version = label;
    request->parentLabel = m_parent->currentData().toString();
    request->paths = m_source->paths();
    request->reader = m_source->readerOptions();
    request->embeddingsFile = embeddings;
    request->provenance.source = m_sourceUri->text().trimmed();
    request->provenance.supplier = m_supplier->text().trimmed();
    request->provenance.license = m_license->text().trimmed();
    request->provenance.acquiredAt = acquired;
    request->provenance.note = m_note->text().trimmed();
    return true;
}

void IngestDialog::setSigner(const QString &keyStoreDirectory, const QString &keyName, const QString &displayName)
{
    m_keyStoreDirectory = keyStoreDirectory;
    m_keyName = keyName;
    if (!m_needsSignature || keyName.isEmpty())
        return;
    m_signAs->setText(displayName);
    m_passphrase->setEnabled(true);
}

void IngestDialog::start()
{
    if (m_running)
        return;
    IngestRequest request;
    QString error;
    if (!buildRequest(&request, &error)) {
        m_messages->showError(error);
        return;
    }
    QByteArray passphrase;
    if (m_needsSignature) {
        if (m_keyName.isEmpty()) {
            m_messages->showError(tr("This workspace is signed: set up your identity before ingesting."));
            return;
        }
        passphrase = m_passphrase->text().toUtf8();
        m_passphrase->clear();
        if (passphrase.isEmpty()) {
            m_messages->showError(tr("Enter the passphrase of key '%1' to sign this ingest.").arg(m_keyName));
            return;
        }
    }
    m_messages->hideMessage();
    setRunning(true);
    onProgress(tr("Starting"), 0, 0);
    const QString path = m_session->path();
    // The worker gets copies and its own read-write connection. The key is decrypted there (scrypt takes a
    // moment) and never reaches the GUI thread.
    const QString keyDir = m_keyStoreDirectory, keyName = m_needsSignature ? m_keyName : QString();
    m_job->start([path, request, keyDir, keyName, passphrase](const BackgroundJob::Context &job) mutable {
        const ProgressFn &progress = job.progress;
        Outcome out;
        std::optional<SigningKey> key;
        if (!keyName.isEmpty()) {
            if (progress)
                progress(Progress{tr("Opening key '%1'").arg(keyName), 0, 0});
            key = KeyStore(keyDir).load(keyName, passphrase, &out.error);
            wipeSecret(&passphrase);
            if (!key)
                return out;
            request.signer = &*key;
        }
        std::unique_ptr<Workspace> ws = openWorkspace(path, &out.error);
        if (ws)
            out.ok = ingestVersion(*ws, request, &out.result, &out.error, progress, job.cancel);
        out.cancelled = !out.ok && job.cancelled();
        return out;
    }, [this](const Outcome &out) { onFinished(out); });
}

void IngestDialog::cancel()
{
    m_job->cancel();
    m_cancelButton->setEnabled(false);
    m_phase->setText(tr("Cancelling…"));
}

void IngestDialog::onProgress(const QString &phase, qint64 done, qint64 total)
{
    if (!m_running || m_job->isCancelling())
        return;
    m_phase->setText(BackgroundJob::describe(phase, done, total));
    if (total <= 0) {
        m_progress->setRange(0, 0); // busy
    } else {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
    }
}

void IngestDialog::onFinished(const Outcome &out)
{
    setRunning(false);
    if (out.ok) {
        QStringList notes = out.result.skipped;
        for (const QString &repaired : out.result.repaired)
            notes << tr("Stored %1; run Verify.").arg(repaired);
        Q_EMIT ingested(out.result.versionId, notes);
        accept();
        return;
    }
    if (out.cancelled)
        m_messages->showInformation(tr("Ingest cancelled; nothing was stored."));
    else
        m_messages->showError(out.error.isEmpty() ? tr("The ingest failed.") : out.error);
}

void IngestDialog::setRunning(bool running)
{
    m_running = running;
    m_inputs->setEnabled(!running);
    m_start->setEnabled(!running);
    m_cancelButton->setEnabled(true);
    m_progress->setVisible(running);
    m_phase->setVisible(running);
    if (!running) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(0);
        m_phase->clear();
    }
}

void IngestDialog::reject()
{
    if (m_running)
        cancel(); // the dialog closes itself only once the worker has returned
    else
        QDialog::reject();
}

void IngestDialog::closeEvent(QCloseEvent *event)
{
    if (m_running) {
        cancel();
        event->ignore();
        return;
    }
    QDialog::closeEvent(event);
}

} // namespace custody
