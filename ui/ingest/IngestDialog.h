#pragma once

#include "storage/Ingest.h"

#include <QDialog>


class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace custody {

class IngestSourcePanel;
class BackgroundJob;
class MessageBar;
class WorkspaceSession;

// Makes a new dataset version from files: what to read (IngestSourcePanel), which dataset, label and parent
// it becomes, and where it came from. The ingest runs on a worker thread with its own connection; the dialog
// shows its phase and progress, can cancel it cooperatively, and keeps its inputs disabled until it returns.
// Problems are shown inline with the core's message.
class IngestDialog : public QDialog
{
    Q_OBJECT
public:
    explicit IngestDialog(WorkspaceSession *session, QWidget *parent = nullptr);
    ~IngestDialog() override;

    IngestSourcePanel *source() const { return m_source; }
    MessageBar *messages() const { return m_messages; }
    bool isRunning() const { return m_running; }
    // In a signed workspace the ingest is signed by this key (the current identity); the dialog then asks for
    // its passphrase and decrypts the key on the worker, before the records are read.
    void setSigner(const QString &keyStoreDirectory, const QString &keyName, const QString &displayName);
    bool needsSignature() const { return m_needsSignature; }
    // The request the dialog would start now; false with *error when an input is missing or wrong.
    bool buildRequest(IngestRequest *request, QString *error) const;

    void reject() override;

Q_SIGNALS:
    // `skipped`: what the source held that was left out, and why (RecordReader::skipped).
    void ingested(qint64 versionId, const QStringList &skipped);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    struct Outcome
    {
        bool ok = false;
        bool cancelled = false;
        IngestResult result;
        QString error;
    };

    void start();
    void cancel();
    void onFinished(const Outcome &out);
    void onProgress(const QString &phase, qint64 done, qint64 total);
    void setRunning(bool running);
    void fillParents();
    void suggestLabel();

    WorkspaceSession *m_session;
    MessageBar *m_messages;
    QWidget *m_inputs;
    IngestSourcePanel *m_source;
    QComboBox *m_dataset;
    QLineEdit *m_label;
    QComboBox *m_parent;
    QLineEdit *m_embeddings;
    QLineEdit *m_sourceUri;
    QLineEdit *m_supplier;
    QLineEdit *m_license;
    QLineEdit *m_acquiredAt;
    QLineEdit *m_note;
    QLineEdit *m_passphrase = nullptr;
    QLabel *m_signAs = nullptr;
    bool m_needsSignature = false;
    QString m_keyStoreDirectory;
    QString m_keyName;
    QProgressBar *m_progress;
    QLabel *m_phase;
    QDialogButtonBox *m_buttons;
    QPushButton *m_start;
    QPushButton *m_cancelButton;
    BackgroundJob *m_job;
    bool m_running = false;
    bool m_labelEdited = false;
};

} // namespace custody
