#include "ReaderHarness.h"
#include "TestSupport.h"
#include "formats/ImageFolderReader.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <unistd.h>

using namespace custody;
using namespace custody::test;

namespace {

ReadResult readFolder(const QString &dir, const ReaderOptions &options = {})
{
    ImageFolderReader reader(dir, options);
    return readAll(reader);
}

} // namespace

class TestImageFolderReader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_count = 0;

    QString newRoot()
    {
        const QString root = m_tmp.filePath(QStringLiteral("set%1").arg(m_count++));
        QDir().mkpath(root);
        return root;
    }
    static void save(const QImage &img, const QString &path)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        if (!img.save(path))
            qFatal("cannot save %s", qPrintable(path));
    }
    static QImage grey(int w, int h, int base)
    {
        QImage img(w, h, QImage::Format_Grayscale8);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                img.scanLine(y)[x] = uchar(base + y * w + x);
        return img;
    }

private Q_SLOTS:
    void labelsIdsAndOrder()
    {
        const QString root = newRoot();
        save(grey(3, 2, 0), root + QStringLiteral("/dog/b.png"));
        save(grey(3, 2, 10), root + QStringLiteral("/dog/a.png"));
        save(grey(3, 2, 20), root + QStringLiteral("/cat/z.PNG"));
        save(grey(3, 2, 30), root + QStringLiteral("/cat/photo.v2.png"));
        QVERIFY(writeFile(root + QStringLiteral("/cat/notes.txt"), "not an image"));
        save(grey(3, 2, 40), root + QStringLiteral("/stray.png"));              // no label folder
        save(grey(3, 2, 50), root + QStringLiteral("/.hidden/x.png"));          // hidden folder
        save(grey(3, 2, 60), root + QStringLiteral("/cat/deeper/y.png"));       // too deep
        const ReadResult r = readFolder(root);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(4));
        QStringList order;
        for (const SourceRecord &rec : r.records)
            order << QString::fromStdString(*rec.label + "/" + rec.id);
        QCOMPARE(order, QStringList({"cat/photo.v2", "cat/z", "dog/a", "dog/b"}));
        // Width 3 pads QImage scanlines to 4 bytes; the content must be tightly packed.
        QCOMPARE(renderImage(r.records[2].content), QStringLiteral("3x2x1 0a0b0c0d0e0f"));
        QCOMPARE(r.records[3].position, qint64(4));
        QCOMPARE(QString::fromStdString(r.records[2].originalFile), QFileInfo(root + QStringLiteral("/dog/a.png")).absoluteFilePath());
        QStringList expectedFiles;
        for (const SourceRecord &rec : r.records)
            expectedFiles << QString::fromStdString(rec.originalFile);
        QCOMPARE(r.files, expectedFiles);
        QCOMPARE(r.finalSchema.columns.size(), 1);
        QCOMPARE(r.finalSchema.columns[0], (Column{"image", ColumnKind::Image, 3, 2, 1}));
        QCOMPARE(r.done, r.total);
        QVERIFY(r.total > 0);
        // What was left out is said, by kind, with names.
        const QString skipped = r.skipped.join(QLatin1Char('\n'));
        QVERIFY2(skipped.contains(QStringLiteral("skipped 1 entry (an image at the top level, so without a label (put it in a label's folder)): stray.png")), qPrintable(skipped));
        QVERIFY2(skipped.contains(QStringLiteral("skipped 1 entry (hidden): .hidden")), qPrintable(skipped));
        QVERIFY2(skipped.contains(QStringLiteral("(a folder inside a label's folder (only one level is read)): cat/deeper")), qPrintable(skipped));
        QVERIFY2(skipped.contains(QStringLiteral("(not a .png, .jpg or .jpeg file): cat/notes.txt")), qPrintable(skipped));
    }

    // A linked label folder could lead anywhere, the folder itself included: not followed, and said.
    void linkedFoldersAreNotFollowed()
    {
        const QString root = newRoot();
        save(grey(3, 2, 0), root + QStringLiteral("/cat/a.png"));
        save(grey(3, 2, 9), root + QStringLiteral("/../outside-%1.png").arg(QFileInfo(root).fileName()));
        QVERIFY(QFile::link(root, root + QStringLiteral("/loop")));
        QVERIFY(QFile::link(QFileInfo(root).path(), root + QStringLiteral("/up")));
        const ReadResult r = readFolder(root);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(1));
        QVERIFY2(r.skipped.join(QLatin1Char(' ')).contains(QStringLiteral("skipped 2 entries (a symbolic link to a folder (not followed)): loop, up")),
                 qPrintable(r.skipped.join(QLatin1Char(' '))));
    }

    // A FIFO or a link to a device named like an image is skipped for what it is (reading it would hang or never
    // end), not as "not a .png file".
    void specialFilesNamedLikeImagesAreNamed()
    {
        const QString root = newRoot();
        save(grey(3, 2, 0), root + QStringLiteral("/cat/a.png"));
        QVERIFY(::mkfifo(QFile::encodeName(root + QStringLiteral("/cat/pipe.png")).constData(), 0600) == 0);
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), root + QStringLiteral("/cat/zero.png")));
        const ReadResult r = readFolder(root);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(1));
        const QString skipped = r.skipped.join(QLatin1Char(' '));
        QVERIFY2(skipped.contains(QStringLiteral("(not a regular file (a FIFO, a device or a socket)): cat/pipe.png")), qPrintable(skipped));
        QVERIFY2(skipped.contains(QStringLiteral("(a symbolic link to something that is not a regular file): cat/zero.png")), qPrintable(skipped));
    }

    // A name that is not UTF-8 cannot be named faithfully, nor opened by its decoded name: skipped, and said.
    void namesThatAreNotUtf8AreSkippedAndSaid()
    {
        const QString root = newRoot();
        save(grey(3, 2, 0), root + QStringLiteral("/cat/ok.png"));
        const QByteArray bad = QFile::encodeName(root + QStringLiteral("/cat/")) + QByteArray("caf\xe9.png");
        QVERIFY(::link(QFile::encodeName(root + QStringLiteral("/cat/ok.png")).constData(), bad.constData()) == 0);
        const ReadResult r = readFolder(root);
        ::unlink(bad.constData()); // Qt cannot list it, so the temporary folder could not remove it
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(1));
        QVERIFY2(r.skipped.join(QLatin1Char(' ')).contains(QStringLiteral("skipped 1 entry (not valid UTF-8 in its name): cat/caf\\xe9.png")),
                 qPrintable(r.skipped.join(QLatin1Char(' '))));
    }

    void pixelFormats_data()
    {
        QTest::addColumn<QImage>("source");
        QTest::addColumn<QString>("expected");
        QImage rgb(2, 1, QImage::Format_RGB32);
        rgb.setPixel(0, 0, qRgb(255, 0, 10));
        rgb.setPixel(1, 0, qRgb(1, 2, 3));
        QTest::newRow("rgb") << rgb << "2x1x3 ff000a010203";
        QImage rgba(2, 1, QImage::Format_ARGB32);
        rgba.setPixel(0, 0, qRgba(255, 0, 10, 255));
        rgba.setPixel(1, 0, qRgba(40, 40, 40, 128));
        QTest::newRow("rgba") << rgba << "2x1x4 ff000aff28282880";
        QImage greyRgb(2, 1, QImage::Format_RGB32); // colour format, grey content
        greyRgb.setPixel(0, 0, qRgb(7, 7, 7));
        greyRgb.setPixel(1, 0, qRgb(200, 200, 200));
        QTest::newRow("grey in rgb") << greyRgb << "2x1x1 07c8";
        QTest::newRow("grey8") << grey(1, 2, 5) << "1x2x1 0506";
        QImage mono(3, 1, QImage::Format_Mono);
        mono.setColorTable({qRgb(0, 0, 0), qRgb(255, 255, 255)});
        mono.setPixel(0, 0, 1);
        mono.setPixel(1, 0, 0);
        mono.setPixel(2, 0, 1);
        QTest::newRow("black and white") << mono << "3x1x1 ff00ff";
    }
    void pixelFormats()
    {
        QFETCH(QImage, source);
        QFETCH(QString, expected);
        const QString root = newRoot();
        save(source, root + QStringLiteral("/l/img.png"));
        const ReadResult r = readFolder(root);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(renderImage(r.records[0].content), expected);
        QCOMPARE(r.finalSchema.columns[0].channels, expected.section(QLatin1Char('x'), 2, 2).section(QLatin1Char(' '), 0, 0).toInt());
    }

    void jpeg()
    {
        const QString root = newRoot();
        QImage img(8, 4, QImage::Format_RGB32);
        img.fill(qRgb(200, 30, 30));
        save(img, root + QStringLiteral("/red/photo.JPEG"));
        save(img, root + QStringLiteral("/red/two.jpg"));
        const ReadResult r = readFolder(root);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(2));
        QVERIFY(renderImage(r.records[0].content).startsWith(QStringLiteral("8x4x3 ")));
        QCOMPARE(r.records[0].id, std::string("photo"));
    }

    void geometryRefinedWhileReading()
    {
        const QString root = newRoot();
        save(grey(3, 2, 0), root + QStringLiteral("/a/1.png"));
        save(grey(3, 5, 0), root + QStringLiteral("/a/2.png"));
        QImage rgb(3, 2, QImage::Format_RGB32);
        rgb.fill(qRgb(1, 2, 3));
        save(rgb, root + QStringLiteral("/b/3.png"));
        const ReadResult r = readFolder(root);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.schema.columns[0], (Column{"image", ColumnKind::Image, 3, 2, 1}));
        QCOMPARE(r.finalSchema.columns[0], (Column{"image", ColumnKind::Image, 3, 0, 0}));
        QCOMPARE(renderImage(r.records[2].content), QStringLiteral("3x2x3 010203010203010203010203010203010203"));
    }

    void undecodableImageNamesThePathAsGiven()
    {
        const QString root = newRoot();
        save(grey(2, 2, 0), root + QStringLiteral("/train/cat/1.png"));
        QVERIFY(writeFile(root + QStringLiteral("/train/cat/7.png"), "\x89PNG\r\n\x1a\n garbage"));
        const QString cwd = QDir::currentPath();
        QDir::setCurrent(root);
        const ReadResult r = readFolder(QStringLiteral("train"));
        QDir::setCurrent(cwd);
        QCOMPARE(r.records.size(), size_t(1));
        QVERIFY2(r.error.startsWith(QStringLiteral("train/cat/7.png: cannot decode image (")), qPrintable(r.error));
        QVERIFY(r.error.endsWith(QLatin1Char(')')));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("message"); // after the folder path
        QTest::newRow("no images") << "empty" << ": no images (expected sub-folders named by label holding .png or .jpg files)";
        QTest::newRow("not a folder") << "file" << ": not a directory";
        QTest::newRow("label column") << "labelColumn" << ": image folders take ids from file names and labels from sub-folder names; "
                                                         "id or label columns and labels files do not apply";
        QTest::newRow("first image broken") << "broken" << "/x/a.png: cannot decode image (";
    }
    void errors()
    {
        QFETCH(QString, setup);
        QFETCH(QString, message);
        QString root = newRoot();
        ReaderOptions options;
        if (setup == QLatin1String("empty")) {
            QVERIFY(writeFile(root + QStringLiteral("/x/readme.md"), "hi"));
        } else if (setup == QLatin1String("file")) {
            root += QStringLiteral("/plain.png");
            save(grey(1, 1, 0), root);
        } else if (setup == QLatin1String("labelColumn")) {
            save(grey(1, 1, 0), root + QStringLiteral("/x/a.png"));
            options.labelColumn = QStringLiteral("label");
        } else {
            QVERIFY(writeFile(root + QStringLiteral("/x/a.png"), "nope"));
        }
        const ReadResult r = readFolder(root, options);
        QVERIFY2(r.error.startsWith(root + message), qPrintable(r.error));
    }
};

QTEST_MAIN(TestImageFolderReader)
#include "TestImageFolderReader.moc"
