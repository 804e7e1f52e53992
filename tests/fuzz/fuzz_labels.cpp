// Labels files (text, .npy or IDX) through LabelsFile, label by label.
#include "FuzzInput.h"
#include "formats/LabelsFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    custody::LabelsFile labels;
    QString error;
    if (!labels.open(custody::fuzz::writeInput("labels", data, size), &error))
        return 0;
    std::optional<std::string> label;
    while (labels.next(&label, &error)) {
    }
    return 0;
}
