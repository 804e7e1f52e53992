#include "sampling/DriftSample.h"
#include "job/Cancel.h"
#include "detection/Detectors.h"
#include "detection/ScanContext.h"
#include "detection/TextNearDuplicates.h"

#include <QHash>

#include <cmath>

namespace custody {

namespace {

constexpr double kTextNearJaccard = 0.8;

QByteArray key(const Digest &d)
{
    return QByteArray(reinterpret_cast<const char *>(d.data()), int(d.size()));
}

} // namespace

QString DuplicateDetector::name() const
{
    return DetectorName::Duplicates;
}

QJsonObject DuplicateDetector::parameters(const ScanContext &c) const
{
    QJsonObject p{{QStringLiteral("near_duplicate_cosine"), c.options.nearDuplicateCosine},
                  {QStringLiteral("exact"), QStringLiteral("content hash")}};
    if (!c.text.empty())
        p.insert(QStringLiteral("text_near_duplicate"), QJsonObject{{QStringLiteral("jaccard"), kTextNearJaccard},
                                                                    {QStringLiteral("shingle_words"), 5},
                                                                    {QStringLiteral("permutations"), 128},
                                                                    {QStringLiteral("bands"), 32},
                                                                    {QStringLiteral("rows"), 4}});
    return p;
}

bool DuplicateDetector::run(const ScanContext &c, DetectorOutput *out, QString *error)
{
    out->reset(name(), c.batch->rows());
    out->summary.parameters = parameters(c);
    const DriftSample &b = *c.batch;
    const bool hashes = b.contentHashes.size() == size_t(b.rows());
    // Content hash -> rows, in the batch and in the baseline.
    QHash<QByteArray, QList<int>> inBatch, inBaseline;
    if (hashes) {
        for (int r = 0; r < int(b.rows()); ++r)
            inBatch[key(b.contentHashes[size_t(r)])] << r;
        if (c.baseline && c.baseline->contentHashes.size() == size_t(c.baseline->rows()))
            for (int r = 0; r < int(c.baseline->rows()); ++r)
                inBaseline[key(c.baseline->contentHashes[size_t(r)])] << r;
    }
    int64_t exact = 0, near = 0, nearText = 0;
    const std::vector<TextNearMatch> textMatches = c.text.empty() ? std::vector<TextNearMatch>()
                                                                  : textNearDuplicates(c, kTextNearJaccard);
    if (c.cancelled()) {
        *error = cancelledMessage();
        return false;
    }
    Eigen::MatrixXf a, other;
    for (size_t i = 0; i < c.candidates.size(); ++i) {
        if ((i & 1023) == 0 && c.cancelled()) {
            *error = cancelledMessage();
            return false;
        }
        const int row = c.candidates[i];
        const int label = c.batchLabel[size_t(row)];
        ++out->summary.scored;
        Finding f;
        f.record = c.recordId(row);
        f.row = row;
        f.detector = name();
        f.label = c.labelName(label);
        f.threshold = 1.0;
        f.pValue = 0;
        bool found = false;
        if (hashes) {
            const QByteArray h = key(b.contentHashes[size_t(row)]);
            // The same content in the baseline under another id with another label: a conflicting copy.
            for (int r : inBaseline.value(h)) {
                if (c.baselineLabel[size_t(r)] == label || c.baseline->ids[r] == f.record)
                    continue;
                f.reason = QStringLiteral("Exact copy of baseline record %1, which is labelled '%2'; this copy says '%3'.")
                               .arg(c.baseline->ids[r], c.labelName(c.baselineLabel[size_t(r)]), f.label);
                f.suggestedLabel = c.labelName(c.baselineLabel[size_t(r)]);
                f.evidence = {{QStringLiteral("other"), c.baseline->ids[r]},
                              {QStringLiteral("other_label"), f.suggestedLabel},
                              {QStringLiteral("where"), QStringLiteral("baseline")},
                              {QStringLiteral("kind"), QStringLiteral("exact")}};
                found = true;
                break;
            }
            if (!found)
                for (int r : inBatch.value(h)) {
                    if (r == row || c.batchLabel[size_t(r)] == label)
                        continue;
                    f.reason = QStringLiteral("Same content as record %1 of this version, which is labelled '%2'.")
                                   .arg(b.ids[r], c.labelName(c.batchLabel[size_t(r)]));
                    f.evidence = {{QStringLiteral("other"), b.ids[r]},
                                  {QStringLiteral("other_label"), c.labelName(c.batchLabel[size_t(r)])},
                                  {QStringLiteral("where"), QStringLiteral("batch")},
                                  {QStringLiteral("kind"), QStringLiteral("exact")}};
                    found = true;
                    break;
                }
        }
        const TextNearMatch text = i < textMatches.size() ? textMatches[i] : TextNearMatch();
        if (found) {
            f.score = 1.0;
            ++exact;
        } else if (text.otherRow >= 0) {
            const QString otherId = text.inBaseline ? c.baseline->ids[text.otherRow] : b.ids[text.otherRow];
            const int otherLabel = text.inBaseline ? c.baselineLabel[size_t(text.otherRow)] : c.batchLabel[size_t(text.otherRow)];
            f.score = text.similarity;
            f.threshold = kTextNearJaccard;
            f.reason = QStringLiteral("Its %1 nearly repeats (Jaccard %2 over 5-word shingles) %3 record %4, which is labelled '%5'.")
                           .arg(text.column, QString::number(text.similarity, 'f', 2),
                                text.inBaseline ? QStringLiteral("baseline") : QStringLiteral("batch"), otherId, c.labelName(otherLabel));
            f.suggestedLabel = c.labelName(otherLabel);
            f.evidence = {{QStringLiteral("other"), otherId},
                          {QStringLiteral("other_label"), f.suggestedLabel},
                          {QStringLiteral("where"), text.inBaseline ? QStringLiteral("baseline") : QStringLiteral("batch")},
                          {QStringLiteral("kind"), QStringLiteral("near-text")},
                          {QStringLiteral("column"), text.column},
                          {QStringLiteral("jaccard"), text.similarity}};
            ++nearText;
        } else if (c.candidateNeighbours.size() == c.candidates.size()) {
            // Near: the nearest reference record in the representation, checked on the feature vectors.
            // The same id in the baseline is this record's earlier self (a relabel is the delta's finding).
            int ref = -1;
            for (const auto &hit : c.candidateNeighbours[i].nearest(2))
                if (c.referenceId(hit.ref) != f.record) {
                    ref = hit.ref;
                    break;
                }
            if (ref < 0)
                continue;
            const int refLabel = c.referenceLabel()[size_t(ref)];
            if (refLabel == label || (!c.hasBaseline() && ref == row))
                continue;
            c.batchView->gather(&row, 1, &a);
            c.referenceView().gather(&ref, 1, &other);
            const double na = a.norm(), nb = other.norm();
            const double cosine = na > 0 && nb > 0 ? double(a.row(0).dot(other.row(0))) / (na * nb) : 0;
            if (cosine < c.options.nearDuplicateCosine)
                continue;
            f.score = cosine;
            f.threshold = c.options.nearDuplicateCosine;
            f.reason = QStringLiteral("Nearly identical (cosine %1) to record %2, which is labelled '%3'.")
                           .arg(QString::number(cosine, 'f', 4), c.referenceId(ref), c.labelName(refLabel));
            f.suggestedLabel = c.labelName(refLabel);
            f.evidence = {{QStringLiteral("other"), c.referenceId(ref)},
                          {QStringLiteral("other_label"), f.suggestedLabel},
                          {QStringLiteral("where"), c.hasBaseline() ? QStringLiteral("baseline") : QStringLiteral("batch")},
                          {QStringLiteral("kind"), QStringLiteral("near")},
                          {QStringLiteral("cosine"), cosine}};
            ++near;
        } else {
            continue;
        }
        out->score[size_t(row)] = float(f.score);
        out->evidence[size_t(row)] = f.evidence.value(QStringLiteral("kind")).toString() == QLatin1String("exact") ? 6.0f : 4.0f;
        out->findings << f;
    }
    out->summary.flagged = out->findings.size();
    out->summary.ran = true;
    out->summary.note = QStringLiteral("%1 exact and %2 near duplicates with conflicting labels")
                            .arg(formatCount(exact), formatCount(near + nearText));
    if (!c.text.empty())
        out->summary.note += QStringLiteral(" (%1 of them near in text)").arg(formatCount(nearText));
    return true;
}

QString DeltaSignals::name() const
{
    return DetectorName::Delta;
}

QJsonObject DeltaSignals::parameters(const ScanContext &) const
{
    return {{QStringLiteral("signals"), QStringLiteral("relabelled, modified")}};
}

bool DeltaSignals::run(const ScanContext &c, DetectorOutput *out, QString *)
{
    out->reset(name(), c.batch->rows());
    out->summary.parameters = parameters(c);
    if (!c.hasBaseline()) {
        out->summary.note = QStringLiteral("no baseline: nothing to compare with");
        return true;
    }
    int64_t relabelled = 0, modified = 0;
    for (int row : c.candidates) {
        const RecordChange change = c.change[size_t(row)];
        ++out->summary.scored;
        if (change != RecordChange::Relabelled && change != RecordChange::Modified)
            continue;
        const int before = c.baselineRowOf[size_t(row)];
        Finding f;
        f.record = c.recordId(row);
        f.row = row;
        f.detector = name();
        f.label = c.labelName(c.batchLabel[size_t(row)]);
        f.threshold = 1.0;
        f.pValue = 0;
        f.score = 1.0;
        const QString previous = c.labelName(c.baselineLabel[size_t(before)]);
        if (change == RecordChange::Relabelled) {
            f.reason = QStringLiteral("Relabelled since %1: was '%2', now '%3', with the same content.")
                           .arg(c.baseline->version, previous, f.label);
            f.suggestedLabel = previous;
            ++relabelled;
        } else {
            f.reason = previous == f.label
                           ? QStringLiteral("Content changed since %1 under the same id (label '%2' kept).").arg(c.baseline->version, f.label)
                           : QStringLiteral("Content changed since %1 under the same id, and its label went from '%2' to '%3'.")
                                 .arg(c.baseline->version, previous, f.label);
            ++modified;
        }
        f.evidence = {{QStringLiteral("change"), recordChangeName(change)},
                      {QStringLiteral("previous_label"), previous}};
        out->score[size_t(row)] = 1.0f;
        out->evidence[size_t(row)] = change == RecordChange::Relabelled ? 6.0f : 5.0f;
        out->findings << f;
    }
    out->summary.flagged = out->findings.size();
    out->summary.ran = true;
    out->summary.note = QStringLiteral("%1 relabelled and %2 modified since %3")
                            .arg(formatCount(relabelled), formatCount(modified), c.baseline->version);
    return true;
}

} // namespace custody
