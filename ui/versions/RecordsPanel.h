#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace custody {

class RecordTableModel;
struct DatasetVersion;

// The records of the selected version: a filter pushed into SQL, a table sorted by its headers, and a line
// that says how many records match and whether an ordering pass is running.
class RecordsPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kFilterDelayMs = 250;

    explicit RecordsPanel(QWidget *parent = nullptr);

    void showVersion(const QString &workspacePath, const DatasetVersion &version);
    void clear();
    void focusFilter();

    RecordTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    void updateStatus();
    void configureColumns();

    RecordTableModel *m_model;
    QLineEdit *m_filter;
    QLabel *m_status;
    QTableView *m_table;
    QTimer *m_filterDelay;
};

} // namespace custody
