#pragma once

#include "formats/Schema.h"

#include <QImage>
#include <QStringList>

#include <string_view>

namespace custody {

// Turns a record's canonical content into what a person reads: one string per schema column (images as
// "28x28 grey"), and the first image column as a QImage (null when the record has none).
QStringList displayValues(const Schema &schema, std::string_view content);
QImage contentImage(std::string_view content);

} // namespace custody
