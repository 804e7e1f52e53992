// CSV and TSV through CsvReader: TSV when the first line holds a tab, so one corpus covers both.
#include "FuzzInput.h"
#include "formats/CsvReader.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const void *newline = std::memchr(data, '\n', size);
    const size_t firstLine = newline ? size_t(static_cast<const uint8_t *>(newline) - data) : size;
    const char delimiter = std::memchr(data, '\t', firstLine) ? '\t' : ',';
    custody::ReaderOptions options;
    if (size > 0 && data[0] == 'i') // headers starting "id,..." exercise the id and label columns
        options.idColumn = QStringLiteral("id");
    if (size > 1 && data[1] == 'd')
        options.labelColumn = QStringLiteral("label");
    custody::CsvReader reader(custody::fuzz::writeInput("csv", data, size), delimiter, options);
    custody::fuzz::drain(reader);
    return 0;
}
