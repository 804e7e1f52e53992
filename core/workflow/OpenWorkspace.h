#pragma once

#include "storage/Workspace.h"

#include <memory>

namespace custody {

// Opening a workspace as every front end must: storage's open plus the ledger's part of its life. The ledger's
// tables come with the schema (and a workspace from before the ledger gets unsigned events for its versions,
// in the same migration transaction); on open the ledger is checked against the checkpoint this user
// remembered for the workspace, and a ledger that was truncated, rolled back or forked leaves the workspace
// read-only with integrityProblem() saying why; on close, what this user has seen becomes the new remembered
// checkpoint.
std::unique_ptr<Workspace> openWorkspace(const QString &dir, QString *error,
                                         Workspace::Access access = Workspace::Access::ReadWrite);
std::unique_ptr<Workspace> createWorkspace(const QString &dir, QString *error);
// For `init --adopt-copy`: an older copy of a workspace seen elsewhere opens writable so that an admin can give
// it its own identity (a roll-back at its own location is still refused); unless it is adopted, closing it
// remembers nothing.
std::unique_ptr<Workspace> openCopyForAdoption(const QString &dir, QString *error);

// Where this user's remembered checkpoints live: CheckpointStore::defaultDirectory() unless set (tests point
// it into their own folder). Empty disables the check.
void setRememberedCheckpointDirectory(const QString &directory);
QString rememberedCheckpointDirectory();

} // namespace custody
