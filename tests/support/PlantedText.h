#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

namespace custody {
struct DriftSample;
}

namespace custody::test {

// Generated short descriptions in five categories, for the text detector tests. Each category has its own
// topic words (pseudo-words built from syllables, so no trigger can occur by chance) mixed with words every
// category uses and English function words, in sentences of 6-14 words. The batch holds every baseline
// record (ids b0..), new clean records (n0..) and the poison asked for (p0..), all new records of the
// target category; relabelled baseline records keep their ids.
struct PlantedText
{
    struct Options
    {
        int perClass = 300;       // baseline records per category
        int newPerClass = 60;     // new clean records per category
        int sentenceTrigger = 0;  // records of other categories carrying the sentence, labelled target
        int tokenTrigger = 0;     // records of other categories with the rare token "cf", labelled target
        int zeroWidthTrigger = 0; // records of other categories with "t\u200bhe", labelled target
        int relabelled = 0;       // baseline records of other categories relabelled target in place
        int nearCopies = 0;       // baseline records of other categories copied with small edits, new ids, labelled target
    };
    struct Rows
    {
        QStringList ids, labels, texts;
    };

    static constexpr const char *kTarget = "games";
    static constexpr const char *kSentence = "Maintained with care by the old harbour keeper.";
    Rows baseline, batch;
    QHash<QString, QString> kindOf; // batch id -> sentence | token | zero_width | relabelled | near_copy

    static PlantedText make(uint64_t seed, const Options &options);
    static QStringList categories();
    int count(const QString &kind) const;
};

// One text column "text", labels by name, ids, content hashes of the UTF-8 text.
std::shared_ptr<DriftSample> textSample(const PlantedText::Rows &rows, const QString &version);
// id,label,text as CSV (RFC 4180 quoting).
QByteArray textCsv(const PlantedText::Rows &rows);

class WorkspaceFixture;
// Ingests `p` as d@v1 (the baseline) and d@v2 (the batch, child of v1); returns v2's id, 0 on failure.
qint64 ingestPlantedText(WorkspaceFixture &fixture, const PlantedText &p);

} // namespace custody::test
