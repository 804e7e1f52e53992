#include "widgets/MessageBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace custody {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBar"));
    m_text->setObjectName(QStringLiteral("messageBarText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setTextFormat(Qt::PlainText);
    m_close->setObjectName(QStringLiteral("messageBarClose"));
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBar::hideMessage);
    hide();
}

void MessageBar::showMessage(const QString &text, Kind kind)
{
    m_kind = kind;
    m_text->setText(text);
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QString colors = QStringLiteral("#e8f0fb; border: 1px solid #8fb1e0");
    switch (kind) {
    case Kind::Information:
        break;
    case Kind::Positive:
        colors = QStringLiteral("#e6f4e7; border: 1px solid #86c18c");
        break;
    case Kind::Warning:
        icon = QStyle::SP_MessageBoxWarning;
        colors = QStringLiteral("#fdf3dc; border: 1px solid #e0b95a");
        break;
    case Kind::Error:
        icon = QStyle::SP_MessageBoxCritical;
        colors = QStringLiteral("#fbe7e6; border: 1px solid #de8a84");
        break;
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    setStyleSheet(QStringLiteral("custody--MessageBar { background: %1; border-radius: 4px; } "
                                 "QLabel { color: #202020; background: transparent; border: none; }")
                      .arg(colors));
    show();
}

void MessageBar::hideMessage()
{
    m_text->clear();
    hide();
}

QString MessageBar::text() const
{
    return m_text->text();
}

} // namespace custody
