// Encrypted key files: EncryptedKeyFile::decrypt under both policies. Scrypt runs only on structurally valid
// files; the seeds use N = 2^10 so that the fuzzer reaches the decryption and key decoding quickly.
#include "identity/EncryptedKeyFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray pem(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto policy = size > 0 && (data[size - 1] & 1) ? custody::EncryptedKeyFile::Policy::RequireCustodyStrength
                                                         : custody::EncryptedKeyFile::Policy::AcceptAnyScrypt;
    (void)custody::EncryptedKeyFile::decrypt(pem, QByteArrayLiteral("fuzz passphrase"), policy);
    return 0;
}
