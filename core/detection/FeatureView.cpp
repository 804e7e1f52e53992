#include "detection/FeatureView.h"

#include "sampling/DriftSample.h"

#include <algorithm>
#include <cmath>

namespace custody {

namespace {
constexpr int kMaxOneHot = 32;
}

FeatureView::FeatureView(const DriftSample &sample, const DriftSample &reference) : m_sample(sample)
{
    for (size_t c = 0; c < sample.columns.size(); ++c) {
        const DriftSample::Column &col = sample.columns[c];
        const int refIndex = reference.columnIndex(col.name);
        const DriftSample::Column *ref = refIndex >= 0 ? &reference.columns[size_t(refIndex)] : &col;
        Part part;
        part.column = int(c);
        part.offset = m_dims;
        if (col.kind == ColumnKind::Image && col.pixelCount() > 0) {
            part.width = col.pixelCount();
            if (m_imageColumn < 0) {
                m_imageColumn = int(c);
                m_imageOffset = m_dims;
            }
        } else if (col.kind == ColumnKind::Number) {
            double sum = 0, sq = 0;
            int64_t n = 0;
            for (float v : ref->numbers)
                if (std::isfinite(v)) {
                    sum += v;
                    sq += double(v) * v;
                    ++n;
                }
            const double mean = n ? sum / double(n) : 0;
            const double var = n > 1 ? std::max(0.0, (sq - n * mean * mean) / double(n - 1)) : 0;
            part.mean = float(mean);
            part.scale = var > 0 ? float(1.0 / std::sqrt(var)) : 0.0f;
            part.width = 1;
        } else if (col.kind == ColumnKind::Category) {
            part.categories = int(std::min<qsizetype>(kMaxOneHot, col.categories.size()));
            part.width = part.categories;
        }
        if (part.width == 0)
            continue;
        m_parts.push_back(part);
        m_names << col.name;
        m_dims += part.width;
    }
}

void FeatureView::addText(int column, const Eigen::MatrixXf &rows)
{
    if (rows.cols() == 0)
        return;
    Part part;
    part.column = column;
    part.offset = m_dims;
    part.width = int(rows.cols());
    part.text = &rows;
    m_parts.push_back(part);
    m_names << m_sample.columns[size_t(column)].name;
    m_dims += part.width;
}

bool FeatureView::onlyText() const
{
    return !m_parts.empty() && std::all_of(m_parts.begin(), m_parts.end(), [](const Part &p) { return p.text != nullptr; });
}

int64_t FeatureView::rows() const
{
    return m_sample.rows();
}

void FeatureView::gather(const int *rows, int count, Eigen::MatrixXf *out) const
{
    out->resize(count, m_dims);
    for (const Part &p : m_parts) {
        const DriftSample::Column &col = m_sample.columns[size_t(p.column)];
        if (p.text) {
            for (int i = 0; i < count; ++i)
                out->block(i, p.offset, 1, p.width) = p.text->row(rows[i]);
        } else if (col.kind == ColumnKind::Image) {
            const int w = p.width;
            for (int i = 0; i < count; ++i) {
                const uint8_t *px = col.pixels.data() + size_t(rows[i]) * size_t(w);
                for (int j = 0; j < w; ++j)
                    (*out)(i, p.offset + j) = float(px[j]) * (1.0f / 255.0f);
            }
        } else if (col.kind == ColumnKind::Number) {
            for (int i = 0; i < count; ++i) {
                const float v = col.numbers[size_t(rows[i])];
                (*out)(i, p.offset) = std::isfinite(v) ? (v - p.mean) * p.scale : 0.0f;
            }
        } else {
            out->block(0, p.offset, count, p.width).setZero();
            for (int i = 0; i < count; ++i) {
                const int32_t code = col.codes[size_t(rows[i])];
                if (code >= 0 && code < p.categories)
                    (*out)(i, p.offset + code) = 1.0f;
            }
        }
    }
}

void FeatureView::gatherRange(int64_t first, int count, Eigen::MatrixXf *out) const
{
    std::vector<int> rows(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i)
        rows[size_t(i)] = int(first + i);
    gather(rows.data(), count, out);
}

QString FeatureView::featureName(int feature) const
{
    for (size_t i = 0; i < m_parts.size(); ++i) {
        const Part &p = m_parts[i];
        if (feature < p.offset || feature >= p.offset + p.width)
            continue;
        const DriftSample::Column &col = m_sample.columns[size_t(p.column)];
        const int j = feature - p.offset;
        if (p.text)
            return col.name + QStringLiteral(":lsa") + QString::number(j + 1);
        if (col.kind == ColumnKind::Image) {
            const int ch = std::max(1, col.channels);
            const int pixel = j / ch, x = pixel % col.width, y = pixel / col.width;
            return col.name + (ch > 1 ? QStringLiteral("[%1,%2,%3]").arg(y).arg(x).arg(j % ch) : QStringLiteral("[%1,%2]").arg(y).arg(x));
        }
        if (col.kind == ColumnKind::Category)
            return QStringLiteral("%1=%2").arg(col.name, col.categories.value(j));
        return col.name;
    }
    return QString();
}

} // namespace custody
