#include "versions/VersionDetailsView.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QToolButton>
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
    auto *layout = new QGridLayout(summary);
    m_title->setObjectName(QStringLiteral("versionTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title, 0, 0, 1, 2);

    auto group = [&](const QString &title, int row, int column, int span) {
        auto *box = new QGroupBox(title);
        auto *form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setLabelAlignment(Qt::AlignRight);
        form->setVerticalSpacing(2);
        layout->addWidget(box, row, column, 1, span);
        return form;
    };
    QFormLayout *contents = group(tr("Contents"), 1, 0, 1);
    addField(contents, QStringLiteral("parent"), tr("Parent"));
    addField(contents, QStringLiteral("records"), tr("Records"));
    addField(contents, QStringLiteral("format"), tr("Format"));
    addField(contents, QStringLiteral("schema"), tr("Schema"));
    addField(contents, QStringLiteral("embeddings"), tr("Embeddings"));
    addField(contents, QStringLiteral("created"), tr("Created"));
    addField(contents, QStringLiteral("ingestedBy"), tr("Ingested by"));
    QFormLayout *provenance = group(tr("Provenance"), 1, 1, 1);
    addField(provenance, QStringLiteral("source"), tr("Source"));
    addField(provenance, QStringLiteral("supplier"), tr("Supplier"));
    addField(provenance, QStringLiteral("license"), tr("Licence"));
    addField(provenance, QStringLiteral("acquired"), tr("Acquired at"));
    addField(provenance, QStringLiteral("note"), tr("Note"));
    addField(provenance, QStringLiteral("ingestedAt"), tr("Ingested at"));
    QFormLayout *integrity = group(tr("Integrity"), 2, 0, 2);
    addDigestField(integrity, QStringLiteral("digest"), tr("Digest"));
    addDigestField(integrity, QStringLiteral("merkleRoot"), tr("Merkle root"));
    addDigestField(integrity, QStringLiteral("manifestHash"), tr("Manifest hash"));
    layout->setColumnStretch(0, 1);
    layout->setColumnStretch(1, 1);
    layout->setRowStretch(3, 1);

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

QLineEdit *VersionDetailsView::addField(QFormLayout *form, const QString &field, const QString &title)
{
    // Read-only line edits rather than labels: one line each whatever the length (a long URI scrolls inside
    // its field instead of reflowing the form), and every value can be selected and copied.
    auto *edit = new QLineEdit;
    edit->setObjectName(QStringLiteral("detail_") + field);
    edit->setReadOnly(true);
    edit->setFrame(false);
    QPalette palette = edit->palette();
    palette.setColor(QPalette::Base, Qt::transparent);
    edit->setPalette(palette);
    edit->setMinimumWidth(80);
    form->addRow(title + QLatin1Char(':'), edit);
    m_fields.insert(field, edit);
    return edit;
}

void VersionDetailsView::addDigestField(QFormLayout *form, const QString &field, const QString &title)
{
    auto *row = new QWidget;
    auto *rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit;
    edit->setObjectName(QStringLiteral("detail_") + field);
    edit->setReadOnly(true);
    edit->setFrame(false);
    edit->setFont(monospace());
    QPalette palette = edit->palette();
    palette.setColor(QPalette::Base, Qt::transparent);
    edit->setPalette(palette);
    auto *copy = new QToolButton;
    copy->setObjectName(QStringLiteral("copy_") + field);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the %1 to the clipboard").arg(title.toLower()));
    copy->setAutoRaise(true);
    connect(copy, &QToolButton::clicked, edit, [edit] { QApplication::clipboard()->setText(edit->text()); });
    rowLayout->addWidget(edit, 1);
    rowLayout->addWidget(copy);
    form->addRow(title + QLatin1Char(':'), row);
    m_fields.insert(field, edit);
}

void VersionDetailsView::setField(const QString &field, const QString &text)
{
    if (QLineEdit *edit = m_fields.value(field)) {
        edit->setText(text);
        edit->setCursorPosition(0);
        edit->setToolTip(text.size() > 40 ? text : QString());
    }
}

QString VersionDetailsView::fieldText(const QString &field) const
{
    const QLineEdit *edit = m_fields.value(field);
    return edit ? edit->text() : QString();
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
    setField(QStringLiteral("created"), locale.toString(v.createdAt.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss t")));
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
    for (QLineEdit *edit : std::as_const(m_fields))
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
            parts.append(tr("… %1 more").arg(schema.columns.size() - kShown));
            break;
        }
        if (c.kind == ColumnKind::Image && c.width > 0)
            parts.append(tr("%1 (image %2×%3, %4)")
                             .arg(c.name)
                             .arg(c.width)
                             .arg(c.height)
                             .arg(c.channels == 1 ? tr("grey") : c.channels == 3 ? tr("RGB") : tr("RGBA")));
        else
            parts.append(QStringLiteral("%1 (%2)").arg(c.name, columnKindName(c.kind)));
    }
    const qsizetype n = schema.columns.size();
    return (n == 1 ? tr("1 column: ") : tr("%1 columns: ").arg(n)) + parts.join(QStringLiteral(", "));
}

} // namespace custody
