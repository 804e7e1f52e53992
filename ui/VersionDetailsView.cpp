#include "VersionDetailsView.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace custody {

namespace {
QFont monospace()
{
    QFont font(QStringLiteral("monospace"));
    font.setStyleHint(QFont::TypeWriter);
    return font;
}

QString orDash(const QString &text)
{
    return text.isEmpty() ? QStringLiteral("—") : text;
}
} // namespace

VersionDetailsView::VersionDetailsView(QWidget *parent)
    : QTabWidget(parent), m_title(new QLabel), m_files(new QTreeWidget), m_manifest(new QPlainTextEdit)
{
    setObjectName(QStringLiteral("versionDetails"));
    setDocumentMode(true);

    auto *summary = new QWidget;
    auto *layout = new QVBoxLayout(summary);
    m_title->setObjectName(QStringLiteral("versionTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);

    auto group = [&](const QString &title) {
        auto *box = new QGroupBox(title);
        auto *form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
        form->setLabelAlignment(Qt::AlignRight);
        layout->addWidget(box);
        return form;
    };
    QFormLayout *contents = group(tr("Contents"));
    addField(contents, QStringLiteral("parent"), tr("Parent"));
    addField(contents, QStringLiteral("records"), tr("Records"));
    addField(contents, QStringLiteral("format"), tr("Format"));
    addField(contents, QStringLiteral("schema"), tr("Schema"));
    addField(contents, QStringLiteral("embeddings"), tr("Embeddings"));
    addField(contents, QStringLiteral("created"), tr("Created"));
    QFormLayout *provenance = group(tr("Provenance"));
    addField(provenance, QStringLiteral("source"), tr("Source"));
    addField(provenance, QStringLiteral("supplier"), tr("Supplier"));
    addField(provenance, QStringLiteral("license"), tr("Licence"));
    addField(provenance, QStringLiteral("acquired"), tr("Acquired at"));
    addField(provenance, QStringLiteral("note"), tr("Note"));
    addField(provenance, QStringLiteral("ingestedBy"), tr("Ingested by"));
    addField(provenance, QStringLiteral("ingestedAt"), tr("Ingested at"));
    QFormLayout *integrity = group(tr("Integrity"));
    addDigestField(integrity, QStringLiteral("digest"), tr("Digest"));
    addDigestField(integrity, QStringLiteral("merkleRoot"), tr("Merkle root"));
    addDigestField(integrity, QStringLiteral("manifestHash"), tr("Manifest hash"));
    layout->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidget(summary);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    addTab(scroll, tr("Summary"));

    m_files->setObjectName(QStringLiteral("versionFiles"));
    m_files->setHeaderLabels({tr("Role"), tr("Name"), tr("Size"), tr("Object")});
    m_files->setRootIsDecorated(false);
    m_files->setUniformRowHeights(true);
    m_files->header()->setStretchLastSection(true);
    addTab(m_files, tr("Stored files"));

    m_manifest->setObjectName(QStringLiteral("versionManifest"));
    m_manifest->setReadOnly(true);
    m_manifest->setFont(monospace());
    m_manifest->setLineWrapMode(QPlainTextEdit::NoWrap);
    addTab(m_manifest, tr("Manifest"));
    clearVersion();
}

QLabel *VersionDetailsView::addField(QFormLayout *form, const QString &field, const QString &title)
{
    auto *label = new QLabel;
    label->setObjectName(QStringLiteral("detail_") + field);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    form->addRow(title + QLatin1Char(':'), label);
    m_labels.insert(field, label);
    return label;
}

QLineEdit *VersionDetailsView::addDigestField(QFormLayout *form, const QString &field, const QString &title)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(QStringLiteral("detail_") + field);
    edit->setReadOnly(true);
    edit->setFont(monospace());
    edit->setFrame(false);
    edit->setMinimumWidth(edit->fontMetrics().horizontalAdvance(QString(64, QLatin1Char('0'))) / 2);
    auto *copy = edit->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton), QLineEdit::TrailingPosition);
    copy->setObjectName(QStringLiteral("action_copy_") + field);
    copy->setToolTip(tr("Copy %1").arg(title.toLower()));
    connect(copy, &QAction::triggered, edit, [edit] { QApplication::clipboard()->setText(edit->text()); });
    form->addRow(title + QLatin1Char(':'), edit);
    m_digests.insert(field, edit);
    return edit;
}

void VersionDetailsView::setField(const QString &field, const QString &text)
{
    if (QLabel *label = m_labels.value(field))
        label->setText(text);
    else if (QLineEdit *edit = m_digests.value(field))
        edit->setText(text), edit->setCursorPosition(0);
}

QString VersionDetailsView::fieldText(const QString &field) const
{
    if (const QLabel *label = m_labels.value(field))
        return label->text();
    if (const QLineEdit *edit = m_digests.value(field))
        return edit->text();
    return {};
}

void VersionDetailsView::showVersion(const DatasetVersion &v, const QList<VersionFile> &files)
{
    const QLocale locale;
    setEnabled(true);
    m_title->setText(v.ref.toString());
    setField(QStringLiteral("parent"), v.parentLabel.isEmpty() ? tr("none (first version)")
                                                               : VersionRef{v.ref.dataset, v.parentLabel}.toString());
    setField(QStringLiteral("records"), locale.toString(v.recordCount));
    setField(QStringLiteral("format"), orDash(v.format));
    setField(QStringLiteral("schema"), schemaSummary(v.schema));
    setField(QStringLiteral("embeddings"),
             v.embeddingDimensions > 0 ? tr("%1 dimensions").arg(v.embeddingDimensions) : tr("none"));
    setField(QStringLiteral("created"), locale.toString(v.createdAt.toLocalTime(), QLocale::LongFormat));
    const Provenance &p = v.provenance;
    setField(QStringLiteral("source"), orDash(p.source));
    setField(QStringLiteral("supplier"), orDash(p.supplier));
    setField(QStringLiteral("license"), orDash(p.license));
    setField(QStringLiteral("acquired"), orDash(p.acquiredAt));
    setField(QStringLiteral("note"), orDash(p.note));
    setField(QStringLiteral("ingestedBy"), orDash(p.ingestedBy));
    setField(QStringLiteral("ingestedAt"), orDash(p.ingestedAt));
    setField(QStringLiteral("digest"), toHex(v.digest));
    setField(QStringLiteral("merkleRoot"), toHex(v.merkleRoot));
    setField(QStringLiteral("manifestHash"), toHex(v.manifestHash));

    m_files->clear();
    QList<QTreeWidgetItem *> items;
    for (const VersionFile &f : files) {
        if (items.size() == kMaxListedFiles) {
            auto *more = new QTreeWidgetItem({QString(), tr("… and %1 more").arg(locale.toString(files.size() - kMaxListedFiles))});
            items.append(more);
            break;
        }
        auto *item = new QTreeWidgetItem({f.role, f.name, locale.formattedDataSize(f.size), f.objectHash});
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        item->setFont(3, monospace());
        item->setToolTip(1, f.name);
        items.append(item);
    }
    m_files->addTopLevelItems(items);
    m_files->resizeColumnToContents(0);
    m_files->resizeColumnToContents(2);
    m_files->setColumnWidth(1, qMax(m_files->columnWidth(1), 200));
    setTabText(indexOf(m_files), tr("Stored files (%1)").arg(locale.toString(files.size())));

    m_manifest->setPlainText(QString::fromUtf8(QJsonDocument(v.manifest).toJson(QJsonDocument::Indented)));
}

void VersionDetailsView::clearVersion()
{
    m_title->setText(tr("No version selected"));
    for (QLabel *label : std::as_const(m_labels))
        label->clear();
    for (QLineEdit *edit : std::as_const(m_digests))
        edit->clear();
    m_files->clear();
    setTabText(indexOf(m_files), tr("Stored files"));
    m_manifest->clear();
    setEnabled(false);
}

QString VersionDetailsView::schemaSummary(const Schema &schema)
{
    if (schema.columns.isEmpty())
        return tr("no feature columns");
    constexpr int kShown = 6;
    QStringList parts;
    for (const Column &c : schema.columns) {
        if (parts.size() == kShown) {
            parts.append(tr("… %n more", nullptr, int(schema.columns.size()) - kShown));
            break;
        }
        if (c.kind == ColumnKind::Image && c.width > 0)
            parts.append(tr("%1 (image %2×%3, %4 channel(s))").arg(c.name).arg(c.width).arg(c.height).arg(c.channels));
        else
            parts.append(QStringLiteral("%1 (%2)").arg(c.name, columnKindName(c.kind)));
    }
    return tr("%n column(s): ", nullptr, int(schema.columns.size())) + parts.join(QStringLiteral(", "));
}

} // namespace custody
