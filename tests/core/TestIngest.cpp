#include "TestSupport.h"
#include "formats/ContentDisplay.h"
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/RecordQuery.h"
#include "workflow/Verifier.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <limits>

#include <cstring>

using namespace custody;

namespace {

QByteArray npyHeader(const char *descr, const QByteArray &shape)
{
    QByteArray dict = "{'descr': '" + QByteArray(descr) + "', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + dict.size() + 1) % 64 != 0)
        dict += ' ';
    dict += '\n';
    QByteArray h("\x93NUMPY\x01\x00", 8);
    h += char(dict.size() & 0xff);
    h += char(dict.size() >> 8);
    return h + dict;
}

QByteArray npyFloat32(int rows, int cols, float base)
{
    QByteArray out = npyHeader("<f4", "(" + QByteArray::number(rows) + ", " + QByteArray::number(cols) + ")");
    for (int i = 0; i < rows * cols; ++i) {
        const float v = base + float(i);
        out.append(reinterpret_cast<const char *>(&v), 4);
    }
    return out;
}

QByteArray idx(quint8 dims, const QList<quint32> &sizes, const QByteArray &data, bool badMagic = false)
{
    QByteArray out;
    out += char(badMagic ? 7 : 0);
    out += char(0);
    out += char(0x08);
    out += char(dims);
    for (quint32 s : sizes) {
        out += char(s >> 24);
        out += char(s >> 16);
        out += char(s >> 8);
        out += char(s);
    }
    return out + data;
}

} // namespace

class TestIngest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_ws;
    QString m_good;
    int m_case = 0;

    bool ingest(const IngestRequest &req, IngestResult *result, QString *error,
                const ProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr)
    {
        auto ws = openWorkspace(m_ws, error);
        return ws && ingestVersion(*ws, req, result, error, progress, cancel);
    }

    IngestRequest csvRequest(const QString &label, const QString &path)
    {
        IngestRequest req;
        req.dataset = QStringLiteral("tab");
        req.version = label;
        req.paths = {path};
        req.reader.idColumn = QStringLiteral("id");
        req.reader.labelColumn = QStringLiteral("label");
        return req;
    }

    int versionCount()
    {
        QString e;
        auto ws = openWorkspace(m_ws, &e);
        return ws ? int(ws->versions(&e).size()) : -1;
    }

    void verifyClean()
    {
        QString e;
        auto ws = openWorkspace(m_ws, &e, Workspace::Access::ReadOnly);
        QVERIFY2(ws, qPrintable(e));
        VerifyReport report;
        QVERIFY2(Verifier::run(*ws, &report, &e), qPrintable(e));
        QVERIFY2(report.ok(), qPrintable(report.problems.value(0).message));
        for (const QString &warning : report.warnings) // an unsigned ledger is expected here; orphans are not
            QVERIFY2(!warning.contains(QStringLiteral("not referenced")), qPrintable(warning));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = m_tmp.filePath(QStringLiteral("ws"));
        QString error;
        QVERIFY(createWorkspace(m_ws, &error));
        m_good = m_tmp.filePath(QStringLiteral("good.csv"));
        QVERIFY(test::writeFile(m_good, "id,label,x,colour\na,cat,1.5,red\nb,dog,2,blue\nc,cat,-3e2,\"r,ed\"\n"));
        IngestRequest req = csvRequest(QStringLiteral("v1"), m_good);
        req.provenance.source = QStringLiteral("https://example.org/tab.csv");
        req.provenance.supplier = QStringLiteral("Example Ltd");
        req.provenance.license = QStringLiteral("CC-BY-4.0");
        IngestResult result;
        QVERIFY2(ingest(req, &result, &error), qPrintable(error));
        QCOMPARE(result.recordCount, qint64(3));
    }

    void storesRecordsManifestAndOriginals()
    {
        QString e;
        auto ws = openWorkspace(m_ws, &e);
        const auto v = ws->version(VersionRef{QStringLiteral("tab"), QStringLiteral("v1")}, &e);
        QVERIFY2(v, qPrintable(e));
        QCOMPARE(v->recordCount, qint64(3));
        QCOMPARE(v->provenance.supplier, QStringLiteral("Example Ltd"));
        QCOMPARE(v->provenance.license, QStringLiteral("CC-BY-4.0"));
        QVERIFY(!v->provenance.ingestedBy.isEmpty());
        QCOMPARE(v->schema.columns.size(), 2); // id and label are not features
        QCOMPARE(v->schema.columns[0].kind, ColumnKind::Number);
        const QList<VersionFile> files = ws->files(v->id, &e);
        QCOMPARE(files.size(), 2); // the original and the record index
        QCOMPARE(files[0].name, QStringLiteral("good.csv"));
        QCOMPARE(files[1].role, QStringLiteral("record-index"));
        QVERIFY(ws->objects().verify(files[1].objectHash, files[1].size, &e));
        QCOMPARE(files[1].size, 8 + 3 * 16);
        QVERIFY(ws->objects().verify(files[0].objectHash, files[0].size, &e));
        RecordQuery q(*ws);
        const auto c = q.byId(v->id, QStringLiteral("c"), &e);
        QVERIFY2(c, qPrintable(e));
        QCOMPARE(c->label, QStringLiteral("cat"));
        QCOMPARE(displayValues(v->schema, c->content.toStdString()), (QStringList{QStringLiteral("-300"), QStringLiteral("r,ed")}));
    }

    void sameContentGivesSameMerkleRoot()
    {
        IngestResult result;
        QString e;
        QVERIFY2(ingest(csvRequest(QStringLiteral("again"), m_good), &result, &e), qPrintable(e));
        auto ws = openWorkspace(m_ws, &e);
        const auto a = ws->version(VersionRef{QStringLiteral("tab"), QStringLiteral("v1")}, &e);
        const auto b = ws->version(VersionRef{QStringLiteral("tab"), QStringLiteral("again")}, &e);
        QCOMPARE(a->merkleRoot, b->merkleRoot);
        QVERIFY(a->digest != b->digest); // the manifest (ingest time) differs
        QCOMPARE(a->packHash, b->packHash); // identical contents share one stored pack
    }

    // A stored copy altered on disk (same name, other bytes) is not what a later ingest of the same file
    // parses and signs: the stored object is checked, rewritten from the fresh bytes, and the repair reported.
    void alteredStoredCopyIsNotParsedInPlaceOfTheFile()
    {
        const QString file = m_tmp.filePath(QStringLiteral("labels.csv"));
        QVERIFY(test::writeFile(file, "id,label,x\na,cat,1\nb,cat,2\nc,dog,3\n"));
        IngestResult first, second;
        QString e;
        QVERIFY2(ingest(csvRequest(QStringLiteral("orig"), file), &first, &e), qPrintable(e));
        QString stored;
        {
            auto ws = openWorkspace(m_ws, &e);
            stored = ws->objects().pathFor(ws->files(first.versionId, &e).first().objectHash);
        }
        QFile::setPermissions(stored, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(test::writeFile(stored, "id,label,x\na,dog,1\nb,dog,2\nc,dog,3\n")); // every label 'dog'
        QVERIFY2(ingest(csvRequest(QStringLiteral("reread"), file), &second, &e), qPrintable(e));
        QCOMPARE(second.repaired.size(), 1);
        QVERIFY2(second.repaired.first().contains(QStringLiteral("was altered")), qPrintable(second.repaired.first()));
        auto ws = openWorkspace(m_ws, &e);
        RecordQuery query(*ws);
        QCOMPARE(query.byId(second.versionId, QStringLiteral("a"), &e)->label, QStringLiteral("cat")); // the file's, not the object's
        QCOMPARE(ws->version(VersionRef{QStringLiteral("tab"), QStringLiteral("reread")}, &e)->merkleRoot,
                 ws->version(VersionRef{QStringLiteral("tab"), QStringLiteral("orig")}, &e)->merkleRoot);
        verifyClean(); // the object holds its bytes again
    }

    // objects/tmp replaced by a link to someone else's folder: an ingest refuses to write or clear through it,
    // and their files stay.
    void linkedTemporaryFolderIsNeverWrittenOrCleared()
    {
        const QString victim = m_tmp.filePath(QStringLiteral("victim"));
        QVERIFY(QDir().mkpath(victim));
        QVERIFY(test::writeFile(victim + QStringLiteral("/thesis.txt"), "precious"));
        QVERIFY(test::writeFile(victim + QStringLiteral("/put-abc123"), "also precious"));
        const QString tmp = m_ws + QStringLiteral("/objects/tmp");
        QVERIFY(QDir(tmp).removeRecursively());
        QVERIFY(QFile::link(victim, tmp));
        IngestResult result;
        QString e;
        QVERIFY(!ingest(csvRequest(QStringLiteral("linked"), m_good), &result, &e));
        QVERIFY2(e.contains(QStringLiteral("symbolic link")), qPrintable(e));
        QCOMPARE(QDir(victim).entryList(QDir::Files).size(), 2);
        QVERIFY(QFile::remove(tmp));
        QVERIFY2(ingest(csvRequest(QStringLiteral("linked"), m_good), &result, &e), qPrintable(e));
    }

    void versionsAreImmutable()
    {
        IngestResult result;
        QString e;
        const int before = versionCount();
        QVERIFY(!ingest(csvRequest(QStringLiteral("v1"), m_good), &result, &e));
        QVERIFY2(e.contains(QStringLiteral("tab@v1 already exists")), qPrintable(e));
        QCOMPARE(versionCount(), before);
    }

    void parentMustExist()
    {
        IngestRequest req = csvRequest(QStringLiteral("v9"), m_good);
        req.parentLabel = QStringLiteral("nope");
        IngestResult result;
        QString e;
        QVERIFY(!ingest(req, &result, &e));
        QVERIFY2(e.contains(QStringLiteral("parent tab@nope does not exist")), qPrintable(e));
    }

    // NaN and infinities in embeddings blinded spectral signatures, robust covariance and clustering (they
    // scored nothing): refused as in numeric columns, naming the row and column, and nothing is stored.
    void nonFiniteEmbeddingsAreRefused_data()
    {
        QTest::addColumn<float>("value");
        QTest::addColumn<QString>("named");
        QTest::newRow("NaN") << std::numeric_limits<float>::quiet_NaN() << QStringLiteral("NaN");
        QTest::newRow("+inf") << std::numeric_limits<float>::infinity() << QStringLiteral("infinity");
        QTest::newRow("-inf") << -std::numeric_limits<float>::infinity() << QStringLiteral("infinity");
    }

    void nonFiniteEmbeddingsAreRefused()
    {
        QFETCH(float, value);
        QFETCH(QString, named);
        QByteArray npy = npyFloat32(3, 4, 0.5f);
        std::memcpy(npy.data() + npy.size() - 4 * 6, &value, 4); // row 2, column 3
        const QString emb = m_tmp.filePath(QStringLiteral("bad-emb-%1.npy").arg(++m_case));
        QVERIFY(test::writeFile(emb, npy));
        IngestRequest req = csvRequest(QStringLiteral("bad-emb-%1").arg(m_case), m_good);
        req.embeddingsFile = emb;
        IngestResult result;
        QString e;
        const int before = versionCount();
        QVERIFY(!ingest(req, &result, &e));
        QVERIFY2(e.contains(QStringLiteral("row 2, column 3: %1 is not a finite number").arg(named)) && e.contains(emb), qPrintable(e));
        QCOMPARE(versionCount(), before);
        verifyClean();
    }

    void embeddingsAreKept()
    {
        const QString emb = m_tmp.filePath(QStringLiteral("emb.npy"));
        QVERIFY(test::writeFile(emb, npyFloat32(3, 4, 0.5f)));
        IngestRequest req = csvRequest(QStringLiteral("with-emb"), m_good);
        req.embeddingsFile = emb;
        IngestResult result;
        QString e;
        QVERIFY2(ingest(req, &result, &e), qPrintable(e));
        auto ws = openWorkspace(m_ws, &e);
        const auto v = ws->versionById(result.versionId, &e);
        QCOMPARE(v->embeddingDimensions, 4);
        RecordQuery q(*ws);
        QCOMPARE(q.byId(v->id, QStringLiteral("b"), &e)->embeddingDimensions, 4);
        QCOMPARE(ws->files(v->id, &e).size(), 3); // the source, the embeddings and the record index
        verifyClean();
    }

    void imageFolderStoresEachImage()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("images"));
        QVERIFY(test::writePng(dir + QStringLiteral("/cat/c1.png"), 8, 6, 1));
        QVERIFY(test::writePng(dir + QStringLiteral("/cat/c2.png"), 8, 6, 2));
        QVERIFY(test::writePng(dir + QStringLiteral("/dog/d1.png"), 8, 6, 3));
        IngestRequest req;
        req.dataset = QStringLiteral("pics");
        req.version = QStringLiteral("v1");
        req.paths = {dir};
        IngestResult result;
        QString e;
        QVERIFY2(ingest(req, &result, &e), qPrintable(e));
        QCOMPARE(result.recordCount, qint64(3));
        auto ws = openWorkspace(m_ws, &e);
        RecordQuery q(*ws);
        const auto d1 = q.byId(result.versionId, QStringLiteral("d1"), &e);
        QVERIFY2(d1, qPrintable(e));
        QCOMPARE(d1->label, QStringLiteral("dog"));
        QVERIFY(!d1->objectHash.isEmpty());
        const QImage img = contentImage(d1->content.toStdString());
        QCOMPARE(img.size(), QSize(8, 6));
        QCOMPARE(img.pixelColor(2, 1).red(), (2 * 7 + 1 * 13 + 3 * 31) & 0xff);
        verifyClean();
    }

    // --acquired-at takes ISO 8601 only: anything else is refused before a record is read, and nothing is stored.
    void acquisitionTimeMustBeIso8601_data()
    {
        QTest::addColumn<QString>("when");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("date") << QStringLiteral("2025-11-20") << true;
        QTest::newRow("UTC time") << QStringLiteral("2025-11-20T09:30:00Z") << true;
        QTest::newRow("offset, minutes only") << QStringLiteral("2025-11-20T09:30+01:00") << true;
        QTest::newRow("milliseconds") << QStringLiteral("2025-11-20T09:30:00.250Z") << true;
        QTest::newRow("words") << QStringLiteral("last tuesday") << false;
        QTest::newRow("no such day") << QStringLiteral("2025-02-30") << false;
        QTest::newRow("space for T") << QStringLiteral("2025-11-20 09:30:00") << false;
        QTest::newRow("trailing text") << QStringLiteral("2025-11-20T09:30:00Z; rm -rf") << false;
        QTest::newRow("hour 25") << QStringLiteral("2025-11-20T25:00:00Z") << false;
        QTest::newRow("newline") << QStringLiteral("2025-11-20\nFAKE LINE") << false;
    }

    void acquisitionTimeMustBeIso8601()
    {
        QFETCH(QString, when);
        QFETCH(bool, accepted);
        IngestRequest req = csvRequest(QStringLiteral("acq%1").arg(++m_case), m_good);
        req.provenance.acquiredAt = when;
        IngestResult result;
        QString e;
        const int before = versionCount();
        QCOMPARE(ingest(req, &result, &e), accepted);
        QCOMPARE(versionCount(), before + (accepted ? 1 : 0));
        if (!accepted)
            QVERIFY2(e.contains(QStringLiteral("is not an ISO 8601 date or time")), qPrintable(e));
    }

    // A NUL in an id or label: SQLite's functions cut the text there and no command line can name it.
    void nulInIdsAndLabelsIsRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("what");
        QTest::newRow("raw NUL in a CSV id") << QStringLiteral("nul.csv") << QByteArray("id,label,x\na\0b,p,1\n", 19) << QStringLiteral("id");
        QTest::newRow("escaped NUL in a JSON label") << QStringLiteral("nul.jsonl") << QByteArray("{\"id\": \"a\", \"label\": \"p\\u0000q\", \"x\": 1}\n")
                                                     << QStringLiteral("label");
    }

    void nulInIdsAndLabelsIsRefused()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, what);
        const QString path = m_tmp.filePath(file);
        QVERIFY(test::writeFile(path, bytes));
        IngestRequest req = csvRequest(QStringLiteral("nul%1").arg(++m_case), path);
        IngestResult result;
        QString e;
        const int before = versionCount();
        QVERIFY(!ingest(req, &result, &e));
        QVERIFY2(e.startsWith(path + QStringLiteral(":%1: record 1: its %2 contains a NUL character").arg(file.endsWith(QLatin1String(".csv")) ? 2 : 1).arg(what)),
                 qPrintable(e));
        QCOMPARE(versionCount(), before);
    }

    // An image rewritten after its original was stored and before it is decoded: refused, nothing stored.
    void imageRewrittenDuringIngestIsRefused()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("images-rewritten"));
        QVERIFY(test::writePng(dir + QStringLiteral("/cat/c1.png"), 8, 6, 1));
        QVERIFY(test::writePng(dir + QStringLiteral("/cat/c2.png"), 8, 6, 2));
        QVERIFY(test::writePng(dir + QStringLiteral("/dog/d1.png"), 8, 6, 3));
        IngestRequest req;
        req.dataset = QStringLiteral("pics");
        req.version = QStringLiteral("rewritten");
        req.paths = {dir};
        IngestResult result;
        QString e;
        const int before = versionCount();
        bool rewritten = false;
        QVERIFY(!ingest(req, &result, &e, [&](const Progress &p) {
            if (p.phase == QLatin1String("Reading records") && !rewritten)
                rewritten = test::writePng(dir + QStringLiteral("/dog/d1.png"), 8, 6, 9);
        }));
        QVERIFY(rewritten);
        QVERIFY2(e.contains(QStringLiteral("d1.png: the file changed while it was being ingested")), qPrintable(e));
        QCOMPARE(versionCount(), before);
        verifyClean();
    }

    void badInputIsRefusedAndNothingIsStored_data()
    {
        QTest::addColumn<QString>("format");     // reader format name, "" for auto
        QTest::addColumn<QStringList>("files");  // name=content pairs written before the ingest; first is the source
        QTest::addColumn<QString>("idColumn");
        QTest::addColumn<QString>("labelColumn");
        QTest::addColumn<QString>("embeddings"); // name of one of the files, or ""
        QTest::addColumn<QStringList>("expected"); // substrings of the one-line message

        const QString id = QStringLiteral("id"), label = QStringLiteral("label"), none;
        auto row = [&](const char *name, const QString &format, const QStringList &files, const QString &idc,
                       const QString &labc, const QString &emb, const QStringList &expected) {
            QTest::newRow(name) << format << files << idc << labc << emb << expected;
        };
        row("ragged csv row", none, {QStringLiteral("r.csv=id,label,x\na,p,1\nb,q\nc,r,3\n")}, id, label, none,
            {QStringLiteral("r.csv:3"), QStringLiteral("field")});
        row("unterminated quote", none, {QStringLiteral("q.csv=id,label,x\na,p,1\nb,\"q,2\nc,r,3\n")}, id, label, none,
            {QStringLiteral("q.csv:3"), QStringLiteral("unterminated")});
        row("invalid utf-8", none, {QStringLiteral("u.csv=id,label,x\na,p,1\nb,\xff\xfe,2\n")}, id, label, none,
            {QStringLiteral("u.csv:3"), QStringLiteral("UTF-8")});
        row("nan in numeric column", none, {QStringLiteral("n.csv=id,label,x\na,p,1\nb,q,NaN\nc,r,3\n")}, id, label, none,
            {QStringLiteral("n.csv:3"), QStringLiteral("'x'")});
        row("inf in numeric column", none, {QStringLiteral("i.csv=id,label,x\na,p,1\nb,q,2\nc,r,-inf\n")}, id, label, none,
            {QStringLiteral("i.csv:4"), QStringLiteral("'x'")});
        row("empty file", none, {QStringLiteral("e.csv=")}, id, label, none, {QStringLiteral("e.csv"), QStringLiteral("empty")});
        row("header only", none, {QStringLiteral("h.csv=id,label,x\n")}, id, label, none,
            {QStringLiteral("h.csv"), QStringLiteral("no records")});
        row("duplicate ids", none, {QStringLiteral("d.csv=id,label,x\na,p,1\nb,q,2\na,r,3\n")}, id, label, none,
            {QStringLiteral("d.csv:4"), QStringLiteral("duplicate id 'a'")});
        row("missing id column", none, {QStringLiteral("m.csv=key,label,x\na,p,1\n")}, id, label, none,
            {QStringLiteral("m.csv"), QStringLiteral("'id'")});
        row("missing label column", none, {QStringLiteral("l.csv=id,class,x\na,p,1\n")}, id, label, none,
            {QStringLiteral("l.csv"), QStringLiteral("'label'")});
        row("bad json line", none, {QStringLiteral("j.jsonl={\"id\":\"a\",\"label\":\"p\",\"x\":1}\n{\"id\":\"b\",\"label\":\n")}, id, label, none,
            {QStringLiteral("j.jsonl:2")});
        row("embeddings row count", none, {QStringLiteral("ok.csv=id,label,x\na,p,1\nb,q,2\nc,r,3\n"), QStringLiteral("e2.npy=@f4x2")},
            id, label, QStringLiteral("e2.npy"), {QStringLiteral("e2.npy"), QStringLiteral("2 rows")});
        row("npy unsupported dtype", none, {QStringLiteral("c.npy=@c16")}, none, none, none,
            {QStringLiteral("c.npy"), QStringLiteral("<c16")});
        row("npy truncated", none, {QStringLiteral("t.npy=@truncated")}, none, none, none, {QStringLiteral("t.npy")});
        row("idx wrong magic", QStringLiteral("idx"), {QStringLiteral("w-images.idx=@badmagic"), QStringLiteral("w-labels.idx=@labels3")},
            none, none, none, {QStringLiteral("w-images.idx"), QStringLiteral("magic")});
        row("idx mismatched counts", QStringLiteral("idx"), {QStringLiteral("m-images.idx=@images3"), QStringLiteral("m-labels.idx=@labels2")},
            none, none, none, {QStringLiteral("m-labels.idx"), QStringLiteral("2")});
        row("image does not decode", QStringLiteral("images"), {QStringLiteral("folder/cat/ok.png=@png"), QStringLiteral("folder/cat/bad.png=not a png at all")},
            none, none, none, {QStringLiteral("bad.png"), QStringLiteral("decode")});
    }

    void badInputIsRefusedAndNothingIsStored()
    {
        QFETCH(QString, format);
        QFETCH(QStringList, files);
        QFETCH(QString, idColumn);
        QFETCH(QString, labelColumn);
        QFETCH(QString, embeddings);
        QFETCH(QStringList, expected);

        const QString dir = m_tmp.filePath(QStringLiteral("bad%1").arg(++m_case));
        QStringList paths;
        for (const QString &spec : files) {
            const QString name = spec.section(QLatin1Char('='), 0, 0);
            const QString value = spec.section(QLatin1Char('='), 1);
            const QString path = dir + QLatin1Char('/') + name;
            QByteArray bytes = value.toLatin1();
            if (value == QLatin1String("@f4x2"))
                bytes = npyFloat32(2, 3, 1.0f);
            else if (value == QLatin1String("@c16"))
                bytes = npyHeader("<c16", "(2, 2)") + QByteArray(64, '\0');
            else if (value == QLatin1String("@truncated"))
                bytes = npyHeader("<f8", "(4, 3)") + QByteArray(40, '\0');
            else if (value == QLatin1String("@badmagic"))
                bytes = idx(3, {3, 2, 2}, QByteArray(12, '\x10'), true);
            else if (value == QLatin1String("@images3"))
                bytes = idx(3, {3, 2, 2}, QByteArray(12, '\x10'));
            else if (value == QLatin1String("@labels3"))
                bytes = idx(1, {3}, QByteArray("\x01\x02\x03", 3));
            else if (value == QLatin1String("@labels2"))
                bytes = idx(1, {2}, QByteArray("\x01\x02", 2));
            if (value == QLatin1String("@png"))
                QVERIFY(test::writePng(path, 4, 4, 1));
            else
                QVERIFY(test::writeFile(path, value == QLatin1String("u.csv") ? bytes : bytes));
            if (name == embeddings)
                continue;
            if (format == QLatin1String("images"))
                paths = {dir + QStringLiteral("/folder")};
            else
                paths.append(path);
        }
        // Invalid UTF-8 must reach the file as raw bytes.
        if (QTest::currentDataTag() == QByteArray("invalid utf-8"))
            QVERIFY(test::writeFile(paths.first(), QByteArray("id,label,x\na,p,1\nb,\xff\xfe,2\n")));

        const QStringList objectsBefore = test::objectFiles(m_ws);
        const int versionsBefore = versionCount();
        IngestRequest req;
        req.dataset = QStringLiteral("bad");
        req.version = QStringLiteral("v%1").arg(m_case);
        req.paths = paths;
        if (!format.isEmpty())
            QVERIFY(sourceFormatFromName(format, &req.reader.format));
        req.reader.idColumn = idColumn;
        req.reader.labelColumn = labelColumn;
        if (!embeddings.isEmpty())
            req.embeddingsFile = dir + QLatin1Char('/') + embeddings;
        IngestResult result;
        QString error;
        QVERIFY2(!ingest(req, &result, &error), "bad input must be refused");
        QVERIFY2(!error.contains(QLatin1Char('\n')), "the message is one line");
        for (const QString &piece : expected)
            QVERIFY2(error.contains(piece), qPrintable(QStringLiteral("'%1' lacks '%2'").arg(error, piece)));
        QCOMPARE(versionCount(), versionsBefore);
        QCOMPARE(test::objectFiles(m_ws), objectsBefore); // no object and no temporary file left behind
        verifyClean();
    }

    void cancelLeavesNothingBehind()
    {
        QByteArray csv = "id,label,x\n";
        for (int i = 0; i < 20000; ++i)
            csv += "r" + QByteArray::number(i) + ",c" + QByteArray::number(i % 3) + "," + QByteArray::number(i * 0.5) + "\n";
        const QString path = m_tmp.filePath(QStringLiteral("big.csv"));
        QVERIFY(test::writeFile(path, csv));
        const QStringList objectsBefore = test::objectFiles(m_ws);
        const int versionsBefore = versionCount();
        std::atomic_bool cancel{false};
        int reports = 0;
        IngestResult result;
        QString error;
        const bool ok = ingest(csvRequest(QStringLiteral("cancelled"), path), &result, &error,
                               [&](const Progress &p) {
                                   if (p.phase == QLatin1String("Reading records") && ++reports == 3)
                                       cancel = true;
                               },
                               &cancel);
        QVERIFY(!ok);
        QVERIFY2(error.contains(QStringLiteral("cancelled")), qPrintable(error));
        QCOMPARE(versionCount(), versionsBefore);
        QCOMPARE(test::objectFiles(m_ws), objectsBefore);
        verifyClean();
    }

    void invalidNamesAreRefused()
    {
        IngestRequest req = csvRequest(QStringLiteral("has space"), m_good);
        IngestResult result;
        QString e;
        QVERIFY(!ingest(req, &result, &e));
        QVERIFY2(e.contains(QStringLiteral("not a valid version label")), qPrintable(e));
        req = csvRequest(QStringLiteral("v2"), m_good);
        req.dataset = QStringLiteral("a@b");
        QVERIFY(!ingest(req, &result, &e));
        QVERIFY2(e.contains(QStringLiteral("not a valid dataset name")), qPrintable(e));
    }

    // A source rewritten while it is being read (after its original was stored) must not give records that
    // differ from that original: the ingest parses the stored copy.
    void sourceRewrittenDuringIngestGivesTheStoredOriginalsRecords()
    {
        const QString path = m_tmp.filePath(QStringLiteral("rewritten.csv"));
        auto rows = [](char digit) {
            QByteArray csv = "id,label,x\n";
            for (int i = 0; i < 60000; ++i)
                csv += "r" + QByteArray::number(100000 + i) + ",p,v" + QByteArray(29, digit) + "\n";
            return csv;
        };
        QVERIFY(test::writeFile(path, rows('1')));
        bool rewritten = false;
        IngestResult result;
        QString e;
        QVERIFY2(ingest(csvRequest(QStringLiteral("rw1"), path), &result, &e, [&](const Progress &p) {
            if (p.phase == QLatin1String("Reading records") && !rewritten)
                rewritten = test::writeFile(path, rows('2')); // same size, other values
        }), qPrintable(e));
        QVERIFY(rewritten);
        // Ingesting the kept original on its own gives the very same records.
        auto ws = openWorkspace(m_ws, &e);
        const auto v = ws->versionById(result.versionId, &e);
        const QString original = ws->objects().pathFor(ws->files(v->id, &e).first().objectHash);
        const QString copy = m_tmp.filePath(QStringLiteral("kept.csv"));
        QVERIFY(QFile::copy(original, copy));
        IngestResult again;
        IngestRequest req = csvRequest(QStringLiteral("rw2"), copy);
        QVERIFY2(ingestVersion(*ws, req, &again, &e), qPrintable(e));
        QCOMPARE(toHex(ws->versionById(again.versionId, &e)->merkleRoot), toHex(v->merkleRoot));
        RecordQuery q(*ws);
        QCOMPARE(displayValues(v->schema, q.byId(v->id, QStringLiteral("r159999"), &e)->content.toStdString()).first(),
                 QLatin1Char('v') + QString(29, QLatin1Char('1')));
    }

};

QTEST_MAIN(TestIngest)
#include "TestIngest.moc"
