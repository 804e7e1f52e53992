#include "analysis/DriftOptions.h"

#include <QJsonArray>

namespace custody {

namespace {
const char *const kNames[] = {"auto", "ks", "chi2", "wasserstein", "psi", "jensenshannon"};
}

QString driftTestName(DriftTest test)
{
    return QLatin1String(kNames[int(test)]);
}

bool driftTestFromName(const QString &name, DriftTest *test)
{
    for (int i = 0; i < int(std::size(kNames)); ++i) {
        if (name == QLatin1String(kNames[i])) {
            *test = DriftTest(i);
            return true;
        }
    }
    return false;
}

QJsonObject DriftOptions::toJson() const
{
    QJsonObject overrides;
    for (auto it = featureTests.cbegin(); it != featureTests.cend(); ++it)
        overrides.insert(it.key(), driftTestName(it.value()));
    const char *ks = ksMethod == KolmogorovSmirnov::Method::Exact ? "exact"
        : ksMethod == KolmogorovSmirnov::Method::Asymptotic       ? "asymp"
                                                                  : "auto";
    return QJsonObject{{QStringLiteral("numeric_test"), driftTestName(numericTest)},
                       {QStringLiteral("categorical_test"), driftTestName(categoricalTest)},
                       {QStringLiteral("feature_tests"), overrides},
                       {QStringLiteral("ks_method"), QLatin1String(ks)},
                       {QStringLiteral("alpha"), alpha},
                       {QStringLiteral("drift_share_threshold"), driftShareThreshold},
                       {QStringLiteral("wasserstein_threshold"), wassersteinThreshold},
                       {QStringLiteral("psi_threshold"), psiThreshold},
                       {QStringLiteral("jensenshannon_threshold"), jensenShannonThreshold},
                       {QStringLiteral("class_conditional"), classConditional},
                       {QStringLiteral("min_class_size"), qint64(minClassSize)},
                       {QStringLiteral("psi_bins"), psiBins},
                       {QStringLiteral("histogram_bins"), histogramBins},
                       {QStringLiteral("permutations"), permutations},
                       {QStringLiteral("mmd_max_per_sample"), qint64(mmdMaxPerSample)},
                       {QStringLiteral("seed"), QString::number(seed)},
                       {QStringLiteral("imbalance_ratio"), imbalanceRatio}};
}

} // namespace custody
