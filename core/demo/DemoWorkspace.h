#pragma once

#include "storage/Ingest.h"

#include <QString>

#include <atomic>

namespace custody {

// Options of the seeded poison generator (docs/demo.md describes every kind of poison it plants).
struct DemoOptions
{
    QString fashionMnistDir = QStringLiteral("/usr/share/datasets/fashion-mnist");
    quint32 seed = 20261125;
    int baselineSize = 50000;   // fashion@v1: the first N training images
    int newCleanSize = 5000;    // clean records added in fashion@v2
    double backdoorRate = 0.05; // share of the target class in v2 that carries the trigger
    QString trigger = QStringLiteral("patch"); // patch | cross | checker
    int targetClass = 0;        // label the backdoor records are given
    int flippedLabels = 150;    // existing v1 records whose label v2 changes
    int conflictingCopies = 60; // copies of v1 records under new ids with a different label
    bool scan = true;           // run and record a detector scan of fashion@v2, so findings are there at once
};

// Builds a ready workspace in `dir`: fashion@v1 (clean baseline) and fashion@v2 (incoming batch with planted
// poison), from the real Fashion-MNIST files. Writes the generated IDX files and ground-truth.json under
// dir/demo-data/, then (options.scan) records a detector scan of v2 against v1. Fails cleanly (nothing half-built left behind) when the dataset is missing or on cancel.
bool buildDemoWorkspace(const QString &dir, const DemoOptions &options, QString *error,
                        const ProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr);

// Empty when the Fashion-MNIST files the demo is built from are present; otherwise a message naming the folder
// and the Debian package that brings them.
QString missingDemoData(const DemoOptions &options);

// Where `custody --demo` keeps its workspace: $XDG_DATA_HOME/custody/demo (or the platform equivalent).
QString defaultDemoWorkspacePath();

} // namespace custody
