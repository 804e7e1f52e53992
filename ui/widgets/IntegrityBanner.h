#pragma once

#include <QFrame>

class QLabel;

namespace custody {

// A red band above the pages that stays while the open workspace failed its integrity check against the
// checkpoint this user remembered (truncated, rolled back or forked ledger): unlike the message bar it cannot
// be dismissed or replaced by another message, because everything below it is read-only for that reason.
class IntegrityBanner : public QFrame
{
    Q_OBJECT
public:
    explicit IntegrityBanner(QWidget *parent = nullptr);

    void setProblem(const QString &problem); // empty hides the banner
    QString text() const;

private:
    QLabel *m_text;
};

} // namespace custody
