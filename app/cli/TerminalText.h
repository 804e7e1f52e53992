#pragma once

#include <QString>

namespace custody::cli {

// A string from a user or a file (an id, a label, a note, a name, provenance, a path, a message quoting them),
// made safe to print on a terminal: control characters (C0, DEL, C1), Unicode line separators and bidi
// embeddings, overrides and isolates become visible escapes (`\n`, `\x1b`, `\u202e`), so no value can fake a
// line, move the cursor or reorder the text after it. Every human-readable output of custody-cli passes such
// strings through here; JSON output is escaped by QJsonDocument instead.
QString printable(const QString &text);

// `text` padded to |width| (left-aligned when negative) for a table row. Rows are built from padded cells in one
// multi-argument arg() call, never a chain: after a chained arg() has put a value holding "%2" in, the next one
// would fill that in too (campaign 10: a record id "%2x301" printed as its score).
QString cell(const QString &text, int width);

} // namespace custody::cli
