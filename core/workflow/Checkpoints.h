#pragma once

#include "workflow/Error.h"

#include <QByteArray>

#include <optional>

namespace custody {

class SigningKey;
class Workspace;

// A checkpoint of the ledger as it is now (a C2SP signed note naming its size and Merkle root), signed by the
// principal that holds `key`. Both front ends export checkpoints through this one call: a key that is not a
// registered principal is refused (NotFound), so a checkpoint always names who vouches for it.
std::optional<QByteArray> signCheckpoint(Workspace &workspace, const SigningKey &key, Error *error);

} // namespace custody
