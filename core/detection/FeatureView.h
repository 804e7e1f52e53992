#pragma once

#include <Eigen/Core>

#include <QStringList>

#include <vector>

namespace custody {

struct DriftSample;

// A sample's records as dense feature vectors, gathered on demand so that no n x d float copy of a whole
// version is ever kept: image pixels scaled to [0, 1] (left unstandardised so that a bright patch stays a
// bright patch), numbers standardised by the reference sample's mean and s.d. (missing -> 0, the mean),
// categories one-hot (the first 32 categories of the reference), text columns as the dense LSA rows added with
// addText (detection/TextColumns.h). The same layout applies to a baseline and a batch when both are built
// against one reference (and given the same text columns in the same order).
class FeatureView
{
public:
    FeatureView(const DriftSample &sample, const DriftSample &reference);

    // Appends a text column's dense rows (one per record of the sample; kept by reference, not copied).
    void addText(int column, const Eigen::MatrixXf &rows);
    int dims() const { return m_dims; }
    // Every feature comes from text columns (their LSA rows).
    bool onlyText() const;
    int64_t rows() const;
    // out: rows.size() x dims(), one gathered row per index.
    void gather(const int *rows, int count, Eigen::MatrixXf *out) const;
    void gatherRange(int64_t first, int count, Eigen::MatrixXf *out) const;
    QString featureName(int feature) const;
    // The image column whose pixels are features [imageOffset, imageOffset + w*h*c), or -1.
    int imageColumn() const { return m_imageColumn; }
    int imageOffset() const { return m_imageOffset; }

private:
    struct Part
    {
        int column = -1;
        int offset = 0;
        int width = 0; // features this part contributes
        float mean = 0, scale = 1; // numbers
        int categories = 0;        // one-hot width
        const Eigen::MatrixXf *text = nullptr; // text: the column's dense rows
    };
    const DriftSample &m_sample;
    std::vector<Part> m_parts;
    QStringList m_names; // per part
    int m_dims = 0;
    int m_imageColumn = -1, m_imageOffset = 0;
};

} // namespace custody
