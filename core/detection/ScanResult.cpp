#include "detection/ScanResult.h"

#include "hashing/Sha256.h"

#include <QDataStream>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace custody {

QStringList DetectorName::all()
{
    return {Delta, Duplicates, Spectral, RobustCovariance, ActivationClustering, LabelConsistency, Outliers, Phrases,
            Characters, Trigger};
}

QString recordChangeName(RecordChange change)
{
    switch (change) {
    case RecordChange::Unchanged: return QStringLiteral("unchanged");
    case RecordChange::New: return QStringLiteral("new");
    case RecordChange::Modified: return QStringLiteral("modified");
    case RecordChange::Relabelled: return QStringLiteral("relabelled");
    }
    return QString();
}

namespace {

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

double readNumber(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : NAN;
}

} // namespace

QJsonObject Finding::toJson() const
{
    QJsonObject o{{QStringLiteral("record"), record},     {QStringLiteral("row"), row},
                  {QStringLiteral("detector"), detector}, {QStringLiteral("label"), label},
                  {QStringLiteral("score"), number(score)}, {QStringLiteral("threshold"), number(threshold)},
                  {QStringLiteral("p_value"), number(pValue)}, {QStringLiteral("reason"), reason}};
    if (!suggestedLabel.isEmpty())
        o.insert(QStringLiteral("suggested_label"), suggestedLabel);
    if (!evidence.isEmpty())
        o.insert(QStringLiteral("evidence"), evidence);
    return o;
}

Finding Finding::fromJson(const QJsonObject &o)
{
    Finding f;
    f.record = o.value(QStringLiteral("record")).toString();
    f.row = o.value(QStringLiteral("row")).toInt(-1);
    f.detector = o.value(QStringLiteral("detector")).toString();
    f.label = o.value(QStringLiteral("label")).toString();
    f.score = readNumber(o.value(QStringLiteral("score")));
    f.threshold = readNumber(o.value(QStringLiteral("threshold")));
    f.pValue = readNumber(o.value(QStringLiteral("p_value")));
    f.reason = o.value(QStringLiteral("reason")).toString();
    f.suggestedLabel = o.value(QStringLiteral("suggested_label")).toString();
    f.evidence = o.value(QStringLiteral("evidence")).toObject();
    return f;
}

QJsonObject DetectorSummary::toJson() const
{
    return {{QStringLiteral("detector"), detector}, {QStringLiteral("ran"), ran},
            {QStringLiteral("note"), note},         {QStringLiteral("scored"), qint64(scored)},
            {QStringLiteral("flagged"), qint64(flagged)}, {QStringLiteral("parameters"), parameters}};
}

DetectorSummary DetectorSummary::fromJson(const QJsonObject &o)
{
    DetectorSummary s;
    s.detector = o.value(QStringLiteral("detector")).toString();
    s.ran = o.value(QStringLiteral("ran")).toBool();
    s.note = o.value(QStringLiteral("note")).toString();
    s.scored = o.value(QStringLiteral("scored")).toInteger();
    s.flagged = o.value(QStringLiteral("flagged")).toInteger();
    s.parameters = o.value(QStringLiteral("parameters")).toObject();
    return s;
}

QJsonObject TriggerMask::toJson() const
{
    QJsonArray w;
    for (float v : weights)
        w.append(std::isfinite(v) ? double(std::round(v * 1000.0f) / 1000.0f) : 0.0);
    return {{QStringLiteral("label"), label},
            {QStringLiteral("detector"), detector},
            {QStringLiteral("group_size"), groupSize},
            {QStringLiteral("column"), column},
            {QStringLiteral("width"), width},
            {QStringLiteral("height"), height},
            {QStringLiteral("weights"), w},
            {QStringLiteral("top_features"), QJsonArray::fromStringList(topFeatures)},
            {QStringLiteral("description"), description},
            {QStringLiteral("features"), [&] { QJsonArray a; for (int f : features) a.append(f); return a; }()},
            {QStringLiteral("group_mean"), [&] { QJsonArray a; for (float v : groupMean) a.append(double(v)); return a; }()},
            {QStringLiteral("rest_mean"), [&] { QJsonArray a; for (float v : restMean) a.append(double(v)); return a; }()}};
}

TriggerMask TriggerMask::fromJson(const QJsonObject &o)
{
    TriggerMask m;
    m.label = o.value(QStringLiteral("label")).toString();
    m.detector = o.value(QStringLiteral("detector")).toString();
    m.groupSize = o.value(QStringLiteral("group_size")).toInt();
    m.column = o.value(QStringLiteral("column")).toString();
    m.width = o.value(QStringLiteral("width")).toInt();
    m.height = o.value(QStringLiteral("height")).toInt();
    for (const QJsonValue &v : o.value(QStringLiteral("weights")).toArray())
        m.weights.push_back(float(v.toDouble()));
    for (const QJsonValue &v : o.value(QStringLiteral("top_features")).toArray())
        m.topFeatures << v.toString();
    m.description = o.value(QStringLiteral("description")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("features")).toArray())
        m.features.push_back(v.toInt());
    for (const QJsonValue &v : o.value(QStringLiteral("group_mean")).toArray())
        m.groupMean.push_back(float(v.toDouble()));
    for (const QJsonValue &v : o.value(QStringLiteral("rest_mean")).toArray())
        m.restMean.push_back(float(v.toDouble()));
    return m;
}

QJsonObject TriggerPhrase::toJson() const
{
    return {{QStringLiteral("column"), column},
            {QStringLiteral("phrase"), phrase},
            {QStringLiteral("words"), QJsonArray::fromStringList(words)},
            {QStringLiteral("class"), label},
            {QStringLiteral("view"), view},
            {QStringLiteral("support"), support},
            {QStringLiteral("class_records"), classRecords},
            {QStringLiteral("baseline_support"), baselineSupport},
            {QStringLiteral("baseline_records"), baselineRecords},
            {QStringLiteral("other_support"), otherSupport},
            {QStringLiteral("other_records"), otherRecords},
            {QStringLiteral("purity"), number(purity)},
            {QStringLiteral("z"), number(z)},
            {QStringLiteral("p_value"), number(pValue)},
            {QStringLiteral("records"), QJsonArray::fromStringList(records)},
            {QStringLiteral("description"), description}};
}

TriggerPhrase TriggerPhrase::fromJson(const QJsonObject &o)
{
    TriggerPhrase p;
    p.column = o.value(QStringLiteral("column")).toString();
    p.phrase = o.value(QStringLiteral("phrase")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("words")).toArray())
        p.words << v.toString();
    p.label = o.value(QStringLiteral("class")).toString();
    p.view = o.value(QStringLiteral("view")).toString();
    p.support = o.value(QStringLiteral("support")).toInt();
    p.classRecords = o.value(QStringLiteral("class_records")).toInt();
    p.baselineSupport = o.value(QStringLiteral("baseline_support")).toInt();
    p.baselineRecords = o.value(QStringLiteral("baseline_records")).toInt();
    p.otherSupport = o.value(QStringLiteral("other_support")).toInt();
    p.otherRecords = o.value(QStringLiteral("other_records")).toInt();
    p.purity = o.value(QStringLiteral("purity")).toDouble();
    p.z = o.value(QStringLiteral("z")).toDouble();
    p.pValue = o.value(QStringLiteral("p_value")).toDouble();
    for (const QJsonValue &v : o.value(QStringLiteral("records")).toArray())
        p.records << v.toString();
    p.description = o.value(QStringLiteral("description")).toString();
    return p;
}

QJsonObject ScanResult::toJson() const
{
    QJsonArray findingsJson, summaryJson, rankingJson, masksJson, phrasesJson;
    for (const Finding &f : findings)
        findingsJson.append(f.toJson());
    for (const DetectorSummary &s : summaries)
        summaryJson.append(s.toJson());
    for (const Suspicion &s : ranking)
        rankingJson.append(QJsonObject{{QStringLiteral("record"), s.record},
                                       {QStringLiteral("row"), s.row},
                                       {QStringLiteral("score"), number(s.score)},
                                       {QStringLiteral("detectors"), QJsonArray::fromStringList(s.detectors)}});
    for (const TriggerMask &m : masks)
        masksJson.append(m.toJson());
    for (const TriggerPhrase &p : phrases)
        phrasesJson.append(p.toJson());
    return {{QStringLiteral("kind"), QStringLiteral("detectors")},
            {QStringLiteral("version"), version},
            {QStringLiteral("baseline"), baseline.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(baseline)},
            {QStringLiteral("configuration"), configuration},
            {QStringLiteral("representation"), QJsonObject{{QStringLiteral("kind"), representation},
                                                           {QStringLiteral("detail"), representationDetail}}},
            {QStringLiteral("summary"), summaryJson},
            {QStringLiteral("findings"), findingsJson},
            {QStringLiteral("ranking"), rankingJson},
            {QStringLiteral("trigger_masks"), masksJson},
            {QStringLiteral("trigger_phrases"), phrasesJson},
            {QStringLiteral("records"), qint64(ids.size())}};
}

bool ScanResult::fromJson(const QJsonObject &o, ScanResult *r, QString *error)
{
    if (o.value(QStringLiteral("kind")).toString() != QLatin1String("detectors")) {
        *error = QStringLiteral("not a detector scan result");
        return false;
    }
    *r = ScanResult();
    r->version = o.value(QStringLiteral("version")).toString();
    r->baseline = o.value(QStringLiteral("baseline")).toString();
    r->configuration = o.value(QStringLiteral("configuration")).toObject();
    const QJsonObject rep = o.value(QStringLiteral("representation")).toObject();
    r->representation = rep.value(QStringLiteral("kind")).toString();
    r->representationDetail = rep.value(QStringLiteral("detail")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("summary")).toArray())
        r->summaries << DetectorSummary::fromJson(v.toObject());
    for (const QJsonValue &v : o.value(QStringLiteral("findings")).toArray())
        r->findings << Finding::fromJson(v.toObject());
    for (const QJsonValue &v : o.value(QStringLiteral("ranking")).toArray()) {
        const QJsonObject s = v.toObject();
        Suspicion x;
        x.record = s.value(QStringLiteral("record")).toString();
        x.row = s.value(QStringLiteral("row")).toInt(-1);
        x.score = readNumber(s.value(QStringLiteral("score")));
        for (const QJsonValue &d : s.value(QStringLiteral("detectors")).toArray())
            x.detectors << d.toString();
        r->ranking << x;
    }
    for (const QJsonValue &v : o.value(QStringLiteral("trigger_masks")).toArray())
        r->masks << TriggerMask::fromJson(v.toObject());
    for (const QJsonValue &v : o.value(QStringLiteral("trigger_phrases")).toArray())
        r->phrases << TriggerPhrase::fromJson(v.toObject());
    if (r->version.isEmpty()) {
        *error = QStringLiteral("the scan result names no version");
        return false;
    }
    return true;
}

QString ScanResult::resultDigest() const
{
    // QJsonObject keeps keys sorted, so the compact form is canonical for a given result.
    const QByteArray json = QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
    return toHex(Sha256::of(std::string_view(json.constData(), size_t(json.size()))));
}

// Layout (docs/detection.md): magic "CSCANARR", u32 format 1, u32 rows, then string lists and float arrays
// as QDataStream writes them (big-endian lengths, little-endian floats).
QByteArray ScanResult::arrays() const
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out.setByteOrder(QDataStream::LittleEndian);
    out.setFloatingPointPrecision(QDataStream::SinglePrecision);
    out.writeRawData("CSCANARR", 8);
    out << quint32(1) << quint32(ids.size()) << ids << labels;
    const auto writeFloats = [&](const std::vector<float> &v) {
        out << quint32(v.size());
        for (float f : v)
            out << f;
    };
    out << quint32(change.size());
    for (uint8_t c : change)
        out << quint8(c);
    writeFloats(suspicion);
    writeFloats(projectionX);
    writeFloats(projectionY);
    out << qint32(reducedDims);
    writeFloats(reduced);
    out << detectorOrder;
    for (const auto &s : detectorScores)
        writeFloats(s);
    return bytes;
}

bool ScanResult::setArrays(const QByteArray &bytes, QString *error)
{
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    in.setByteOrder(QDataStream::LittleEndian);
    in.setFloatingPointPrecision(QDataStream::SinglePrecision);
    char magic[8];
    quint32 format = 0, rows = 0;
    if (in.readRawData(magic, 8) != 8 || memcmp(magic, "CSCANARR", 8) != 0) {
        *error = QStringLiteral("the scan's per-record arrays are damaged (bad magic)");
        return false;
    }
    in >> format >> rows >> ids >> labels;
    if (format != 1) {
        *error = QStringLiteral("the scan's per-record arrays have an unknown format %1").arg(format);
        return false;
    }
    const auto readFloats = [&](std::vector<float> &v) {
        quint32 n = 0;
        in >> n;
        if (in.status() != QDataStream::Ok || n > quint32(bytes.size()))
            return false;
        v.resize(n);
        for (float &f : v)
            in >> f;
        return in.status() == QDataStream::Ok;
    };
    quint32 n = 0;
    in >> n;
    if (n > quint32(bytes.size())) {
        *error = QStringLiteral("the scan's per-record arrays are damaged");
        return false;
    }
    change.resize(n);
    for (uint8_t &c : change) {
        quint8 v = 0;
        in >> v;
        c = v;
    }
    qint32 dims = 0;
    bool ok = readFloats(suspicion) && readFloats(projectionX) && readFloats(projectionY);
    in >> dims;
    reducedDims = dims;
    ok = ok && readFloats(reduced);
    in >> detectorOrder;
    detectorScores.assign(size_t(detectorOrder.size()), {});
    for (auto &s : detectorScores)
        ok = ok && readFloats(s);
    const size_t r = rows;
    ok = ok && in.status() == QDataStream::Ok && size_t(ids.size()) == r && size_t(labels.size()) == r
         && change.size() == r && suspicion.size() == r && projectionX.size() == r && projectionY.size() == r
         && reduced.size() == r * size_t(std::max(0, reducedDims));
    for (const auto &s : detectorScores)
        ok = ok && s.size() == r;
    if (!ok) {
        *error = QStringLiteral("the scan's per-record arrays are damaged (truncated or inconsistent)");
        return false;
    }
    return true;
}

int ScanResult::findingsOf(const QString &detector) const
{
    int n = 0;
    for (const Finding &f : findings)
        n += f.detector == detector;
    return n;
}

QList<Finding> ScanResult::findingsFor(int row) const
{
    QList<Finding> out;
    for (const Finding &f : findings)
        if (f.row == row)
            out << f;
    return out;
}

} // namespace custody
