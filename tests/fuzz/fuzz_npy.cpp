// .npy through both of its readers: NpyReader (records) and NpyFile::readRow (the ingest's --embeddings).
#include "FuzzInput.h"
#include "formats/NpyFile.h"
#include "formats/NpyReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = custody::fuzz::writeInput("npy", data, size);
    {
        custody::NpyReader reader(path, {});
        custody::fuzz::drain(reader);
    }
    QString error;
    custody::NpyFile embeddings;
    if (embeddings.open(path, &error)) {
        std::vector<float> row;
        for (qint64 r = 0; r < embeddings.rows() && embeddings.readRow(&row, &error); ++r) {
        }
    }
    return 0;
}
