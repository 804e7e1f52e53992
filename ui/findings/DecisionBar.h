#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace custody {

class ActionRegistry;

// The curator's controls under the findings queue: Keep, Exclude, Relabel (with the label to give), Withdraw,
// a note that goes with the next decision, Undo and Redo, and who signs (with Lock while the key is unlocked).
// Buttons show the registry's actions, so that they enable, disable and explain themselves with them.
class DecisionBar : public QWidget
{
    Q_OBJECT
public:
    explicit DecisionBar(ActionRegistry *actions, QWidget *parent = nullptr);

    void setLabels(const QStringList &labels);
    // Preselects the label the evidence points to (or the first other class); the person may pick another.
    void suggestLabel(const QString &label);
    QString label() const;
    QString note() const;
    void clearNote();
    // Opens the label list (L): picking an entry relabels the selection.
    void pickLabel();
    void setSelectionText(const QString &text);
    // "Signing as cora — key unlocked" with Lock, or why decisions cannot be signed.
    void setSignerText(const QString &text, bool canLock);

    QComboBox *labelCombo() const { return m_label; }
    QLineEdit *noteEdit() const { return m_note; }
    QPushButton *lockButton() const { return m_lock; }
    QLabel *signerLabel() const { return m_signer; }

Q_SIGNALS:
    void labelPicked(const QString &label);
    void lockRequested();

private:
    QComboBox *m_label;
    QLineEdit *m_note;
    QLabel *m_selection;
    QLabel *m_signer;
    QPushButton *m_lock;
};

} // namespace custody
