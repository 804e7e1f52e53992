#pragma once

#include <QDialog>

class QLabel;
class QListWidget;

namespace custody {

class Identity;

// Which of the person's keys this window signs as, when the key store holds several. Also the way to make
// or import another key.
class IdentityChooser : public QDialog
{
    Q_OBJECT
public:
    explicit IdentityChooser(Identity *identity, QWidget *parent = nullptr);

    QListWidget *keyList() const { return m_list; }
    void accept() override;

private:
    void fill();
    void setUp(int mode);

    Identity *m_identity;
    QListWidget *m_list;
    QLabel *m_error;
};

} // namespace custody
