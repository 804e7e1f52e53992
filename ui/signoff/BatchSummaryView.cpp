#include "signoff/BatchSummaryView.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QSpacerItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace custody {

namespace {

QLabel *valueLabel(const char *objectName)
{
    auto *label = new QLabel;
    label->setObjectName(QLatin1String(objectName));
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

QString localTime(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm")) : iso;
}

QString count(qsizetype n)
{
    return QLocale().toString(qint64(n));
}

} // namespace

BatchSummaryView::BatchSummaryView(QWidget *parent)
    : QWidget(parent), m_state(valueLabel("signOffState")), m_changes(valueLabel("signOffChanges")),
      m_decisions(valueLabel("signOffDecisions")), m_byPerson(valueLabel("signOffDecisionsByPerson")),
      m_digest(valueLabel("signOffDigest")), m_approvalCount(valueLabel("signOffApprovalCount")),
      m_approvers(new QWidget), m_approverGrid(new QGridLayout(m_approvers)), m_you(valueLabel("signOffYou"))
{
    setObjectName(QStringLiteral("batchSummary"));
    m_digest->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    QFont bold = m_state->font();
    bold.setBold(true);
    m_state->setFont(bold);
    m_approvalCount->setFont(bold);
    m_approvers->setObjectName(QStringLiteral("signOffApprovers"));
    m_approverGrid->setContentsMargins(0, 4, 0, 4);
    m_approverGrid->setHorizontalSpacing(16);
    m_approverGrid->setVerticalSpacing(2);
    m_approverGrid->setColumnStretch(1, 1);
    m_you->setMargin(6);

    auto *batch = new QGroupBox(tr("Batch"));
    auto *batchForm = new QFormLayout(batch);
    batchForm->setRowWrapPolicy(QFormLayout::DontWrapRows);
    batchForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    batchForm->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    batchForm->addRow(tr("State:"), m_state);
    batchForm->addRow(tr("Changes:"), m_changes);
    batchForm->addRow(tr("Decisions:"), m_decisions);
    batchForm->addRow(tr("By person:"), m_byPerson);
    batchForm->addRow(tr("Digest:"), m_digest);
    batchForm->addItem(new QSpacerItem(0, 0, QSizePolicy::Minimum, QSizePolicy::Expanding));

    auto *policy = new QGroupBox(tr("Policy"));
    auto *policyLayout = new QVBoxLayout(policy);
    policyLayout->addWidget(m_approvalCount);
    policyLayout->addWidget(m_approvers);
    policyLayout->addWidget(m_you);
    policyLayout->addStretch(1);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(batch, 1);
    layout->addWidget(policy, 1);
    clear();
}

void BatchSummaryView::clear()
{
    for (QLabel *label : {m_state, m_changes, m_decisions, m_byPerson, m_digest, m_approvalCount, m_you})
        label->clear();
    showApprovers({});
    m_you->setStyleSheet(QString());
}

void BatchSummaryView::showSummary(const BatchSummary &s, const QHash<QString, QString> &names,
                                   const QList<Principal> &approvers, const QStringList &releasedAs)
{
    const auto nameOf = [&names](const QString &keyId) { return names.value(keyId, keyId.left(12)); };
    const QString state = s.status.state;
    if (state == QLatin1String("submitted"))
        m_state->setText(tr("Submitted for approval by %1").arg(nameOf(s.status.submittedBy)));
    else if (state == QLatin1String("vetoed"))
        m_state->setText(tr("Vetoed by %1: “%2”").arg(nameOf(s.status.vetoedBy), s.status.vetoReason));
    else if (state == QLatin1String("released"))
        m_state->setText(releasedAs.isEmpty() ? tr("Released") : tr("Released as %1").arg(releasedAs.join(QStringLiteral(", "))));
    else
        m_state->setText(tr("Open: not submitted for approval yet"));

    const int decided = s.keep + s.exclude + s.relabel;
    m_decisions->setText(decided == 0 ? tr("none: every record is kept as ingested")
                                      : tr("%1 decisions: %2 keep · %3 exclude · %4 relabel")
                                            .arg(count(decided), count(s.keep), count(s.exclude), count(s.relabel)));
    QStringList people;
    for (auto it = s.decisionsByActor.constBegin(); it != s.decisionsByActor.constEnd(); ++it)
        people.append(tr("%1: %2").arg(it.key(), count(it.value())));
    m_byPerson->setText(people.isEmpty() ? tr("nobody") : people.join(QStringLiteral(" · ")));

    QString digest = s.currentDigest;
    if (!s.status.digest.isEmpty() && s.status.digest != s.currentDigest)
        digest += QLatin1Char('\n') + tr("Changed since it was submitted as %1…: approvals of that batch no longer count.")
                                         .arg(s.status.digest.left(16));
    m_digest->setText(digest);

    QStringList approvedBy;
    QHash<QString, Approval> approvalOf;
    for (const Approval &a : s.approvals) {
        approvalOf.insert(a.actor, a);
        approvedBy.append(tr("%1 (%2)").arg(nameOf(a.actor), localTime(a.time)));
    }
    m_approvalCount->setText(tr("%1 of %2 required approvals").arg(s.approvals.size()).arg(s.approvalsRequired)
                             + (approvedBy.isEmpty() ? QString() : tr(": %1").arg(approvedBy.join(QStringLiteral(", ")))));

    QList<ApproverLine> lines;
    for (const Principal &p : approvers) {
        ApproverLine line{p.name, QString(), QString(), false};
        if (approvalOf.contains(p.keyId)) {
            line.status = tr("approved %1").arg(localTime(approvalOf.value(p.keyId).time));
        } else if (!p.isActive()) {
            line.status = tr("revoked");
        } else if (s.mayApprove.contains(p.name)) {
            line.status = tr("may approve");
        } else if (s.status.state != QLatin1String("submitted")) {
            line.status = tr("waits for a submission"); // the same rule for everyone: said once, in the state
        } else {
            line.status = tr("may not approve");
            const QString why = s.mayNotApprove.value(p.name);
            line.why = why.isEmpty() ? QString() : why.at(0).toUpper() + why.mid(1);
            line.refused = true;
        }
        lines.append(line);
    }
    showApprovers(lines);
}

void BatchSummaryView::showApprovers(const QList<ApproverLine> &lines)
{
    while (QLayoutItem *item = m_approverGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_approverStatus.clear();
    int row = 0;
    for (const ApproverLine &line : lines) {
        auto *name = new QLabel(line.name);
        QFont bold = name->font();
        bold.setBold(true);
        name->setFont(bold);
        auto *status = new QLabel(line.status);
        status->setTextFormat(Qt::PlainText);
        if (line.refused)
            status->setStyleSheet(QStringLiteral("color: #b3261e;"));
        m_approverGrid->addWidget(name, row, 0, Qt::AlignTop);
        m_approverGrid->addWidget(status, row++, 1, Qt::AlignTop);
        if (!line.why.isEmpty()) {
            auto *why = new QLabel(line.why);
            why->setWordWrap(true);
            why->setTextFormat(Qt::PlainText);
            why->setTextInteractionFlags(Qt::TextSelectableByMouse);
            m_approverGrid->addWidget(why, row++, 1);
        }
        m_approverStatus.insert(line.name, line.why.isEmpty() ? line.status : line.status + QStringLiteral(": ") + line.why);
    }
    if (lines.isEmpty() && m_approvalCount->text().size() > 0)
        m_approverGrid->addWidget(new QLabel(tr("No approvers registered yet.")), 0, 0, 1, 2);
}

void BatchSummaryView::showChangesPending(const QString &parent)
{
    m_changes->setText(tr("Comparing with %1…").arg(parent));
}

void BatchSummaryView::showChanges(const QString &parent, const Delta &d)
{
    QString text = tr("Against %1: %2 added · %3 removed · %4 modified · %5 relabelled")
                       .arg(parent, count(d.added.size()), count(d.removed.size()), count(d.modified.size()),
                            count(d.relabelled.size()));
    if (!d.duplicates.isEmpty())
        text += QLatin1Char('\n') + tr("%1 duplicate groups, %2 with conflicting labels")
                                         .arg(count(d.duplicates.size()), count(d.conflictingDuplicateGroups()));
    m_changes->setText(text);
}

void BatchSummaryView::showChangesUnavailable(const QString &reason)
{
    m_changes->setText(reason);
}

void BatchSummaryView::showYou(const QString &text, bool allowed)
{
    m_you->setText(text);
    m_you->setVisible(!text.isEmpty());
    m_you->setStyleSheet(text.isEmpty() ? QString()
                         : allowed      ? QStringLiteral("background: #e6f4e7; border-radius: 3px; color: #202020;")
                                        : QStringLiteral("background: #fdf3dc; border-radius: 3px; color: #202020;"));
}

QString BatchSummaryView::stateText() const
{
    return m_state->text();
}

QString BatchSummaryView::changesText() const
{
    return m_changes->text();
}

QString BatchSummaryView::decisionsText() const
{
    return m_decisions->text() + QLatin1Char('\n') + m_byPerson->text();
}

QString BatchSummaryView::approvalsText() const
{
    return m_approvalCount->text();
}

QString BatchSummaryView::youText() const
{
    return m_you->text();
}

} // namespace custody
