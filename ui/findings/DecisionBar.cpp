#include "findings/DecisionBar.h"

#include "shell/ActionIds.h"

#include "shell/ActionRegistry.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace custody {

DecisionBar::DecisionBar(ActionRegistry *actions, QWidget *parent)
    : QWidget(parent), m_label(new QComboBox), m_note(new QLineEdit), m_selection(new QLabel), m_signer(new QLabel),
      m_lock(new QPushButton(tr("Lock")))
{
    setObjectName(QStringLiteral("decisionBar"));
    m_label->setObjectName(QStringLiteral("findingsRelabelLabel"));
    m_label->setToolTip(tr("The label a relabel gives (L opens this list; picking an entry relabels the selection)"));
    m_label->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_note->setObjectName(QStringLiteral("findingsNote"));
    m_note->setPlaceholderText(tr("Note for the next decision (optional)"));
    m_note->setClearButtonEnabled(true);
    m_selection->setObjectName(QStringLiteral("findingsSelectionText"));
    m_signer->setObjectName(QStringLiteral("findingsSigner"));
    m_signer->setWordWrap(true);
    m_lock->setObjectName(QStringLiteral("findingsLockButton"));
    m_lock->setToolTip(tr("Forget the unlocked key: the next decision asks for your passphrase again"));
    // Activated, not currentIndexChanged: choosing the preselected label again must relabel too.
    connect(m_label, &QComboBox::activated, this, [this] {
        if (m_label->currentIndex() >= 0)
            Q_EMIT labelPicked(m_label->currentText());
    });
    connect(m_lock, &QPushButton::clicked, this, &DecisionBar::lockRequested);

    const auto button = [actions](const char *name) {
        auto *b = new QToolButton;
        b->setDefaultAction(actions->action(QLatin1String(name)));
        b->setObjectName(QLatin1String(name).mid(7) + QStringLiteral("_button")); // findings_keep_button
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        return b;
    };
    auto *decide = new QHBoxLayout;
    decide->addWidget(button(ActionId::FindingsKeep));
    decide->addWidget(button(ActionId::FindingsExclude));
    decide->addWidget(button(ActionId::FindingsRelabel));
    decide->addWidget(m_label);
    decide->addWidget(button(ActionId::FindingsClear));
    decide->addWidget(m_note, 1);
    decide->addSpacing(12);
    decide->addWidget(button(ActionId::FindingsUndo));
    decide->addWidget(button(ActionId::FindingsRedo));
    auto *status = new QHBoxLayout;
    status->addWidget(m_selection);
    status->addStretch(1);
    status->addWidget(m_signer, 2);
    status->addWidget(m_lock);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(decide);
    layout->addLayout(status);
    setSignerText(QString(), false);
}

void DecisionBar::setLabels(const QStringList &labels)
{
    const QString current = m_label->currentText();
    QSignalBlocker block(m_label);
    m_label->clear();
    m_label->addItems(labels);
    m_label->setCurrentIndex(std::max(0, int(labels.indexOf(current))));
}

void DecisionBar::suggestLabel(const QString &label)
{
    const int i = m_label->findText(label);
    if (i >= 0)
        m_label->setCurrentIndex(i);
}

QString DecisionBar::label() const
{
    return m_label->currentText();
}

QString DecisionBar::note() const
{
    return m_note->text().trimmed();
}

void DecisionBar::clearNote()
{
    m_note->clear();
}

void DecisionBar::pickLabel()
{
    m_label->setFocus(Qt::ShortcutFocusReason);
    m_label->showPopup();
}

void DecisionBar::setSelectionText(const QString &text)
{
    m_selection->setText(text);
}

void DecisionBar::setSignerText(const QString &text, bool canLock)
{
    m_signer->setText(text);
    m_lock->setVisible(canLock);
}

} // namespace custody
