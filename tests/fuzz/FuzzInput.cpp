#include "FuzzInput.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace custody::fuzz {

QString writeInput(const char *tag, const uint8_t *data, size_t size)
{
    static const std::string path = "/tmp/custody-fuzz-" + std::string(tag) + "-" + std::to_string(::getpid());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t done = 0;
    while (fd >= 0 && done < size) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n <= 0)
            break;
        done += size_t(n);
    }
    if (fd < 0 || done != size || ::close(fd) != 0) {
        std::fprintf(stderr, "cannot write the fuzz input to %s\n", path.c_str());
        std::abort();
    }
    return QString::fromStdString(path);
}

void drain(RecordReader &reader)
{
    QString error;
    if (!reader.open(&error))
        return;
    SourceRecord record;
    while (reader.next(&record, &error)) {
    }
}

} // namespace custody::fuzz
