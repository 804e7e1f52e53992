#pragma once

// Checks that a picture of a window shows what the screen must: a text a widget or a cell shows is drawn (its part
// of the picture is not blank), a widget's region is not uniform, the selected row is painted in the selection
// colour. Header-only, for the screenshot suites (TestScreenshots, TestSignOffScreenshots).

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QComboBox>
#include <QGroupBox>
#include <QHash>
#include <QImage>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSet>
#include <QStatusBar>
#include <QTest>
#include <QTextDocumentFragment>
#include <QTextEdit>
#include <QWidget>

#include <algorithm>
#include <cstdlib>

// Runs one of the checks below and ends the calling test at its first failure (a failed QVERIFY inside a helper
// only ends the helper).
#define VERIFY_SHOT(check)                                                                                             \
    do {                                                                                                               \
        check;                                                                                                         \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

namespace custody::test {

// The text a widget shows on screen: a password field's bullets, not its text; a button's without its mnemonic.
inline QString shownText(const QWidget *w)
{
    QString text;
    if (const auto *label = qobject_cast<const QLabel *>(w))
        text = Qt::mightBeRichText(label->text()) ? QTextDocumentFragment::fromHtml(label->text()).toPlainText() : label->text();
    else if (const auto *button = qobject_cast<const QAbstractButton *>(w))
        text = button->text();
    else if (const auto *edit = qobject_cast<const QLineEdit *>(w))
        text = edit->text().isEmpty() ? edit->placeholderText() : edit->displayText();
    else if (const auto *combo = qobject_cast<const QComboBox *>(w))
        text = combo->currentText();
    else if (const auto *plain = qobject_cast<const QPlainTextEdit *>(w))
        text = plain->toPlainText();
    else if (const auto *rich = qobject_cast<const QTextEdit *>(w))
        text = rich->toPlainText();
    else if (const auto *box = qobject_cast<const QGroupBox *>(w))
        text = box->title();
    else if (const auto *status = qobject_cast<const QStatusBar *>(w))
        text = status->currentMessage();
    return text.remove(QLatin1Char('&'));
}

inline int distinctColours(const QImage &image)
{
    QSet<QRgb> seen;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            seen.insert(image.pixel(x, y));
    return int(seen.size());
}

// How many of the image's pixels are `colour` (each channel within `tolerance`), as a share of all of them.
inline double shareOf(const QImage &image, QRgb colour, int tolerance = 0)
{
    const auto near = [&](QRgb c) {
        return std::abs(qRed(c) - qRed(colour)) <= tolerance && std::abs(qGreen(c) - qGreen(colour)) <= tolerance
            && std::abs(qBlue(c) - qBlue(colour)) <= tolerance;
    };
    qint64 hits = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            hits += near(image.pixel(x, y));
    return image.isNull() ? 0.0 : double(hits) / (double(image.width()) * image.height());
}

// The colour most of the image's pixels have.
inline QColor mostCommon(const QImage &image)
{
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            ++counts[image.pixel(x, y)];
    QRgb best = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > counts.value(best))
            best = it.key();
    return QColor::fromRgba(best);
}

// A picture of `root` (its grab), and where in it each widget and cell is drawn.
class Screenshot
{
public:
    explicit Screenshot(QWidget *root) : m_root(root), m_image(root->grab().toImage()) { }

    const QImage &image() const { return m_image; }

    // `rect`, in root's coordinates, cut out of the picture.
    QImage part(const QRect &rect) const
    {
        const qreal dpr = m_image.devicePixelRatio();
        const QRect r = rect & m_root->rect();
        return r.isEmpty() ? QImage() : m_image.copy(QRectF(QPointF(r.topLeft()) * dpr, QSizeF(r.size()) * dpr).toAlignedRect());
    }
    QImage part(const QWidget *w) const { return part(rectOf(w)); }

    QRect rectOf(const QWidget *w) const { return QRect(w->mapTo(m_root, QPoint(0, 0)), w->size()) & m_root->rect(); }
    // A cell of an item view, clipped to the view's viewport; empty when scrolled out of sight.
    QRect rectOf(const QAbstractItemView *view, const QModelIndex &index) const
    {
        const QRect r = view->visualRect(index) & view->viewport()->rect();
        return r.isEmpty() ? QRect() : QRect(view->viewport()->mapTo(m_root, r.topLeft()), r.size()) & m_root->rect();
    }

    // Where a visible widget, or a visible cell of a visible item view, of the window shows text containing
    // `text`; empty when nothing does.
    QRect whereShown(const QString &text) const
    {
        QList<QWidget *> widgets = m_root->findChildren<QWidget *>();
        widgets.prepend(m_root);
        for (const QWidget *w : std::as_const(widgets)) {
            if (!w->isVisible())
                continue;
            if (const auto *view = qobject_cast<const QAbstractItemView *>(w); view && view->model()) {
                if (const QRect cell = whereInView(view, QModelIndex(), text, 0); !cell.isEmpty())
                    return cell;
            } else if (shownText(w).contains(text) && !rectOf(w).isEmpty()) {
                return rectOf(w);
            }
        }
        return {};
    }

private:
    QRect whereInView(const QAbstractItemView *view, const QModelIndex &parent, const QString &text, int depth) const
    {
        const QAbstractItemModel *model = view->model();
        for (int row = 0; row < model->rowCount(parent) && row < 1000; ++row) {
            for (int column = 0; column < model->columnCount(parent); ++column) {
                // Only cells in sight are read: a lazy model is not asked to load what nobody looks at.
                const QModelIndex index = model->index(row, column, parent);
                if (const QRect cell = rectOf(view, index); !cell.isEmpty() && index.data().toString().contains(text))
                    return cell;
            }
            if (depth < 2 && model->hasChildren(model->index(row, 0, parent)))
                if (const QRect cell = whereInView(view, model->index(row, 0, parent), text, depth + 1); !cell.isEmpty())
                    return cell;
        }
        return {};
    }

    QWidget *m_root;
    QImage m_image;
};

// The column of `model` whose header is `title`, or -1.
inline int columnTitled(const QAbstractItemModel *model, const QString &title)
{
    for (int c = 0; c < model->columnCount(); ++c)
        if (model->headerData(c, Qt::Horizontal).toString() == title)
            return c;
    return -1;
}

// The cell at `index` holds `text`, is in sight, and is drawn (not blank).
inline void verifyCellShows(const Screenshot &shot, const QAbstractItemView *view, const QModelIndex &index, const QString &text)
{
    QCOMPARE(index.data().toString(), text);
    const QRect where = shot.rectOf(view, index);
    QVERIFY2(!where.isEmpty(), qPrintable(QStringLiteral("the cell showing '%1' is out of sight").arg(text)));
    const int colours = distinctColours(shot.part(where));
    QVERIFY2(colours >= 4, qPrintable(QStringLiteral("the cell showing '%1' has %2 colours").arg(text).arg(colours)));
}

// Something visible shows `text`, and the picture there is not blank: text drawn on a background has more
// colours than the background alone.
inline void verifyShows(const Screenshot &shot, const QString &text)
{
    const QRect where = shot.whereShown(text);
    QVERIFY2(!where.isEmpty(), qPrintable(QStringLiteral("nothing visible shows '%1'").arg(text)));
    const int colours = distinctColours(shot.part(where));
    QVERIFY2(colours >= 4, qPrintable(QStringLiteral("'%1' is shown in a region of %2 colours").arg(text).arg(colours)));
}

// `w` is visible inside the picture and its region is not uniform: more than `minColours` distinct colours.
inline void verifyDrawn(const Screenshot &shot, const QWidget *w, int minColours)
{
    QVERIFY2(w && w->isVisible(), w ? qPrintable(w->objectName() + QStringLiteral(" is not visible")) : "no such widget");
    const QRect where = shot.rectOf(w);
    QVERIFY2(where.size() == w->size(), qPrintable(w->objectName() + QStringLiteral(" is not inside the window")));
    const int colours = distinctColours(shot.part(where));
    QVERIFY2(colours > minColours, qPrintable(QStringLiteral("%1 is drawn with %2 colours").arg(w->objectName()).arg(colours)));
}

// The view's current cell is selected and painted mostly in the selection colour (the style may shade it a little).
inline void verifySelectionPainted(const Screenshot &shot, const QAbstractItemView *view)
{
    const QModelIndex current = view->currentIndex();
    QVERIFY2(current.isValid() && view->selectionModel()->isSelected(current), qPrintable(view->objectName()));
    const QImage cell = shot.part(shot.rectOf(view, current));
    QVERIFY2(!cell.isNull(), qPrintable(view->objectName() + QStringLiteral(": the current cell is out of sight")));
    const QPalette &p = view->palette();
    const double share = std::max(shareOf(cell, p.color(QPalette::Active, QPalette::Highlight).rgb(), 8),
                                  shareOf(cell, p.color(QPalette::Inactive, QPalette::Highlight).rgb(), 8));
    QVERIFY2(share > 0.5, qPrintable(QStringLiteral("%1: %2 of the selected cell in the selection colour %3; mostly %4")
                                         .arg(view->objectName()).arg(share).arg(p.color(QPalette::Highlight).name(), mostCommon(cell).name())));
}

} // namespace custody::test
