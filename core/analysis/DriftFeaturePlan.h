#pragma once

#include "analysis/DriftReport.h"

#include <vector>

namespace custody {

// What a drift run tests and how the two samples line up: the features (columns present in both with the same
// kind, every pixel of an image column), the classes tested conditionally (labels with enough records on both
// sides), each sample's rows per class, and each categorical column's codes mapped onto one union dictionary.
// computeFeature() fills one feature and its class cells; calls for different features may run in parallel.
class DriftFeaturePlan
{
public:
    DriftFeaturePlan(const DriftSample &baseline, const DriftSample &batch, const DriftOptions &options);

    std::vector<FeatureDrift> &features() { return m_features; }
    const QStringList &classes() const { return m_classes; }
    // Cells in feature-major order: cell(f, k) = cells()[f * classes().size() + k].
    std::vector<ClassDrift> &cells() { return m_cells; }
    QStringList skipped() const { return m_skipped; } // "name: reason" for columns not tested
    // Why the options' per-feature tests cannot be applied as asked (a feature that is not tested here, a test
    // its kind has not: chi2 on numbers, KS on categories); empty when they can. A run refuses them rather
    // than record an override it did not apply.
    QString overrideProblem() const;

    void computeFeature(int feature);

private:
    struct Side
    {
        const DriftSample *sample = nullptr;
        std::vector<int> classOfLabel;            // label code -> class index or -1
        std::vector<std::vector<int64_t>> rowsOf; // class -> rows
    };
    struct CategoryMap
    {
        QStringList categories;              // the union dictionary
        std::vector<int> baseline, batch;    // code -> union index
    };

    void addColumns();
    void computeNumber(int f, FeatureDrift &feature);
    void computePixel(int f, FeatureDrift &feature);
    void computeCategory(int f, FeatureDrift &feature);
    DriftTest requestedTest(const FeatureDrift &feature) const;
    int classCount() const { return int(m_classes.size()); }

    const DriftOptions &m_options;
    Side m_base, m_batch;
    QStringList m_classes;
    std::vector<FeatureDrift> m_features;
    std::vector<ClassDrift> m_cells;
    std::vector<CategoryMap> m_categoryMaps; // by feature index of categorical features, else empty
    QStringList m_skipped;
};

} // namespace custody
