// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/eventdata.h>

#include <QtCore/qfuture.h>
#include <QtCore/qmutex.h>
#include <QtCore/qobject.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace aioevt::detail {

/* Something the service checks now and then for a consumer's cancellation. */
class CancellationWatched
{
public:
    virtual ~CancellationWatched() = default;
    /* Returns true when it needs no more checks (it ended, cancelled or not). */
    virtual bool checkCancellation() = 0;
};

/*
    Lives in the manager's small service thread and owns every timer and future watcher
    the manager needs, so that callers on any thread (plain std::threads included) never
    start a timer themselves. The public functions may be called from any thread.
*/
class Service final : public QObject
{
public:
    Service();
    ~Service() override;

    /* Calls fire on the service thread after delay; returns a handle for cancel(). */
    quint64 schedule(std::chrono::milliseconds delay, std::function<void()> fire);
    void cancel(quint64 handle);

    /* Checks watched every sweep interval until it says it is done. QFuture::cancel()
       has no callback in Qt 6.4; one sweep for all pending waits is far cheaper than a
       QFutureWatcher (and a wake-up of this thread) per wait. */
    void watchCancellation(std::weak_ptr<CancellationWatched> watched);

    static constexpr std::chrono::milliseconds sweepInterval{50};

protected:
    bool event(QEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    struct Pending
    {
        quint64 handle;
        std::function<void()> fire;
    };
    /* A request from any thread, run on the service thread in order. */
    struct Command
    {
        enum Kind : quint8 { Schedule, Cancel, StartSweep } kind;
        quint64 handle = 0;
        std::chrono::milliseconds delay{0};
        std::function<void()> fire;
    };
    // Our own queue and one posted wake-up, rather than QMetaObject::invokeMethod: the
    // hand-off is then visible to ThreadSanitizer through annotations (tsan_p.h).
    void submit(Command command);
    void runCommands(); // service thread
    QMutex m_commandsMutex; // guards m_commands
    std::vector<Command> m_commands;

    std::atomic<quint64> m_nextHandle{1};
    std::unordered_map<int, Pending> m_timers; // by Qt timer id; service thread only
    std::unordered_map<quint64, int> m_timerIds; // by handle; service thread only

    void sweep();
    QMutex m_watchedMutex; // guards the two members below
    std::vector<std::weak_ptr<CancellationWatched>> m_watched;
    bool m_sweeping = false;
    int m_sweepTimer = 0; // service thread only
};

} // namespace aioevt::detail
