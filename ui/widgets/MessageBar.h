#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace custody {

// An inline, dismissable message above the content (KeePassXC's message widget): errors stay visible next to
// what caused them instead of interrupting with a modal pop-up.
class MessageBar : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Information, Positive, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(const QString &text, Kind kind);
    void showError(const QString &text) { showMessage(text, Kind::Error); }
    void showInformation(const QString &text) { showMessage(text, Kind::Information); }
    void hideMessage();

    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    Kind m_kind = Kind::Information;
};

} // namespace custody
