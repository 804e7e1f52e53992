#include "shell/AboutDialog.h"

#include "BuildInfo.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace custody {

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent), m_libraries(new QTreeWidget)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Custody"));

    auto *icon = new QLabel;
    icon->setPixmap(QIcon(QStringLiteral(":/custody/icons/custody.svg")).pixmap(64, 64));
    auto *title = new QLabel(tr("Custody %1").arg(custodyVersion()));
    title->setObjectName(QStringLiteral("aboutTitle"));
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    font.setBold(true);
    title->setFont(font);
    auto *text = new QLabel(tr("Keeps machine-learning training data trustworthy: content-hashed, immutable "
                               "dataset versions with their provenance, and the delta between any two."));
    text->setWordWrap(true);
    text->setMinimumWidth(380);

    m_libraries->setObjectName(QStringLiteral("libraryVersions"));
    m_libraries->setHeaderLabels({tr("Library"), tr("Version")});
    m_libraries->setRootIsDecorated(false);
    m_libraries->setSelectionMode(QAbstractItemView::ExtendedSelection);
    for (const LibraryVersion &library : libraryVersions())
        new QTreeWidgetItem(m_libraries, {library.name, library.version});
    m_libraries->resizeColumnToContents(0);
    m_libraries->resizeColumnToContents(1);
    const int rows = m_libraries->topLevelItemCount();
    m_libraries->setFixedHeight(m_libraries->sizeHintForRow(0) * rows + m_libraries->header()->sizeHint().height()
                                + 2 * m_libraries->frameWidth() + 4);
    m_libraries->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *copy = buttons->addButton(tr("Copy versions"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("aboutCopyButton"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(versionsText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *header = new QHBoxLayout;
    header->addWidget(icon, 0, Qt::AlignTop);
    auto *headerText = new QVBoxLayout;
    headerText->addWidget(title);
    headerText->addWidget(text);
    header->addLayout(headerText, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(new QLabel(tr("Built with:")));
    layout->addWidget(m_libraries);
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetFixedSize);
}

QString AboutDialog::versionsText() const
{
    QStringList lines = {tr("Custody %1").arg(custodyVersion())};
    for (int i = 0; i < m_libraries->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_libraries->topLevelItem(i);
        lines.append(QStringLiteral("%1 %2").arg(item->text(0), item->text(1)));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace custody
