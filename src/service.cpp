// SPDX-License-Identifier: MIT
#include "service_p.h"

#include "tsan_p.h"

#include <QtCore/qcoreapplication.h>
#include <QtCore/qcoreevent.h>

namespace aioevt::detail {

Service::Service() = default;
Service::~Service()
{
    // Deleted on the service thread after it finished: these locks order the members'
    // last writes by other threads before their destruction, where Qt's own thread
    // hand-off is invisible to ThreadSanitizer.
    QMutexLocker commands(&m_commandsMutex);
    QMutexLocker watched(&m_watchedMutex);
    AIOEVT_HAPPENS_BEFORE(thread()); // the manager's shutdown() waits for this thread
}

namespace {

QEvent::Type commandsEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

} // namespace

quint64 Service::schedule(std::chrono::milliseconds delay, std::function<void()> fire)
{
    const quint64 handle = m_nextHandle.fetch_add(1, std::memory_order_relaxed);
    submit({Command::Schedule, handle, std::max(delay, std::chrono::milliseconds(0)),
            std::move(fire)});
    return handle;
}

void Service::cancel(quint64 handle)
{
    // Queued after the schedule() of the same handle, so it always finds it (or its end).
    submit({Command::Cancel, handle, {}, {}});
}

void Service::submit(Command command)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_commandsMutex);
        wake = m_commands.empty(); // otherwise a wake-up is already on its way
        m_commands.push_back(std::move(command));
    }
    if (wake) {
        auto *wakeUp = new QEvent(commandsEventType());
        AIOEVT_HAPPENS_BEFORE(this); // pairs with event(): the commands and the event
        AIOEVT_POST_EVENT(this, wakeUp);
    }
}

bool Service::event(QEvent *event)
{
    AIOEVT_HAPPENS_AFTER(this); // pairs with submit(): the event and the commands
    if (event->type() != commandsEventType())
        return QObject::event(event);
    runCommands();
    return true;
}

void Service::runCommands()
{
    std::vector<Command> commands;
    {
        QMutexLocker lock(&m_commandsMutex);
        commands.swap(m_commands);
    }
    for (Command &command : commands) {
        switch (command.kind) {
        case Command::Schedule: {
            const int id = startTimer(command.delay, Qt::PreciseTimer);
            m_timers.emplace(id, Pending{command.handle, std::move(command.fire)});
            m_timerIds.emplace(command.handle, id);
            break;
        }
        case Command::Cancel: {
            const auto it = m_timerIds.find(command.handle);
            if (it == m_timerIds.end())
                break;
            killTimer(it->second);
            m_timers.erase(it->second);
            m_timerIds.erase(it);
            break;
        }
        case Command::StartSweep:
            if (m_sweepTimer == 0)
                m_sweepTimer = startTimer(sweepInterval);
            break;
        }
    }
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
    lock.unlock();
    submit({Command::StartSweep, 0, {}, {}});
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
