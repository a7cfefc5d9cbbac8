// SPDX-License-Identifier: MIT
#include "service_p.h"

#include <QtCore/qcoreevent.h>
#include <QtCore/qfuturewatcher.h>

namespace aioevt::detail {

Service::Service() = default;
Service::~Service() = default;

quint64 Service::schedule(std::chrono::milliseconds delay, std::function<void()> fire)
{
    const quint64 handle = m_nextHandle.fetch_add(1, std::memory_order_relaxed);
    QMetaObject::invokeMethod(
        this,
        [this, handle, delay, fire = std::move(fire)]() mutable {
            const int id
                = startTimer(std::max(delay, std::chrono::milliseconds(0)), Qt::PreciseTimer);
            m_timers.emplace(id, Pending{handle, std::move(fire)});
            m_timerIds.emplace(handle, id);
        },
        Qt::QueuedConnection);
    return handle;
}

void Service::cancel(quint64 handle)
{
    // Queued after the schedule() of the same handle, so it always finds it (or its end).
    QMetaObject::invokeMethod(
        this,
        [this, handle] {
            const auto it = m_timerIds.find(handle);
            if (it == m_timerIds.end())
                return;
            killTimer(it->second);
            m_timers.erase(it->second);
            m_timerIds.erase(it);
        },
        Qt::QueuedConnection);
}

void Service::timerEvent(QTimerEvent *event)
{
    const auto it = m_timers.find(event->timerId());
    if (it == m_timers.end())
        return;
    killTimer(event->timerId());
    Pending pending = std::move(it->second);
    m_timers.erase(it);
    m_timerIds.erase(pending.handle);
    pending.fire();
}

void Service::watchCancellation(const QFuture<EventData> &future, std::function<void()> onCanceled)
{
    QMetaObject::invokeMethod(
        this,
        [this, future, onCanceled = std::move(onCanceled)] {
            auto *watcher = new QFutureWatcher<EventData>(this);
            QObject::connect(watcher, &QFutureWatcherBase::canceled, this, onCanceled);
            QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                             &QObject::deleteLater);
            watcher->setFuture(future);
        },
        Qt::QueuedConnection);
}

} // namespace aioevt::detail
