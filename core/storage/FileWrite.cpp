#include "storage/FileWrite.h"

#include <QFileDevice>

#include <cerrno>
#include <cstring>

namespace custody {

namespace {

// errno says why a write failed; Qt's errorString() is left at "Unknown error" when a write comes back short
// (a full disk part way through a chunk).
QString failureText(const QFileDevice &file, int errnum)
{
    if (errnum != 0)
        return systemErrorText(errnum);
    if (file.error() != QFileDevice::NoError)
        return file.errorString();
    return QStringLiteral("the write came back short");
}

} // namespace

QString systemErrorText(int errnum)
{
    QString text = QString::fromLocal8Bit(strerror(errnum));
    if (text.size() > 1 && text[0].isUpper() && text[1].isLower())
        text[0] = text[0].toLower();
    return text;
}

bool writeFully(QFileDevice &file, const char *data, qint64 size, QString *error)
{
    qint64 done = 0;
    while (done < size) {
        errno = 0;
        const qint64 n = file.write(data + done, size - done);
        if (n <= 0) {
            *error = QStringLiteral("%1: cannot write (%2)").arg(file.fileName(), failureText(file, errno));
            return false;
        }
        done += n; // a short count: the next write reports why
    }
    errno = 0;
    if (!file.flush()) {
        *error = QStringLiteral("%1: cannot write (%2)").arg(file.fileName(), failureText(file, errno));
        return false;
    }
    return true;
}

} // namespace custody
