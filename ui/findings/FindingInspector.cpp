#include "findings/FindingInspector.h"
#include "findings/TextHighlight.h"

#include "findings/FindingsModel.h"
#include "findings/RecordHistory.h"
#include "detection/ScanResult.h"
#include "formats/ContentDisplay.h"
#include "storage/RecordQuery.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace custody {

namespace {

QTableWidget *makeTable(const QString &name, const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()));
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(true);
    // Sections of one scrolling column: each table is as tall as its rows, the scroll area scrolls.
    t->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    t->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    return t;
}

QLabel *heading(const QString &text)
{
    auto *label = new QLabel(text);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    return label;
}

QString number(double value)
{
    return std::isnan(value) ? QStringLiteral("—") : QLocale().toString(value, 'g', 3);
}

void setRow(QTableWidget *table, int row, const QStringList &cells)
{
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells.at(c));
        item->setToolTip(cells.at(c));
        table->setItem(row, c, item);
    }
}

// The evidence a curator can read without opening JSON: what the record duplicates or what it was before.
QString evidenceSummary(const Finding &f)
{
    const QJsonObject &e = f.evidence;
    QStringList parts;
    if (e.contains(QStringLiteral("other")))
        parts << QCoreApplication::translate("FindingInspector", "same content as %1 (labelled %2)")
                     .arg(e.value(QStringLiteral("other")).toString(), e.value(QStringLiteral("other_label")).toString());
    if (e.contains(QStringLiteral("previous_label")))
        parts << QCoreApplication::translate("FindingInspector", "was labelled %1 (%2)")
                     .arg(e.value(QStringLiteral("previous_label")).toString(), e.value(QStringLiteral("change")).toString());
    return parts.join(QStringLiteral("; "));
}

} // namespace

FindingInspector::FindingInspector(QWidget *parent)
    : QWidget(parent), m_message(new QLabel), m_scroll(new QScrollArea), m_content(new QWidget), m_title(new QLabel),
      m_image(new QLabel),
      m_maskToggle(new QCheckBox(tr("Show the trigger mask"))), m_maskText(new QLabel),
      m_reasons(makeTable(QStringLiteral("inspectorReasons"), {tr("Detector"), tr("Score"), tr("Threshold"), tr("Why")})),
      m_neighbours(makeTable(QStringLiteral("inspectorNeighbours"), {tr("Neighbour"), tr("Label"), tr("Distance")})),
      m_fields(makeTable(QStringLiteral("inspectorFields"), {tr("Field"), tr("Value")})), m_textHeading(heading(tr("Text"))), m_text(new QLabel),
      m_history(makeTable(QStringLiteral("inspectorHistory"), {tr("Version"), tr("Label"), tr("Since the previous")}))
{
    setObjectName(QStringLiteral("findingInspector"));
    m_message->setObjectName(QStringLiteral("inspectorMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setEnabled(false);
    m_title->setObjectName(QStringLiteral("inspectorTitle"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_image->setObjectName(QStringLiteral("inspectorImage"));
    m_image->setFixedSize(kImageSide + 4, kImageSide + 4);
    m_image->setAlignment(Qt::AlignCenter);
    m_image->setFrameShape(QFrame::StyledPanel);
    m_maskToggle->setObjectName(QStringLiteral("inspectorMaskToggle"));
    m_maskToggle->setChecked(true);
    m_maskText->setObjectName(QStringLiteral("inspectorMaskText"));
    m_maskText->setWordWrap(true);
    m_maskText->setTextFormat(Qt::PlainText);
    m_text->setObjectName(QStringLiteral("inspectorText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_neighbours->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    m_reasons->setColumnWidth(0, 130);
    m_reasons->setColumnWidth(1, 60);
    m_reasons->setColumnWidth(2, 70);
    m_neighbours->setColumnWidth(0, 160);
    m_fields->setColumnWidth(0, 140);
    m_history->setColumnWidth(0, 140);
    connect(m_maskToggle, &QCheckBox::toggled, this, &FindingInspector::showImage);
    connect(m_neighbours, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (QTableWidgetItem *item = m_neighbours->item(row, 0))
            Q_EMIT neighbourActivated(item->data(Qt::UserRole).toString());
    });

    auto *imageRow = new QHBoxLayout;
    imageRow->addWidget(m_image, 0, Qt::AlignTop);
    auto *maskColumn = new QVBoxLayout;
    maskColumn->addWidget(m_maskToggle);
    maskColumn->addWidget(m_maskText);
    maskColumn->addStretch(1);
    imageRow->addLayout(maskColumn, 1);

    auto *content = new QVBoxLayout(m_content);
    content->setContentsMargins(4, 4, 4, 4);
    content->addWidget(m_title);
    content->addLayout(imageRow);
    content->addWidget(m_textHeading);
    content->addWidget(m_text);
    content->addWidget(heading(tr("Why it was flagged")));
    content->addWidget(m_reasons);
    content->addWidget(heading(tr("Nearest neighbours")));
    content->addWidget(m_neighbours);
    content->addWidget(heading(tr("Fields")));
    content->addWidget(m_fields);
    content->addWidget(heading(tr("History")));
    content->addWidget(m_history);
    content->addStretch(1);

    m_scroll->setObjectName(QStringLiteral("inspectorScroll"));
    m_scroll->setWidget(m_content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_scroll, 1);
    showMessage(tr("Select a finding to inspect it."));
}

FindingInspector::~FindingInspector() = default;

void FindingInspector::setContext(Workspace *workspace, std::shared_ptr<const ScanResult> result,
                                  const std::optional<DatasetVersion> &batch,
                                  const std::optional<DatasetVersion> &baseline,
                                  const QList<DatasetVersion> &datasetVersions)
{
    m_workspace = workspace;
    m_result = std::move(result);
    m_batch = batch;
    m_baseline = baseline;
    m_datasetVersions = datasetVersions;
    showMessage(tr("Select a finding to inspect it."));
}

void FindingInspector::showMessage(const QString &message)
{
    m_row = -1;
    m_mask = nullptr;
    m_recordImage = QImage();
    m_message->setText(message);
    m_message->show();
    m_scroll->hide();
}

bool FindingInspector::isMaskShown() const
{
    return m_maskToggle->isChecked();
}

void FindingInspector::setMaskShown(bool shown)
{
    m_maskToggle->setChecked(shown);
}

QString FindingInspector::titleText() const
{
    return m_title->text();
}

QString FindingInspector::maskText() const
{
    return m_maskText->text();
}

const TriggerMask *FindingInspector::maskFor(const ScanResult &result, const QString &label, const QStringList &detectors)
{
    const TriggerMask *any = nullptr;
    for (const TriggerMask &m : result.masks) {
        if (m.label != label || m.weights.empty())
            continue;
        if (detectors.contains(m.detector))
            return &m;
        if (!any)
            any = &m;
    }
    return any;
}

QImage FindingInspector::drawWithMask(const QImage &image, int scale, const TriggerMask *mask)
{
    if (image.isNull())
        return {};
    // Nearest-neighbour enlargement keeps single pixels (a trigger patch) crisp.
    QImage out = image.convertToFormat(QImage::Format_ARGB32)
                     .scaled(image.width() * scale, image.height() * scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    if (!mask || mask->width != image.width() || mask->height != image.height()
        || mask->weights.size() < size_t(mask->width) * size_t(mask->height))
        return out;
    float strongest = 0;
    for (float w : mask->weights)
        strongest = std::max(strongest, std::abs(w));
    if (!(strongest > 0))
        return out;
    QPainter painter(&out);
    painter.setPen(Qt::NoPen);
    // Only pixels at least half as strong as the strongest are drawn: the trigger, not the class's texture.
    for (int y = 0; y < mask->height; ++y)
        for (int x = 0; x < mask->width; ++x) {
            const float strength = std::abs(mask->weights[size_t(y) * size_t(mask->width) + size_t(x)]) / strongest;
            if (strength < 0.5f)
                continue;
            painter.setBrush(QColor(220, 30, 30, int(90 + 110 * (strength - 0.5f) * 2)));
            painter.drawRect(x * scale, y * scale, scale, scale);
        }
    return out;
}

void FindingInspector::showImage()
{
    if (m_recordImage.isNull()) {
        m_image->hide();
        m_maskToggle->hide();
        m_maskText->setVisible(m_mask != nullptr);
        return;
    }
    const int scale = std::max(1, kImageSide / std::max(m_recordImage.width(), m_recordImage.height()));
    m_image->setPixmap(QPixmap::fromImage(drawWithMask(m_recordImage, scale, isMaskShown() ? m_mask : nullptr)));
    m_image->show();
    m_maskToggle->show();
    m_maskToggle->setEnabled(m_mask != nullptr);
    m_maskText->show();
}

void FindingInspector::showRow(int row, const std::optional<Decision> &decision)
{
    if (!m_workspace || !m_result || !m_batch || row < 0 || row >= int(m_result->ids.size())) {
        showMessage(tr("Select a finding to inspect it."));
        return;
    }
    QString error;
    QList<RecordRow> records;
    if (!RecordQuery(*m_workspace).fetch(m_batch->id, {qint64(row)}, &records, &error) || records.isEmpty()) {
        showMessage(tr("The record at row %1 could not be read: %2").arg(row).arg(error));
        Q_EMIT errorOccurred(
            tr("The record at row %1 of %2 could not be read: %3").arg(row).arg(m_batch->ref.toString(), error));
        return;
    }
    const RecordRow &r = records.constFirst();
    m_row = row;
    m_message->hide();
    m_scroll->show();

    QStringList detectors;
    for (const Suspicion &s : m_result->ranking)
        if (s.row == row) {
            detectors = s.detectors;
            break;
        }
    const auto change =
        size_t(row) < m_result->change.size() ? RecordChange(m_result->change[size_t(row)]) : RecordChange::Unchanged;
    const double score = size_t(row) < m_result->suspicion.size() ? double(m_result->suspicion[size_t(row)]) : NAN;
    QString title = tr("<b>%1</b> · class %2 · %3 · score %4")
                        .arg(r.id.toHtmlEscaped(), (r.hasLabel ? r.label : tr("(none)")).toHtmlEscaped(),
                             recordChangeName(change).toHtmlEscaped(), number(score));
    title += QStringLiteral("<br>") + (detectors.isEmpty() ? tr("Not flagged by any detector.")
                                                          : tr("Flagged by %1.").arg(detectors.join(QStringLiteral(", ")).toHtmlEscaped()));
    title += QStringLiteral("<br>")
        + (decision ? tr("Decision: <b>%1</b>%2")
                          .arg(FindingsModel::describeDecision(*decision).toHtmlEscaped(),
                               decision->note.isEmpty() ? QString() : QStringLiteral(" — ") + decision->note.toHtmlEscaped())
                    : tr("Undecided."));
    m_title->setText(title);

    const std::string_view content(r.content.constData(), size_t(r.content.size()));
    m_recordImage = m_batch->schema.hasImage() ? contentImage(content) : QImage();
    m_mask = maskFor(*m_result, r.label, detectors);
    m_maskText->setText(m_mask ? m_mask->description : tr("No trigger mask was found for class %1.").arg(r.label));
    showImage();
    fillReasons(row);
    fillNeighbours(row);
    fillFields(r.content);
    fillText(row, r.content);
    fillHistory(r.id);
}

void FindingInspector::fillText(int row, const QByteArray &content)
{
    // The phrase a trigger-phrase finding names for this record, marked where it sits in the raw text.
    QStringList phraseWords;
    for (const Finding &f : m_result->findingsFor(row))
        if (const QString phrase = f.evidence.value(QStringLiteral("phrase")).toString(); !phrase.isEmpty())
            phraseWords = phrase.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    // Else a phrase the scan found whose records include this one (another detector flagged it).
    for (const TriggerPhrase &p : m_result->phrases)
        if (phraseWords.isEmpty() && p.records.contains(m_result->ids.value(row)))
            phraseWords = p.words;
    const Schema &schema = m_batch->schema;
    const QStringList values = displayValues(schema, std::string_view(content.constData(), size_t(content.size())));
    QStringList parts;
    for (int c = 0; c < schema.columns.size(); ++c)
        if (schema.columns.at(c).kind == ColumnKind::Text) {
            constexpr qsizetype kShown = 20000; // a label lays out all it holds: a 4 MB field would stall the window
            const QString value = values.value(c);
            parts << QStringLiteral("<b>%1</b>: %2%3").arg(schema.columns.at(c).name.toHtmlEscaped(), highlightedText(value.left(kShown), phraseWords),
                                                         value.size() > kShown ? tr(" … (%1 more characters)").arg(value.size() - kShown) : QString());
        }
    m_textHeading->setVisible(!parts.isEmpty());
    m_text->setVisible(!parts.isEmpty());
    m_text->setText(parts.join(QStringLiteral("<br><br>")));
}

void FindingInspector::fillReasons(int row)
{
    const QList<Finding> findings = m_result->findingsFor(row);
    m_reasons->setRowCount(int(findings.size()));
    for (int i = 0; i < findings.size(); ++i) {
        const Finding &f = findings.at(i);
        QString why = f.reason;
        if (const QString extra = evidenceSummary(f); !extra.isEmpty())
            why += QStringLiteral(" (") + extra + QLatin1Char(')');
        setRow(m_reasons, i, {f.detector, number(f.score), number(f.threshold), why});
    }
    m_reasons->resizeRowsToContents();
}

QImage FindingInspector::recordImage(const QString &recordId, QString *label) const
{
    RecordQuery query(*m_workspace);
    for (const auto &version : {m_batch, m_baseline}) {
        if (!version)
            continue;
        QString missing;
        if (const auto r = query.byId(version->id, recordId, &missing)) {
            if (label->isEmpty())
                *label = r->label;
            return version->schema.hasImage() ? contentImage(std::string_view(r->content.constData(), size_t(r->content.size())))
                                              : QImage();
        }
    }
    return {};
}

void FindingInspector::fillNeighbours(int row)
{
    struct Neighbour
    {
        QString id, label, distance;
    };
    QList<Neighbour> list;
    QStringList seen;
    for (const Finding &f : m_result->findingsFor(row)) {
        for (const QJsonValue &v : f.evidence.value(QStringLiteral("neighbours")).toArray()) {
            const QJsonObject n = v.toObject();
            const QString id = n.value(QStringLiteral("id")).toString();
            if (id.isEmpty() || seen.contains(id))
                continue;
            seen << id;
            list.append({id, n.value(QStringLiteral("label")).toString(),
                         number(n.value(QStringLiteral("distance")).toDouble(NAN))});
        }
        const QString other = f.evidence.value(QStringLiteral("other")).toString();
        if (!other.isEmpty() && !seen.contains(other)) {
            seen << other;
            list.append({other, f.evidence.value(QStringLiteral("other_label")).toString(), tr("same content")});
        }
    }
    m_neighbours->setRowCount(int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        QString label = list.at(i).label;
        const QImage image = recordImage(list.at(i).id, &label);
        setRow(m_neighbours, i, {list.at(i).id, label, list.at(i).distance});
        QTableWidgetItem *first = m_neighbours->item(i, 0);
        first->setData(Qt::UserRole, list.at(i).id);
        if (!image.isNull()) {
            const int scale = std::max(1, kThumbnailSide / std::max(image.width(), image.height()));
            first->setIcon(QIcon(QPixmap::fromImage(drawWithMask(image, scale, nullptr))));
        }
    }
    m_neighbours->resizeRowsToContents();
    if (list.isEmpty()) {
        m_neighbours->setRowCount(1);
        setRow(m_neighbours, 0, {tr("No neighbours in this record's evidence."), QString(), QString()});
    }
}

void FindingInspector::fillFields(const QByteArray &content)
{
    const Schema &schema = m_batch->schema;
    const QStringList values = displayValues(schema, std::string_view(content.constData(), size_t(content.size())));
    m_fields->setRowCount(int(schema.columns.size()));
    for (int c = 0; c < schema.columns.size(); ++c)
        setRow(m_fields, c, {schema.columns.at(c).name, values.value(c)});
    m_fields->resizeRowsToContents();
}

void FindingInspector::fillHistory(const QString &recordId)
{
    QString error;
    const QList<RecordHistory::Step> steps = RecordHistory::read(*m_workspace, m_datasetVersions, recordId, &error);
    m_history->setRowCount(int(steps.size()));
    for (int i = 0; i < steps.size(); ++i) {
        const RecordHistory::Step &s = steps.at(i);
        setRow(m_history, i, {s.version, s.hasLabel ? s.label : tr("(none)"), s.change});
        if (s.contentChanged)
            for (int c = 0; c < m_history->columnCount(); ++c)
            {
                m_history->item(i, c)->setBackground(QColor(0xfd, 0xec, 0xc8));
                m_history->item(i, c)->setForeground(QColor(0x20, 0x20, 0x20));
            }
    }
    m_history->resizeRowsToContents();
}

} // namespace custody
