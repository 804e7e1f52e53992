// Compiled only by the test build.module_graph, as the ledger: it declares storage, so this compiles.
#include "storage/Workspace.h"
