#pragma once

#include "formats/Schema.h"
#include "storage/RecordQuery.h"

#include <QWidget>

#include <optional>

class QLabel;
class QHBoxLayout;
class QTableWidget;

namespace custody {

// Records side by side: A and B of a changed record, or every member of a duplicate group. One column per
// side; rows for id, label, content hash and each field; cells that differ between sides are highlighted;
// images are shown above, enlarged, so a planted patch or a flipped label is visible at a glance.
class RecordComparisonView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kImageSize = 112;

    struct Side
    {
        QString title;                  // "A: fashion@v1"
        std::optional<RecordRow> record; // nullopt: not present on this side
        Schema schema;
    };

    explicit RecordComparisonView(QWidget *parent = nullptr);

    void showSides(const QList<Side> &sides);
    void showMessage(const QString &message);

    QTableWidget *table() const { return m_table; }
    // The text of a cell by row title ("Id", "Label", "Content hash" or a field name) and side index.
    QString cellText(const QString &rowTitle, int side) const;
    int imageCount() const;

private:
    QLabel *m_message;
    QWidget *m_images;
    QHBoxLayout *m_imagesLayout;
    QTableWidget *m_table;
};

} // namespace custody
