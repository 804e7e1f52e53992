#include "widgets/IntegrityBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

namespace custody {

IntegrityBanner::IntegrityBanner(QWidget *parent) : QFrame(parent), m_text(new QLabel)
{
    setObjectName(QStringLiteral("integrityBanner"));
    setStyleSheet(QStringLiteral("#integrityBanner { background: #b3261e; border-radius: 4px; } "
                                 "QLabel { color: white; background: transparent; }"));
    m_text->setObjectName(QStringLiteral("integrityBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_text->font();
    bold.setBold(true);
    m_text->setFont(bold);
    auto *icon = new QLabel;
    const int size = style()->pixelMetric(QStyle::PM_LargeIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(size, size));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    hide();
}

void IntegrityBanner::setProblem(const QString &problem)
{
    if (problem.isEmpty()) {
        m_text->clear();
        hide();
        return;
    }
    m_text->setText(tr("This workspace is read-only: its ledger does not extend the checkpoint you last saw: %1. "
                       "Nothing can be signed or changed here. Compare it with an exported checkpoint and restore "
                       "the database from a copy you trust.")
                        .arg(problem));
    show();
}

QString IntegrityBanner::text() const
{
    return m_text->text();
}

} // namespace custody
