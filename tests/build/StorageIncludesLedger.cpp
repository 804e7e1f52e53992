// Compiled only by the test build.module_graph, as a module that may not use the ledger: storage sits below
// it, so this include must fail to compile.
#include "ledger/Ledger.h"
