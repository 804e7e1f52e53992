#pragma once

#include <QString>

class QFile;

namespace custody {

// Opens `path` for reading only when it is a regular file (a link to one is fine), without ever blocking on a
// FIFO or reading a device: a path a user or an attacker names (a source, a labels or key file, a passphrase
// file, a remembered checkpoint) could be /dev/zero or a pipe nobody writes. Returns the descriptor, blocking
// and close-on-exec (close it, or hand it on), or -1 with *error naming the path and what it is.
int openRegularFile(const QString &path, QString *error);
// The same into a QFile (read-only, closing the descriptor with the file): *file is named `path`.
bool openRegularFile(QFile *file, const QString &path, QString *error);

} // namespace custody
