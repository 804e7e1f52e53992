#pragma once

#include "storage/DatasetVersion.h"

#include <QHash>
#include <QTabWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTreeWidget;
class QFormLayout;

namespace custody {

// What a curator checks before trusting a version: where it came from (provenance), what it holds (format,
// schema, records), what it commits to (digest, Merkle root, manifest hash, all selectable and copyable),
// and the original files kept for it.
class VersionDetailsView : public QTabWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxListedFiles = 2000;

    explicit VersionDetailsView(QWidget *parent = nullptr);

    void showVersion(const DatasetVersion &version, const QList<VersionFile> &files);
    void clearVersion();

    // The text shown for a field ("source", "supplier", "license", "digest", ...), for tests and copy.
    QString fieldText(const QString &field) const;

    static QString schemaSummary(const Schema &schema);

private:
    QLineEdit *addField(QFormLayout *form, const QString &field, const QString &title);
    void addDigestField(QFormLayout *form, const QString &field, const QString &title);
    void setField(const QString &field, const QString &text);

    QLabel *m_title;
    QHash<QString, QLineEdit *> m_fields;
    QTreeWidget *m_files;
    QPlainTextEdit *m_manifest;
};

} // namespace custody
