#pragma once

#include <QString>

class QFileDevice;

namespace custody {

// A system error in words, lower-case as in our messages: "no space left on device", "permission denied".
QString systemErrorText(int errnum);

// Writes all `size` bytes to `file` and pushes them out of Qt's buffer, so that a failure (a full disk above
// all) is reported here, naming the file and the reason, rather than lost in a short count or in close().
// Every write of the workspace's files goes through it.
bool writeFully(QFileDevice &file, const char *data, qint64 size, QString *error);

} // namespace custody
