#pragma once

#include <QString>
#include <QStringList>

namespace custody {

// A record's text as the inspector shows it, in rich text: escaped; every run of the trigger phrase's words
// (`phraseWords`, normalised as the scan names them: case, digits as 0 and the spacing between words do not
// matter) marked; every invisible character (zero widths, bidirectional controls) shown where it sits as a
// named badge, since on screen it would otherwise be nothing at all.
QString highlightedText(const QString &text, const QStringList &phraseWords);

} // namespace custody
