// JSON Lines through JsonLinesReader.
#include "FuzzInput.h"
#include "formats/JsonLinesReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    custody::ReaderOptions options;
    if (size > 0 && (data[0] & 1)) { // odd first bytes exercise the id and label keys
        options.idColumn = QStringLiteral("id");
        options.labelColumn = QStringLiteral("label");
    }
    custody::JsonLinesReader reader(custody::fuzz::writeInput("jsonl", data, size), options);
    custody::fuzz::drain(reader);
    return 0;
}
