#pragma once

#include <QDialog>

class QTreeWidget;

namespace custody {

// Custody's version and the versions of the libraries it trusts for hashing and storage, selectable so they
// can be pasted into a bug report.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    QTreeWidget *libraries() const { return m_libraries; }
    QString versionsText() const;

private:
    QTreeWidget *m_libraries;
};

} // namespace custody
