#include "versions/RecordChunkCache.h"

#include <QString>
#include <QTest>

using namespace custody;

class TestRecordChunkCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsWhatWasInserted()
    {
        RecordChunkCache<QString> cache(4);
        QVERIFY(!cache.find(3));
        QVERIFY(cache.insert(3, QStringLiteral("three")).empty());
        QVERIFY(cache.contains(3));
        QCOMPARE(*cache.find(3), QStringLiteral("three"));
        QCOMPARE(cache.size(), 1);
    }

    void evictsTheLeastRecentlyUsed()
    {
        RecordChunkCache<int> cache(3);
        cache.insert(0, 0);
        cache.insert(1, 10);
        cache.insert(2, 20);
        QVERIFY(cache.find(0)); // 0 is now the most recently used; 1 the least
        const std::vector<qint64> evicted = cache.insert(3, 30);
        QCOMPARE(evicted, std::vector<qint64>{1});
        QVERIFY(!cache.contains(1));
        QVERIFY(cache.contains(0));
        QVERIFY(cache.contains(2));
        QVERIFY(cache.contains(3));
        QCOMPARE(cache.size(), 3);
    }

    void containsDoesNotRefresh()
    {
        RecordChunkCache<int> cache(2);
        cache.insert(0, 0);
        cache.insert(1, 1);
        QVERIFY(cache.contains(0)); // a peek, not a use
        QCOMPARE(cache.insert(2, 2), std::vector<qint64>{0});
    }

    void replacingKeepsTheSizeAndRefreshes()
    {
        RecordChunkCache<int> cache(2);
        cache.insert(0, 0);
        cache.insert(1, 1);
        QVERIFY(cache.insert(0, 100).empty());
        QCOMPARE(cache.size(), 2);
        QCOMPARE(*cache.find(0), 100);
        QCOMPARE(cache.insert(2, 2), std::vector<qint64>{1});
    }

    void staysBoundedWhenScrollingFar()
    {
        RecordChunkCache<std::vector<int>> cache(64);
        for (qint64 chunk = 0; chunk < 4000; ++chunk)
            cache.insert(chunk, std::vector<int>(16, int(chunk)));
        QCOMPARE(cache.size(), 64);
        QVERIFY(cache.contains(3999));
        QVERIFY(cache.contains(3936));
        QVERIFY(!cache.contains(3935));
        QCOMPARE(cache.find(3999)->front(), 3999);
    }

    void capacityIsAtLeastOne()
    {
        RecordChunkCache<int> cache(0);
        QCOMPARE(cache.capacity(), 1);
        cache.insert(5, 5);
        QCOMPARE(cache.insert(6, 6), std::vector<qint64>{5});
        QVERIFY(cache.contains(6));
    }

    void clearEmpties()
    {
        RecordChunkCache<int> cache(3);
        cache.insert(1, 1);
        cache.insert(2, 2);
        cache.clear();
        QCOMPARE(cache.size(), 0);
        QVERIFY(!cache.find(1));
        cache.insert(1, 7);
        QCOMPARE(*cache.find(1), 7);
    }
};

QTEST_GUILESS_MAIN(TestRecordChunkCache)
#include "TestRecordChunkCache.moc"
