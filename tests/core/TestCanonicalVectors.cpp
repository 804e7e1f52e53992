#include "TestSupport.h"
#include "formats/ContentCodec.h"
#include "hashing/MerkleTree.h"
#include "hashing/RecordDigest.h"
#include "storage/Ingest.h"
#include "storage/RecordQuery.h"
#include "storage/Workspace.h"
#include "workflow/IngestVersion.h"
#include "workflow/OpenWorkspace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace custody;

// Known answers for docs/canonical-encoding.md computed by an independent implementation written from the
// document alone (tests/data/canonical.json): content bytes, content, label and record hashes, the Merkle
// root over the records and a version digest. If the code and these disagree by one byte, one of the code
// and the document is wrong.
class TestCanonicalVectors : public QObject
{
    Q_OBJECT

private:
    QJsonObject m_vectors;

    static std::string encode(const QJsonArray &schema, const QJsonArray &values, QString *why)
    {
        ContentEncoder e;
        for (int i = 0; i < schema.size(); ++i) {
            const QString kind = schema.at(i).toArray().at(1).toString();
            const QJsonValue v = values.at(i);
            if (v.isNull()) {
                e.addNull();
            } else if (kind == QLatin1String("number")) {
                e.addNumber(v.toDouble());
            } else if (kind == QLatin1String("category") || kind == QLatin1String("text")) {
                e.addString(v.toString().toStdString());
            } else if (kind == QLatin1String("image")) {
                const QJsonArray img = v.toArray();
                std::vector<uint8_t> pixels;
                for (const QJsonValue &p : img.at(3).toArray())
                    pixels.push_back(uint8_t(p.toInt()));
                e.addImage(uint32_t(img.at(0).toInt()), uint32_t(img.at(1).toInt()), uint8_t(img.at(2).toInt()), pixels.data());
            } else {
                *why = QStringLiteral("unknown kind %1").arg(kind);
            }
        }
        return e.bytes();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QFile f(test::dataPath(QStringLiteral("canonical.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_vectors = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(m_vectors.value(QStringLiteral("records")).toArray().size(), 4);
    }

    void everyRecordEncodesAndHashesAsDocumented()
    {
        for (const QJsonValue &rv : m_vectors.value(QStringLiteral("records")).toArray()) {
            const QJsonObject r = rv.toObject();
            const QString id = r.value(QStringLiteral("id")).toString();
            QString why;
            const std::string content = encode(r.value(QStringLiteral("schema")).toArray(), r.value(QStringLiteral("values")).toArray(), &why);
            QVERIFY2(why.isEmpty(), qPrintable(why));
            QCOMPARE(QByteArray::fromStdString(content).toHex(), r.value(QStringLiteral("content_hex")).toString().toLatin1());

            RecordDigest d;
            const Digest contentHash = d.content(content);
            QCOMPARE(toHex(contentHash), r.value(QStringLiteral("content_hash")).toString());
            const QJsonValue label = r.value(QStringLiteral("label"));
            const std::string labelText = label.toString().toStdString();
            const Digest labelHash = d.label(label.isNull() ? std::nullopt : std::optional<std::string_view>(labelText));
            QCOMPARE(toHex(labelHash), r.value(QStringLiteral("label_hash")).toString());

            std::optional<Digest> embedding;
            if (r.contains(QStringLiteral("embedding"))) {
                std::string bytes;
                for (const QJsonValue &x : r.value(QStringLiteral("embedding")).toArray()) {
                    const float f = float(x.toDouble());
                    char le[4];
                    std::memcpy(le, &f, 4); // x86-64 and aarch64 are little-endian, as the encoding is
                    bytes.append(le, 4);
                }
                embedding = d.embedding(bytes);
            }
            const std::string idUtf8 = id.toStdString();
            const Digest record = d.record(idUtf8, contentHash, labelHash, embedding ? &*embedding : nullptr);
            QVERIFY2(toHex(record) == r.value(QStringLiteral("record_hash")).toString(), qPrintable(id));
        }
    }

    // The same bytes come out of a real ingest: records "a" and "b" written as JSON Lines (-0.0, a null, a
    // missing label, non-ASCII text), ingested, and read back from the record pack.
    void ingestStoresTheDocumentedBytes()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("v.jsonl"));
        QVERIFY(test::writeFile(file, "{\"id\":\"a\",\"label\":\"cat\",\"x\":1.5,\"y\":-0.0,\"colour\":\"red\",\"text\":\"Gr\u00fc\u00dfe, Welt\"}\n"
                                      "{\"id\":\"b\",\"label\":null,\"x\":2,\"y\":null,\"colour\":\"blue\",\"text\":\"\"}\n"));
        QString e;
        auto ws = createWorkspace(dir.filePath(QStringLiteral("ws")), &e);
        QVERIFY2(ws, qPrintable(e));
        IngestRequest req;
        req.dataset = QStringLiteral("t");
        req.version = QStringLiteral("v1");
        req.paths = {file};
        req.reader.idColumn = QStringLiteral("id");
        req.reader.labelColumn = QStringLiteral("label");
        IngestResult result;
        QVERIFY2(ingestVersion(*ws, req, &result, &e), qPrintable(e));
        const auto version = ws->version(VersionRef{QStringLiteral("t"), QStringLiteral("v1")}, &e);
        QVERIFY2(version, qPrintable(e));
        RecordQuery query(*ws);
        const QJsonArray records = m_vectors.value(QStringLiteral("records")).toArray();
        for (int i = 0; i < 2; ++i) {
            const QJsonObject r = records.at(i).toObject();
            const auto row = query.byId(version->id, r.value(QStringLiteral("id")).toString(), &e);
            QVERIFY2(row, qPrintable(e));
            QCOMPARE(row->content.toHex(), r.value(QStringLiteral("content_hex")).toString().toLatin1());
            QCOMPARE(toHex(row->contentHash), r.value(QStringLiteral("content_hash")).toString());
            QCOMPARE(row->hasLabel, !r.value(QStringLiteral("label")).isNull());
        }
    }

    void merkleRootAndVersionDigestMatch()
    {
        MerkleTreeBuilder tree;
        for (const QJsonValue &rv : m_vectors.value(QStringLiteral("records")).toArray()) {
            Digest leaf;
            QVERIFY(digestFromHex(rv.toObject().value(QStringLiteral("record_hash")).toString(), &leaf));
            tree.addLeaf(leaf);
        }
        QCOMPARE(toHex(tree.root()), m_vectors.value(QStringLiteral("merkle_root")).toString());
        RecordDigest d;
        const std::string manifest = m_vectors.value(QStringLiteral("manifest_bytes")).toString().toStdString();
        const Digest manifestHash = d.manifest(manifest);
        QCOMPARE(toHex(manifestHash), m_vectors.value(QStringLiteral("manifest_hash")).toString());
        QCOMPARE(toHex(d.version(tree.root(), manifestHash)), m_vectors.value(QStringLiteral("version_digest")).toString());
    }
};

QTEST_GUILESS_MAIN(TestCanonicalVectors)
#include "TestCanonicalVectors.moc"
