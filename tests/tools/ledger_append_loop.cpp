// Test helper for TestLedgerCrash: appends signed decision events to a workspace as fast as it can, one
// durable transaction each, until it is killed. After each commit returns it prints "committed N" (N from 0),
// the acknowledgement a user would have had; event N decides record r(1 + N % 5) with the note "TAG-nN".
//   ledger_append_loop DIR [--tag TAG]
//   ledger_append_loop DIR --batch N --die-after K   one SignOff::decideAll of N decisions that kills itself
//                                                    (SIGKILL) once K of its events are appended, uncommitted
#include "SignedWorkspace.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>

using namespace custody;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2 && argc != 4 && argc != 6)
        return 2;
    const QString tag = argc == 4 ? QString::fromLocal8Bit(argv[3]) : QStringLiteral("loop");
    setRememberedCheckpointDirectory(QString());
    QString e;
    auto ws = openWorkspace(QString::fromLocal8Bit(argv[1]), &e);
    if (!ws) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        return 2;
    }
    const SigningKey cora = test::seedKey(2);
    SignOff signOff(*ws);
    const VersionRef v1{QStringLiteral("t"), QStringLiteral("v1")};
    const QStringList actions{QStringLiteral("keep"), QStringLiteral("exclude"), QStringLiteral("relabel")};
    if (argc == 6) {
        const int count = QByteArray(argv[3]).toInt(), dieAfter = QByteArray(argv[5]).toInt();
        QList<DecisionChange> changes;
        for (int i = 0; i < count; ++i)
            changes.append(DecisionChange{QStringLiteral("r%1").arg(1 + i % 5), actions[i % 3], QStringLiteral("z"),
                                          QStringLiteral("batch %1").arg(i)});
        signOff.decideAll(cora, v1, changes, &e, [dieAfter](int done) {
            if (done == dieAfter) {
                std::printf("appended %d\n", done);
                std::fflush(stdout);
                std::raise(SIGKILL);
            }
        });
        std::fprintf(stderr, "decideAll returned without dying: %s\n", qPrintable(e));
        return 1;
    }
    for (long i = 0;; ++i) {
        const QString record = QStringLiteral("r%1").arg(1 + i % 5);
        if (!signOff.decide(cora, v1, record, actions[i % 3], QStringLiteral("z"), QStringLiteral("%1-n%2").arg(tag).arg(i), &e)) {
            std::fprintf(stderr, "%s\n", qPrintable(e));
            return 1;
        }
        std::printf("committed %ld\n", i);
        std::fflush(stdout);
    }
}
