#include "formats/Schema.h"

#include <QJsonObject>

namespace custody {

QString columnKindName(ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Number: return QStringLiteral("number");
    case ColumnKind::Category: return QStringLiteral("category");
    case ColumnKind::Text: return QStringLiteral("text");
    case ColumnKind::Image: return QStringLiteral("image");
    }
    return QString();
}

bool columnKindFromName(const QString &name, ColumnKind *kind)
{
    for (ColumnKind k : {ColumnKind::Number, ColumnKind::Category, ColumnKind::Text, ColumnKind::Image}) {
        if (columnKindName(k) == name) {
            *kind = k;
            return true;
        }
    }
    return false;
}

int Schema::indexOf(const QString &name) const
{
    for (int i = 0; i < columns.size(); ++i)
        if (columns[i].name == name)
            return i;
    return -1;
}

bool Schema::hasImage() const
{
    for (const Column &c : columns)
        if (c.kind == ColumnKind::Image)
            return true;
    return false;
}

QJsonArray Schema::toJson() const
{
    QJsonArray array;
    for (const Column &c : columns) {
        QJsonObject o{{QStringLiteral("name"), c.name}, {QStringLiteral("kind"), columnKindName(c.kind)}};
        if (c.kind == ColumnKind::Image) {
            o.insert(QStringLiteral("width"), c.width);
            o.insert(QStringLiteral("height"), c.height);
            o.insert(QStringLiteral("channels"), c.channels);
        }
        array.append(o);
    }
    return array;
}

bool Schema::fromJson(const QJsonArray &array, Schema *schema, QString *error)
{
    Schema s;
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        Column c;
        c.name = o.value(QStringLiteral("name")).toString();
        if (!columnKindFromName(o.value(QStringLiteral("kind")).toString(), &c.kind) || c.name.isEmpty()) {
            if (error)
                *error = QStringLiteral("schema column %1 is malformed").arg(s.columns.size());
            return false;
        }
        c.width = o.value(QStringLiteral("width")).toInt();
        c.height = o.value(QStringLiteral("height")).toInt();
        c.channels = o.value(QStringLiteral("channels")).toInt();
        s.columns.append(c);
    }
    *schema = s;
    return true;
}

} // namespace custody
