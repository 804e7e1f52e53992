#include "TestSupport.h"
#include "storage/Delta.h"
#include "workflow/Verifier.h"
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;

class TestDelta : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<Workspace> m_ws;

    DatasetVersion ingestCsv(const QString &label, const QByteArray &csv)
    {
        const QString path = m_tmp.filePath(label + QStringLiteral(".csv"));
        test::writeFile(path, csv);
        IngestRequest req;
        req.dataset = QStringLiteral("d");
        req.version = label;
        req.paths = {path};
        req.reader.idColumn = QStringLiteral("id");
        req.reader.labelColumn = QStringLiteral("label");
        IngestResult result;
        QString e;
        if (!ingestVersion(*m_ws, req, &result, &e))
            qFatal("ingest failed: %s", qPrintable(e));
        return *m_ws->versionById(result.versionId, &e);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString e;
        m_ws = createWorkspace(m_tmp.filePath(QStringLiteral("ws")), &e);
        QVERIFY2(m_ws, qPrintable(e));
    }

    void classifiesEveryKindOfChange()
    {
        const DatasetVersion a = ingestCsv(QStringLiteral("a"), "id,label,x,y\n"
                                                                "keep,p,1,2\n"
                                                                "gone,p,3,4\n"
                                                                "edit,p,5,6\n"
                                                                "flip,p,7,8\n"
                                                                "both,p,9,10\n");
        const DatasetVersion b = ingestCsv(QStringLiteral("b"), "id,label,x,y\n"
                                                                "keep,p,1,2\n"
                                                                "edit,p,5,6.5\n"
                                                                "flip,q,7,8\n"
                                                                "both,q,9,11\n"
                                                                "new1,p,20,21\n"
                                                                "copy1,q,1,2\n"   // same content as keep, other label
                                                                "twin1,p,30,31\n"
                                                                "twin2,p,30,31\n"); // same content, same label
        Delta d;
        QString e;
        QVERIFY2(computeDelta(*m_ws, a, b, &d, &e), qPrintable(e));
        QCOMPARE(d.added, (QStringList{QStringLiteral("new1"), QStringLiteral("copy1"), QStringLiteral("twin1"), QStringLiteral("twin2")}));
        QCOMPARE(d.removed, QStringList{QStringLiteral("gone")});
        QCOMPARE(d.modified, (QStringList{QStringLiteral("edit"), QStringLiteral("both")}));
        QCOMPARE(d.relabelled, QStringList{QStringLiteral("flip")});
        QCOMPARE(d.duplicates.size(), 2);
        int conflicting = 0;
        for (const DuplicateGroup &g : d.duplicates) {
            QCOMPARE(g.ids.size(), 2);
            if (g.conflictingLabels) {
                ++conflicting;
                QCOMPARE(QSet<QString>(g.ids.begin(), g.ids.end()), (QSet<QString>{QStringLiteral("keep"), QStringLiteral("copy1")}));
            } else {
                QCOMPARE(g.ids, (QStringList{QStringLiteral("twin1"), QStringLiteral("twin2")}));
            }
        }
        QCOMPARE(conflicting, 1);
        QCOMPARE(d.conflictingDuplicateGroups(), 1);

        const QJsonObject json = d.toJson();
        for (const char *key : {"added", "removed", "modified", "relabelled", "duplicates"})
            QVERIFY2(json.value(QLatin1String(key)).isArray(), key);
        QCOMPARE(json.value(QStringLiteral("relabelled")).toArray().first().toString(), QStringLiteral("flip"));
        QVERIFY(json.value(QStringLiteral("duplicates")).toArray().first().toObject().contains(QStringLiteral("conflicting_labels")));

        // The reverse direction swaps added and removed.
        Delta back;
        QVERIFY(computeDelta(*m_ws, b, a, &back, &e));
        QCOMPARE(back.removed.size(), 4);
        QCOMPARE(back.added, QStringList{QStringLiteral("gone")});
        QVERIFY(back.duplicates.isEmpty());
    }

    // NFC "café" in A and NFD "café" in B: the same text, different bytes. Reported as one record whose id
    // was re-encoded, besides the added and removed it is as bytes; and two such ids inside one version are a
    // warning of verify.
    void idsEqualAfterNormalisationAreNamed()
    {
        const QByteArray nfc = QStringLiteral("caf\u00e9").toUtf8();
        const QByteArray nfd = QStringLiteral("cafe\u0301").toUtf8();
        QVERIFY(nfc != nfd);
        const DatasetVersion a = ingestCsv(QStringLiteral("nfc"), "id,label,x\n" + nfc + ",p,1\nplain,p,2\n");
        const DatasetVersion b = ingestCsv(QStringLiteral("nfd"), "id,label,x\n" + nfd + ",p,1\nplain,p,2\n");
        Delta d;
        QString e;
        QVERIFY2(computeDelta(*m_ws, a, b, &d, &e), qPrintable(e));
        QCOMPARE(d.removed, QStringList{QString::fromUtf8(nfc)});
        QCOMPARE(d.added, QStringList{QString::fromUtf8(nfd)});
        QCOMPARE(d.normalisationTwins.size(), 1);
        QCOMPARE(d.normalisationTwins.first().first, QString::fromUtf8(nfc));
        QCOMPARE(d.normalisationTwins.first().second, QString::fromUtf8(nfd));
        QCOMPARE(d.toJson().value(QStringLiteral("normalisation_twins")).toArray().size(), 1);

        const DatasetVersion both = ingestCsv(QStringLiteral("both"), "id,label,x\n" + nfc + ",p,1\n" + nfd + ",p,2\n");
        const QList<QStringList> groups = normalisationCollisions(*m_ws, both.id, &e);
        QCOMPARE(groups.size(), 1);
        QCOMPARE(groups.first().size(), 2);
        VerifyReport report;
        QVERIFY2(Verifier::run(*m_ws, &report, &e), qPrintable(e));
        QVERIFY(report.ok());
        QVERIFY2(report.warnings.join(QLatin1Char(' ')).contains(QStringLiteral("Unicode normalisation")), qPrintable(report.warnings.join(QLatin1Char(' '))));
    }

    void cancelStopsTheDelta()
    {
        const DatasetVersion a = ingestCsv(QStringLiteral("c1"), "id,label,x\na,p,1\n");
        const DatasetVersion b = ingestCsv(QStringLiteral("c2"), "id,label,x\nb,p,1\n");
        std::atomic_bool cancel{true};
        Delta d;
        QString e;
        QVERIFY(!computeDelta(*m_ws, a, b, &d, &e, &cancel));
        QCOMPARE(e, QStringLiteral("cancelled"));
    }

    void identicalVersionsHaveNoDelta()
    {
        const QByteArray csv = "id,label,x\na,p,1\nb,q,2\n";
        const DatasetVersion a = ingestCsv(QStringLiteral("same1"), csv);
        const DatasetVersion b = ingestCsv(QStringLiteral("same2"), csv);
        Delta d;
        QString e;
        QVERIFY(computeDelta(*m_ws, a, b, &d, &e));
        QVERIFY(d.added.isEmpty() && d.removed.isEmpty() && d.modified.isEmpty() && d.relabelled.isEmpty());
        QVERIFY(d.duplicates.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDelta)
#include "TestDelta.moc"
