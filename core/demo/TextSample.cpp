#include "demo/TextSample.h"

#include "hashing/Sha256.h"
#include "sampling/DriftSample.h"

namespace custody {

std::shared_ptr<DriftSample> textSetSample(const QStringList &ids, const QStringList &labels, const QStringList &texts,
                                           const QString &version)
{
    auto s = std::make_shared<DriftSample>();
    s->version = version;
    DriftSample::Column col;
    col.name = QStringLiteral("text");
    col.kind = ColumnKind::Text;
    col.texts = texts;
    s->schema.columns.append(Column{col.name, ColumnKind::Text, 0, 0, 0});
    s->columns.push_back(std::move(col));
    s->ids = ids;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        s->labels.push_back(s->labelCode(labels[i]));
        const QByteArray utf8 = texts[i].toUtf8();
        s->contentHashes.push_back(Sha256::of(std::string_view(utf8.constData(), size_t(utf8.size()))));
    }
    return s;
}

} // namespace custody
