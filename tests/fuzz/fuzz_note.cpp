// Signed notes and the checkpoints they carry: SignedNote::parse, then Checkpoint::parse of its body (as the
// ledger reads a checkpoint note), and both parsers on the raw input too; verifier keys from the first line.
#include "identity/Checkpoint.h"
#include "identity/SignedNote.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    if (const auto note = custody::SignedNote::parse(bytes, &error))
        (void)custody::Checkpoint::parse(note->body(), &error);
    if (const auto checkpoint = custody::Checkpoint::parse(bytes, &error))
        (void)checkpoint->body();
    const qsizetype newline = bytes.indexOf('\n');
    (void)custody::SignedNote::parseVerifierKey(QString::fromUtf8(newline < 0 ? bytes : bytes.left(newline)), &error);
    return 0;
}
