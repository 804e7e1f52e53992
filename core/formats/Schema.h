#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

namespace custody {

// What kind of value a feature column holds. The kind decides how a value is encoded and, later, which
// statistics apply; Category and Text share one encoding so that re-inferring the kind never changes a hash.
enum class ColumnKind { Number, Category, Text, Image };

QString columnKindName(ColumnKind kind);
bool columnKindFromName(const QString &name, ColumnKind *kind);

struct Column
{
    QString name;
    ColumnKind kind = ColumnKind::Number;
    // Image columns only: the fixed geometry of every image in the column (0 when sizes vary).
    int width = 0;
    int height = 0;
    int channels = 0;

    bool operator==(const Column &) const = default;
};

// The feature columns of a dataset version, in encoding order. The id and label are not features.
struct Schema
{
    QList<Column> columns;

    int indexOf(const QString &name) const;
    bool hasImage() const;
    QJsonArray toJson() const;
    static bool fromJson(const QJsonArray &array, Schema *schema, QString *error);
    bool operator==(const Schema &) const = default;
};

} // namespace custody
