#include "FuzzInput.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace custody::fuzz {

// The file lives in memory (memfd): truncating and rewriting a file on disk costs milliseconds per input, which
// cut the path-based targets to a few hundred runs a second.
QString writeInput(const char *tag, const uint8_t *data, size_t size)
{
    static const int fd = ::memfd_create((std::string("custody-fuzz-") + tag).c_str(), MFD_CLOEXEC);
    size_t done = 0;
    if (fd >= 0 && ::ftruncate(fd, 0) == 0) {
        while (done < size) {
            const ssize_t n = ::pwrite(fd, data + done, size - done, off_t(done));
            if (n <= 0)
                break;
            done += size_t(n);
        }
    }
    if (fd < 0 || done != size) {
        std::fprintf(stderr, "cannot write the fuzz input to a memfd\n");
        std::abort();
    }
    return QStringLiteral("/proc/self/fd/%1").arg(fd);
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
