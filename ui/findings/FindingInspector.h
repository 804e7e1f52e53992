#pragma once

#include "ledger/StateStore.h"
#include "storage/DatasetVersion.h"

#include <QByteArray>
#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QScrollArea;
class QTableWidget;

namespace custody {

class Workspace;
struct ScanResult;
struct TriggerMask;

// Everything a curator needs to decide one record: who it is (id, class, what changed, score, decision), its
// image enlarged with the trigger mask of its class drawn over it, why it was flagged (each finding with its
// score against the threshold and its reason), its nearest neighbours with their labels, its fields, and its
// history across the dataset's versions. Reads the few records it shows through the GUI thread's connection.
class FindingInspector : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kImageSide = 224;  // 28x28 is drawn at 8x, a 12x12 test image at 18x
    static constexpr int kThumbnailSide = 56;

    explicit FindingInspector(QWidget *parent = nullptr);
    ~FindingInspector() override;

    // What the records come from. `baseline` is where neighbours not in the batch are looked up.
    void setContext(Workspace *workspace, std::shared_ptr<const ScanResult> result,
                    const std::optional<DatasetVersion> &batch, const std::optional<DatasetVersion> &baseline,
                    const QList<DatasetVersion> &datasetVersions);
    // Shows the record at `row` of the batch; -1 shows the empty message.
    void showRow(int row, const std::optional<Decision> &decision);
    void showMessage(const QString &message);
    int currentRow() const { return m_row; }

    // Whether the class's trigger mask is drawn over the image (a checkbox the person may clear).
    bool isMaskShown() const;
    void setMaskShown(bool shown);
    // The overlay as drawn: `image` scaled by `scale` with the mask's strong weights in translucent red.
    static QImage drawWithMask(const QImage &image, int scale, const TriggerMask *mask);
    // The mask shown for a record of `label` flagged by `detectors` (its own detector's first), or null.
    static const TriggerMask *maskFor(const ScanResult &result, const QString &label, const QStringList &detectors);

    QString titleText() const;
    QString maskText() const;
    QLabel *imageLabel() const { return m_image; }
    QTableWidget *reasonsTable() const { return m_reasons; }
    QTableWidget *neighboursTable() const { return m_neighbours; }
    QTableWidget *fieldsTable() const { return m_fields; }
    QLabel *textView() const { return m_text; } // text columns, the trigger phrase and invisible characters marked
    QTableWidget *historyTable() const { return m_history; }

Q_SIGNALS:
    void neighbourActivated(const QString &recordId); // double click on a neighbour
    void errorOccurred(const QString &message);

private:
    void showImage();
    void fillReasons(int row);
    void fillNeighbours(int row);
    void fillText(int row, const QByteArray &content);
    void fillFields(const QByteArray &content);
    void fillHistory(const QString &recordId);
    QImage recordImage(const QString &recordId, QString *label) const;

    Workspace *m_workspace = nullptr;
    std::shared_ptr<const ScanResult> m_result;
    std::optional<DatasetVersion> m_batch;
    std::optional<DatasetVersion> m_baseline;
    QList<DatasetVersion> m_datasetVersions;
    int m_row = -1;
    QImage m_recordImage;
    const TriggerMask *m_mask = nullptr;

    QLabel *m_message;
    QScrollArea *m_scroll;
    QWidget *m_content;
    QLabel *m_title;
    QLabel *m_image;
    QCheckBox *m_maskToggle;
    QLabel *m_maskText;
    QTableWidget *m_reasons;
    QTableWidget *m_neighbours;
    QTableWidget *m_fields;
    QLabel *m_textHeading, *m_text;
    QTableWidget *m_history;
};

} // namespace custody
