#pragma once

#include <QStringList>
#include <QWidget>

#include <vector>

namespace custody {

struct DriftReport;

// Class-conditional drift as a (feature x class) heat map: one row per feature (those with the largest class
// effects, at most maxRows), one column per class, the cell's colour its effect (KS D or Jensen-Shannon
// distance, 0..1), drifted cells outlined. Clicking a cell selects that (feature, class).
class DriftClassHeatMap : public QWidget
{
    Q_OBJECT
public:
    explicit DriftClassHeatMap(QWidget *parent = nullptr);

    void setReport(const DriftReport *report, int maxRows = 40);

    int rowCount() const { return int(m_features.size()); }
    int columnCount() const { return int(m_labels.size()); }
    int featureAt(int row) const { return m_features.at(size_t(row)); }
    QString labelAt(int column) const { return m_labels.at(column); }
    double effectAt(int row, int column) const; // NaN where the class was not tested
    QRect cellRect(int row, int column) const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void cellSelected(int feature, const QString &label);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    int rowHeaderWidth() const;

    const DriftReport *m_report = nullptr;
    std::vector<int> m_features;
    QStringList m_labels;
    std::vector<double> m_effect; // row-major
    std::vector<char> m_drifted;
    int m_selectedRow = -1, m_selectedColumn = -1;
};

// One cell per pixel: a class's drift map of an image column, scaled up without smoothing, so a stamped
// trigger shows as a bright patch. Clicking a pixel selects it.
class DriftImageMap : public QWidget
{
    Q_OBJECT
public:
    explicit DriftImageMap(QWidget *parent = nullptr);

    // `effect` per pixel (channels folded by their maximum), drawn relative to the map's largest effect.
    void setMap(int width, int height, int channels, const std::vector<float> &effect);
    void clear();
    QImage image() const { return m_image; } // width x height, one grey level per pixel
    int pixelAt(const QPoint &pos) const;  // y * width + x, -1 outside
    QRect pixelRect(int pixel) const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void pixelSelected(int pixel);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    QRect imageRect() const;

    QImage m_image;
    int m_selected = -1;
};

} // namespace custody
