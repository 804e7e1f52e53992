#pragma once

#include <QString>

namespace custody::test {

// Path of a file under tests/data, the reference vectors and fixtures copied into the repository.
QString dataPath(const QString &relative);
// Path of the built custody-cli, for tests that run the command line as a pipeline would.
QString cliPath();

} // namespace custody::test
