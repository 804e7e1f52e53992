// Test helper for TestLedgerCrash: appends signed decision events to a workspace as fast as it can, one
// durable transaction each, until it is killed. Prints "ready" once the first event is committed.
#include "SignedWorkspace.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"

#include <QCoreApplication>

#include <cstdio>

using namespace custody;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2)
        return 2;
    Workspace::setCheckpointDirectory(QString());
    QString e;
    auto ws = Workspace::open(QString::fromLocal8Bit(argv[1]), &e);
    if (!ws) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        return 2;
    }
    const SigningKey cora = test::seedKey(2);
    SignOff signOff(*ws);
    const VersionRef v1{QStringLiteral("t"), QStringLiteral("v1")};
    const QStringList actions{QStringLiteral("keep"), QStringLiteral("exclude"), QStringLiteral("relabel")};
    for (long i = 0;; ++i) {
        const QString record = QStringLiteral("r%1").arg(1 + i % 5);
        if (!signOff.decide(cora, v1, record, actions[i % 3], QStringLiteral("z"), QStringLiteral("n%1").arg(i), &e)) {
            std::fprintf(stderr, "%s\n", qPrintable(e));
            return 1;
        }
        if (i == 0) {
            std::printf("ready\n");
            std::fflush(stdout);
        }
    }
}
