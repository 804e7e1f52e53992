// DSSE envelopes: Dsse::Envelope::fromJson, and the PAE of what it accepted.
#include "identity/Dsse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const auto envelope = custody::Dsse::Envelope::fromJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), &error);
    if (envelope) {
        (void)custody::Dsse::pae(envelope->payloadType.toUtf8(), envelope->payload);
        (void)envelope->toJson();
    }
    return 0;
}
