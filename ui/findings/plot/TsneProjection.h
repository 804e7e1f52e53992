#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace custody {

class BackgroundJob;
struct ScanResult;

// The t-SNE layout of a scan's reduced representation for the cluster plot, computed on a worker the first time
// it is asked for (seconds to a minute: progress and cancel) and kept in memory per scan, by result digest, so
// switching projections back and forth is instant.
class TsneProjection : public QObject
{
    Q_OBJECT
public:
    struct Layout
    {
        std::vector<float> x, y;
    };

    explicit TsneProjection(QObject *parent = nullptr);
    ~TsneProjection() override;

    const Layout *cached(const QString &key) const;
    bool isRunning() const;
    // Starts the projection of `result` (its `reduced` rows) under `key`; false when one runs already or the
    // scan kept no reduced representation (*why says so).
    bool start(const QString &key, std::shared_ptr<const ScanResult> result, QString *why);
    void cancel();

Q_SIGNALS:
    void progressed(const QString &phase, qint64 done, qint64 total);
    void ready(const QString &key);
    void failed(const QString &message);
    void cancelled();

private:
    struct Outcome
    {
        QString key;
        bool ok = false;
        bool cancelled = false;
        Layout layout;
        QString error;
    };

    BackgroundJob *m_job;
    QHash<QString, std::shared_ptr<const Layout>> m_cache;
};

} // namespace custody
