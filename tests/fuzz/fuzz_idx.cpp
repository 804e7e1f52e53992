// IDX, plain and gzipped (IdxFile looks through gzip by itself; the corpus holds both), row by row.
#include "FuzzInput.h"
#include "formats/IdxFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = custody::fuzz::writeInput("idx", data, size);
    (void)custody::IdxFile::looksLikeIdx(path);
    custody::IdxFile file;
    QString error;
    if (!file.open(path, &error))
        return 0;
    std::vector<double> row;
    for (qint64 r = 0; r < file.rows() && file.readRow(&row, &error); ++r) {
    }
    return 0;
}
