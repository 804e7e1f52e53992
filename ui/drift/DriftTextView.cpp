#include "drift/DriftTextView.h"

#include "analysis/DriftReport.h"
#include "analysis/TextFeatures.h"
#include "drift/DriftFeatureModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace custody {

namespace {

QTableWidget *gramTable(const QString &name, bool byClass)
{
    auto *t = new QTableWidget;
    t->setObjectName(name);
    QStringList headers;
    if (byClass)
        headers << QObject::tr("Class");
    headers << QObject::tr("N-gram") << QObject::tr("Baseline") << QObject::tr("Batch") << QObject::tr("z") << QObject::tr("p adjusted")
            << QObject::tr("Verdict");
    t->setColumnCount(int(headers.size()));
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->verticalHeader()->setVisible(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QString percent(double share)
{
    return DriftFeatureModel::formatNumber(100 * share, 1) + QLatin1Char('%');
}

} // namespace

DriftTextView::DriftTextView(QWidget *parent)
    : QWidget(parent), m_column(new QComboBox), m_summary(new QLabel), m_words(new QPushButton(tr("&Words histogram"))),
      m_characters(new QPushButton(tr("C&haracters histogram"))), m_moved(gramTable(QStringLiteral("driftTextMoved"), false)),
      m_byClass(gramTable(QStringLiteral("driftTextByClass"), true))
{
    setObjectName(QStringLiteral("driftTextView"));
    m_column->setObjectName(QStringLiteral("driftTextColumn"));
    m_summary->setObjectName(QStringLiteral("driftTextSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_words->setObjectName(QStringLiteral("driftTextWords"));
    m_characters->setObjectName(QStringLiteral("driftTextCharacters"));
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Column")));
    top->addWidget(m_column);
    top->addStretch(1);
    top->addWidget(m_words);
    top->addWidget(m_characters);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(new QLabel(tr("N-grams whose share of records moved most (select one to list its records):")));
    layout->addWidget(m_moved, 2);
    layout->addWidget(new QLabel(tr("By class:")));
    layout->addWidget(m_byClass, 1);

    connect(m_column, &QComboBox::currentIndexChanged, this, &DriftTextView::showColumn);
    connect(m_moved, &QTableWidget::itemSelectionChanged, this, [this] { chooseRow(m_moved, false); });
    connect(m_byClass, &QTableWidget::itemSelectionChanged, this, [this] { chooseRow(m_byClass, true); });
    for (auto [button, suffix] : {std::pair{m_words, QStringLiteral("words")}, std::pair{m_characters, QStringLiteral("characters")}})
        connect(button, &QPushButton::clicked, this, [this, suffix = suffix] {
            if (m_column->currentIndex() >= 0)
                Q_EMIT featureChosen(textFeatureName(m_column->currentText(), suffix));
        });
    setReport(nullptr);
}

void DriftTextView::setReport(const DriftReport *report)
{
    m_report = report;
    const QSignalBlocker block(m_column);
    m_column->clear();
    if (report)
        for (const TextColumnDrift &t : report->text)
            m_column->addItem(t.column);
    showColumn(m_column->count() > 0 ? 0 : -1);
}

void DriftTextView::showColumn(int index)
{
    const bool shown = m_report && index >= 0 && index < int(m_report->text.size());
    m_words->setEnabled(shown);
    m_characters->setEnabled(shown);
    m_moved->setRowCount(0);
    m_byClass->setRowCount(0);
    if (!shown) {
        m_summary->setText(m_report ? tr("Neither version holds a text column the other has.") : tr("Run a drift check to compare texts."));
        return;
    }
    const TextColumnDrift &t = m_report->text[size_t(index)];
    QString text = tr("%1 of %2 n-grams moved beyond chance.").arg(t.driftedGrams).arg(t.testedGrams);
    if (t.domain.computed) {
        text += QLatin1Char(' ')
            + tr("A classifier tells the batch from the baseline with AUC %1 (p = %2): <b>%3</b>.")
                  .arg(DriftFeatureModel::formatNumber(t.domain.auc, 3), DriftFeatureModel::formatNumber(t.domain.pValue),
                       t.domain.drifted ? tr("drifted") : tr("stable"));
        if (t.domain.drifted && !t.domain.batchWords.isEmpty())
            text += QStringLiteral("<br>") + tr("Words that mark the batch: %1").arg(t.domain.batchWords.join(QStringLiteral(", ")).toHtmlEscaped());
    } else {
        text += QLatin1Char(' ') + tr("No classifier test (%1).").arg(t.domain.note.toHtmlEscaped());
    }
    m_summary->setText(text);
    fill(m_moved, t, false);
    fill(m_byClass, t, true);
}

void DriftTextView::fill(QTableWidget *table, const TextColumnDrift &t, bool byClass)
{
    const std::vector<TextGramShift> &shifts = byClass ? t.byClass : t.movedMost;
    table->setRowCount(int(shifts.size()));
    for (int r = 0; r < int(shifts.size()); ++r) {
        const TextGramShift &s = shifts[size_t(r)];
        QStringList cells;
        if (byClass)
            cells << s.label;
        cells << s.gram << percent(s.baselineShare) << percent(s.batchShare) << DriftFeatureModel::formatNumber(s.z, 1)
              << DriftFeatureModel::formatNumber(s.pAdjusted) << (s.drifted ? tr("drifted") : tr("ok"));
        for (int c = 0; c < int(cells.size()); ++c)
            table->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
    table->resizeColumnsToContents();
}

void DriftTextView::chooseRow(QTableWidget *table, bool byClass)
{
    const int index = m_column->currentIndex();
    const int row = table->currentRow();
    if (!m_report || index < 0 || row < 0)
        return;
    const TextColumnDrift &t = m_report->text[size_t(index)];
    const std::vector<TextGramShift> &shifts = byClass ? t.byClass : t.movedMost;
    if (row >= int(shifts.size()))
        return;
    const TextGramShift &s = shifts[size_t(row)];
    const bool rose = s.z > 0;
    Q_EMIT recordsChosen(s.records, tr("%1 of the %2 %3 records with '%4'")
                                        .arg(s.records.size())
                                        .arg(rose ? s.batchDocuments : s.baselineDocuments)
                                        .arg(rose ? tr("batch") : tr("baseline"), s.gram));
}

} // namespace custody
