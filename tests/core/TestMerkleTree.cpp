#include "TestSupport.h"
#include "hashing/MerkleTree.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace custody;

// Checks the Merkle code against the RFC 6962 reference vectors shipped in tests/data.
class TestMerkleTree : public QObject
{
    Q_OBJECT

private:
    QJsonObject m_vectors;
    std::vector<QByteArray> m_leaves;

    std::vector<Digest> leafHashes(size_t n) const
    {
        std::vector<Digest> out;
        for (size_t i = 0; i < n; ++i)
            out.push_back(MerkleTreeBuilder::leafHash(m_leaves[i].constData(), size_t(m_leaves[i].size())));
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QFile f(test::dataPath(QStringLiteral("rfc6962.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_vectors = QJsonDocument::fromJson(f.readAll()).object();
        for (const QJsonValue &v : m_vectors.value(QStringLiteral("leaves_hex")).toArray())
            m_leaves.push_back(QByteArray::fromHex(v.toString().toLatin1()));
        QCOMPARE(m_leaves.size(), size_t(8));
    }

    void rootsMatchForEveryTreeSize()
    {
        const QJsonArray roots = m_vectors.value(QStringLiteral("roots")).toArray();
        QCOMPARE(roots.size(), 9);
        for (const QJsonValue &v : roots) {
            const size_t n = size_t(v.toObject().value(QStringLiteral("tree_size")).toInt());
            const QString expected = v.toObject().value(QStringLiteral("root_hex")).toString();
            MerkleTreeBuilder builder;
            for (size_t i = 0; i < n; ++i)
                builder.addLeaf(m_leaves[i].constData(), size_t(m_leaves[i].size()));
            QCOMPARE(toHex(builder.root()), expected);
            QCOMPARE(toHex(merkleRoot(leafHashes(n))), expected);
        }
    }

    void auditPathsMatchAndVerify()
    {
        const QJsonArray proofs = m_vectors.value(QStringLiteral("inclusion_proofs")).toArray();
        QVERIFY(!proofs.isEmpty());
        for (const QJsonValue &v : proofs) {
            const QJsonObject o = v.toObject();
            const size_t n = size_t(o.value(QStringLiteral("tree_size")).toInt());
            const size_t index = size_t(o.value(QStringLiteral("leaf_index")).toInt());
            const auto hashes = leafHashes(n);
            const auto path = merkleAuditPath(hashes, index);
            const QJsonArray expected = o.value(QStringLiteral("path_hex")).toArray();
            QCOMPARE(path.size(), size_t(expected.size()));
            for (size_t i = 0; i < path.size(); ++i)
                QCOMPARE(toHex(path[i]), expected[int(i)].toString());
            const Digest root = merkleRoot(hashes);
            QVERIFY(merkleVerifyInclusion(hashes[index], index, n, path, root));
            // A proof must not verify for another leaf.
            const Digest other = MerkleTreeBuilder::leafHash("x", 1);
            QVERIFY(!merkleVerifyInclusion(other, index, n, path, root));
        }
    }

    void largeTreeBuilderAgreesWithRecursiveRoot()
    {
        std::vector<Digest> hashes;
        MerkleTreeBuilder builder;
        for (int i = 0; i < 1000; ++i) {
            const QByteArray leaf = QByteArray::number(i);
            builder.addLeaf(leaf.constData(), size_t(leaf.size()));
            hashes.push_back(MerkleTreeBuilder::leafHash(leaf.constData(), size_t(leaf.size())));
        }
        QCOMPARE(builder.root(), merkleRoot(hashes));
        QCOMPARE(builder.size(), quint64(1000));
    }
};

QTEST_GUILESS_MAIN(TestMerkleTree)
#include "TestMerkleTree.moc"
