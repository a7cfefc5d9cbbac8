// SPDX-License-Identifier: MIT
#include "service_p.h"

#include "tsan_p.h"

#include <QtCore/qcoreevent.h>

namespace aioevt::detail {

Service::Service() = default;
Service::~Service() = default;

quint64 Service::schedule(std::chrono::milliseconds delay, std::function<void()> fire)
{
    const quint64 handle = m_nextHandle.fetch_add(1, std::memory_order_relaxed);
    AIOEVT_HAPPENS_BEFORE(this); // the captured state crosses through Qt's event queue
    QMetaObject::invokeMethod(
        this,
        [this, handle, delay, fire = std::move(fire)]() mutable {
            AIOEVT_HAPPENS_AFTER(this);
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
    AIOEVT_HAPPENS_BEFORE(this);
    // Queued after the schedule() of the same handle, so it always finds it (or its end).
    QMetaObject::invokeMethod(
        this,
        [this, handle] {
            AIOEVT_HAPPENS_AFTER(this);
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
    if (event->timerId() == m_sweepTimer) {
        sweep();
        return;
    }
    const auto it = m_timers.find(event->timerId());
    if (it == m_timers.end())
        return;
    killTimer(event->timerId());
    Pending pending = std::move(it->second);
    m_timers.erase(it);
    m_timerIds.erase(pending.handle);
    pending.fire();
}

void Service::watchCancellation(std::weak_ptr<CancellationWatched> watched)
{
    QMutexLocker lock(&m_watchedMutex);
    m_watched.push_back(std::move(watched));
    if (m_sweeping)
        return;
    m_sweeping = true;
    QMetaObject::invokeMethod(
        this, [this] { m_sweepTimer = startTimer(sweepInterval); }, Qt::QueuedConnection);
}

void Service::sweep()
{
    std::vector<std::weak_ptr<CancellationWatched>> watched;
    {
        QMutexLocker lock(&m_watchedMutex);
        watched.swap(m_watched);
    }
    std::vector<std::weak_ptr<CancellationWatched>> still;
    for (auto &weak : watched) {
        const auto w = weak.lock();
        if (w && !w->checkCancellation())
            still.push_back(std::move(weak));
    }
    QMutexLocker lock(&m_watchedMutex);
    m_watched.insert(m_watched.end(), still.begin(), still.end());
    if (m_watched.empty()) { // idle: no timer runs while nobody waits
        killTimer(m_sweepTimer);
        m_sweepTimer = 0;
        m_sweeping = false;
    }
}

} // namespace aioevt::detail
