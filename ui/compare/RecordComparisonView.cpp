#include "compare/RecordComparisonView.h"

#include "formats/ContentDisplay.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QTableWidget>
#include <QVBoxLayout>

namespace custody {

RecordComparisonView::RecordComparisonView(QWidget *parent)
    : QWidget(parent), m_message(new QLabel), m_images(new QWidget), m_imagesLayout(new QHBoxLayout(m_images)),
      m_table(new QTableWidget)
{
    setObjectName(QStringLiteral("recordComparison"));
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setEnabled(false);
    m_images->setObjectName(QStringLiteral("comparisonImages"));
    m_imagesLayout->setContentsMargins(0, 0, 0, 0);
    m_table->setObjectName(QStringLiteral("comparisonTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::ContiguousSelection);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_images);
    layout->addWidget(m_table, 1);
    showMessage(tr("Select a record to see it on both sides."));
}

void RecordComparisonView::showMessage(const QString &message)
{
    m_message->setText(message);
    m_message->show();
    m_images->hide();
    m_table->hide();
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
}

void RecordComparisonView::showSides(const QList<Side> &sides)
{
    m_message->hide();
    m_table->show();

    // Rows: identity first, then the union of the fields of every side, in the order they first appear.
    QStringList titles = {tr("Id"), tr("Label"), tr("Content hash")};
    const int fixedRows = int(titles.size());
    for (const Side &side : sides) {
        for (const Column &c : side.schema.columns) {
            if (!titles.mid(fixedRows).contains(c.name))
                titles.append(c.name);
        }
    }
    m_table->clear();
    m_table->setRowCount(int(titles.size()));
    m_table->setColumnCount(int(sides.size()));
    m_table->setVerticalHeaderLabels(titles);

    QStringList headers;
    QList<QImage> images;
    for (int s = 0; s < sides.size(); ++s) {
        const Side &side = sides.at(s);
        headers.append(side.record ? side.title : tr("%1 (not present)").arg(side.title));
        QStringList column(titles.size(), QString());
        QImage image;
        if (side.record) {
            const RecordRow &r = *side.record;
            column[0] = r.id;
            column[1] = r.hasLabel ? r.label : tr("(no label)");
            column[2] = toHex(r.contentHash);
            const std::string_view content(r.content.constData(), size_t(r.content.size()));
            const QStringList values = displayValues(side.schema, content);
            for (int c = 0; c < side.schema.columns.size() && c < values.size(); ++c)
                column[titles.indexOf(side.schema.columns.at(c).name, fixedRows)] = values.at(c);
            if (side.schema.hasImage())
                image = contentImage(content);
        }
        images.append(image);
        for (int row = 0; row < titles.size(); ++row) {
            auto *item = new QTableWidgetItem(side.record ? column.at(row) : QStringLiteral("—"));
            item->setToolTip(item->text());
            if (row == 2) {
                QFont mono(QStringLiteral("monospace"));
                mono.setStyleHint(QFont::TypeWriter);
                item->setFont(mono);
            }
            m_table->setItem(row, s, item);
        }
    }
    m_table->setHorizontalHeaderLabels(headers);

    // A value that is not the same on every present side is what the curator must look at.
    for (int row = 0; row < titles.size(); ++row) {
        QStringList seen;
        for (int s = 0; s < sides.size(); ++s) {
            if (sides.at(s).record && !seen.contains(m_table->item(row, s)->text()))
                seen.append(m_table->item(row, s)->text());
        }
        if (seen.size() <= 1)
            continue;
        for (int s = 0; s < sides.size(); ++s) {
            QTableWidgetItem *item = m_table->item(row, s);
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
            item->setBackground(QColor(0xfd, 0xec, 0xc8));
            item->setForeground(QColor(0x20, 0x20, 0x20));
        }
    }

    // Images, enlarged without smoothing so single pixels (a trigger patch) stay crisp.
    while (QLayoutItem *item = m_imagesLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    bool anyImage = false;
    for (int s = 0; s < images.size(); ++s) {
        auto *box = new QWidget;
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        auto *picture = new QLabel;
        picture->setObjectName(QStringLiteral("comparisonImage%1").arg(s));
        picture->setFixedSize(kImageSize, kImageSize);
        picture->setAlignment(Qt::AlignCenter);
        picture->setFrameShape(QFrame::StyledPanel);
        if (!images.at(s).isNull()) {
            anyImage = true;
            picture->setPixmap(QPixmap::fromImage(
                images.at(s).scaled(kImageSize - 4, kImageSize - 4, Qt::KeepAspectRatio, Qt::FastTransformation)));
        } else {
            picture->setText(QStringLiteral("—"));
        }
        auto *caption = new QLabel(headers.at(s));
        caption->setAlignment(Qt::AlignCenter);
        boxLayout->addWidget(picture, 0, Qt::AlignHCenter);
        boxLayout->addWidget(caption);
        m_imagesLayout->addWidget(box, 1);
    }
    m_images->setVisible(anyImage);
}

QString RecordComparisonView::cellText(const QString &rowTitle, int side) const
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *header = m_table->verticalHeaderItem(row);
        if (header && header->text() == rowTitle && side < m_table->columnCount())
            return m_table->item(row, side) ? m_table->item(row, side)->text() : QString();
    }
    return {};
}

int RecordComparisonView::imageCount() const
{
    if (m_images->isHidden())
        return 0;
    int n = 0;
    for (const QLabel *label : m_images->findChildren<QLabel *>()) {
        if (label->objectName().startsWith(QLatin1String("comparisonImage")) && !label->pixmap().isNull())
            ++n;
    }
    return n;
}

} // namespace custody
