// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/eventdata.h>

#include <QtCore/qfuture.h>
#include <QtCore/qobject.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <unordered_map>

namespace aioevt::detail {

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

    /* Calls onCanceled on the service thread if the consumer cancels future. */
    void watchCancellation(const QFuture<EventData> &future, std::function<void()> onCanceled);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Pending
    {
        quint64 handle;
        std::function<void()> fire;
    };
    std::atomic<quint64> m_nextHandle{1};
    std::unordered_map<int, Pending> m_timers; // by Qt timer id; service thread only
    std::unordered_map<quint64, int> m_timerIds; // by handle; service thread only
};

} // namespace aioevt::detail
