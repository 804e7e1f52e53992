#pragma once

#include "analysis/KolmogorovSmirnov.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace custody {

// Which test decides a feature's verdict. Tests with a p-value (KS, chi-square) flag a feature when its
// Benjamini-Hochberg adjusted p-value is below alpha; distance tests flag it when the distance reaches its
// threshold (and have no p-value).
enum class DriftTest { Auto, KolmogorovSmirnov, ChiSquare, Wasserstein, PopulationStability, JensenShannon };

QString driftTestName(DriftTest test); // ks, chi2, wasserstein, psi, jensenshannon (auto for Auto)
bool driftTestFromName(const QString &name, DriftTest *test);

// MMD permutations one drift check may ask for: each costs one product with the (up to 2000 x 2000) kernel,
// so this bounds the test to about half a minute.
constexpr int kMaxPermutations = 10000;

struct DriftOptions
{
    // Auto: numbers and pixels use KS (exact p-value when max(n1, n2) <= 10000, asymptotic beyond);
    // categories use chi-square when Cochran's rule holds (at least 80% of expected counts >= 5), else the
    // Jensen-Shannon distance. Overridable per kind and per feature name.
    DriftTest numericTest = DriftTest::Auto;
    DriftTest categoricalTest = DriftTest::Auto;
    QHash<QString, DriftTest> featureTests;
    KolmogorovSmirnov::Method ksMethod = KolmogorovSmirnov::Method::Auto;

    double alpha = 0.05;
    double driftShareThreshold = 0.5; // the dataset drifts when drifted / tested features >= this
    double wassersteinThreshold = 0.1; // normalised by the baseline's standard deviation
    double psiThreshold = 0.2;
    double jensenShannonThreshold = 0.1;

    bool classConditional = true;
    int64_t minClassSize = 20; // per sample, for a class to be tested
    int psiBins = 10;
    int histogramBins = 30;

    int permutations = 200;       // MMD, at most kMaxPermutations
    int64_t mmdMaxPerSample = 1000;
    uint64_t seed = 20261125;

    double imbalanceRatio = 10; // largest / smallest class in the batch above this is flagged
    bool keepSamples = true;    // keep the decoded samples in the report, for record queries

    QJsonObject toJson() const; // recorded with the scan
};

} // namespace custody
