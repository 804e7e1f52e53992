#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace custody {

struct DriftReport;
struct TextColumnDrift;

// The drift dashboard's Text tab: for the chosen text column, whether a classifier tells the batch's texts
// from the baseline's (AUC, p-value, the words that separate them), the word n-grams whose share of records
// moved most, and (with a per-class run) the same per class. Selecting an n-gram lists the records behind it;
// the length buttons open the words and characters histograms in the Feature tab.
class DriftTextView : public QWidget
{
    Q_OBJECT
public:
    explicit DriftTextView(QWidget *parent = nullptr);

    // Shows the report's text sections (none: a note that the versions hold no text both sides share).
    void setReport(const DriftReport *report);

    QComboBox *columnChooser() const { return m_column; }
    QLabel *summary() const { return m_summary; }
    QTableWidget *movedTable() const { return m_moved; }
    QTableWidget *classTable() const { return m_byClass; }

Q_SIGNALS:
    // The ids of the records carrying the selected n-gram (on the side where it is more common), and a caption.
    void recordsChosen(const QStringList &ids, const QString &what);
    // A derived feature to open in the Feature tab (COLUMN:words or COLUMN:characters).
    void featureChosen(const QString &name);

private:
    void showColumn(int index);
    void fill(QTableWidget *table, const TextColumnDrift &t, bool byClass);
    void chooseRow(QTableWidget *table, bool byClass);

    const DriftReport *m_report = nullptr;
    QComboBox *m_column;
    QLabel *m_summary;
    QPushButton *m_words, *m_characters;
    QTableWidget *m_moved, *m_byClass;
};

} // namespace custody
