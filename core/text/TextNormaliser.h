#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>

namespace custody {

// The canonical form every text statistic reads (docs/detection.md, "Text"): Unicode NFKC, then simple case
// folding (CaseFolding.txt's C and S mappings, so 'ς' and 'Σ' become 'σ'; 'ß' stays), then every decimal digit (any script) to '0', then each run of white space to one space, trimmed.
// Invisible format characters (zero widths, bidirectional controls) are kept: they are evidence.
QString normaliseText(const QString &text);

// Word tokens of a normalised text: maximal runs of letters, marks, digits, '_' and format characters (so a
// zero-width space inside a word keeps the word apart from its visible twin). Punctuation separates words.
QStringList wordTokens(const QString &normalised);
bool isWordCharacter(char32_t c);

// What a record's characters say beyond its words (the Unicode tables of QChar).
struct CharacterProfile
{
    int64_t characters = 0;   // code points of the normalised text
    int64_t letters = 0;      // letters among them
    int64_t invisible = 0;    // zero widths (U+200B-U+200D, U+2060, U+FEFF) and bidi controls
    QStringList invisibleNames; // distinct, e.g. "U+200B ZERO WIDTH SPACE", in order of appearance
    QStringList mixedScriptWords; // words mixing Latin with Cyrillic or Greek letters (look-alikes)
};
// `text` is the raw value (before normalisation, so that what a person typed is what is named).
CharacterProfile characterProfile(const QString &text);

// "U+200B ZERO WIDTH SPACE" for the invisible characters Custody names, else "U+XXXX".
QString invisibleCharacterName(char32_t c);
bool isInvisibleCharacter(char32_t c);

} // namespace custody
