// SPDX-License-Identifier: MIT
#include "dispatcher_p.h"

#include "logging_p.h"
#include "manager_p.h"
#include "tsan_p.h"

#include <QtCore/qcoreapplication.h>
#include <QtCore/qcoreevent.h>
#include <QtCore/qthread.h>

#include <iterator>

namespace aioevt::detail {

namespace {

QEvent::Type wakeUpEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

// The dispatchers draining on this thread right now, innermost last.
thread_local std::vector<Dispatcher *> t_draining;

} // namespace

/* Lives in the target thread and turns the wake-up event into a drain. */
class DispatcherReceiver final : public QObject
{
public:
    explicit DispatcherReceiver(std::shared_ptr<Dispatcher> dispatcher)
        : m_dispatcher(std::move(dispatcher))
    { }

    bool event(QEvent *event) override
    {
        AIOEVT_HAPPENS_AFTER(this); // pairs with attach(), post() and rearm()
        if (event->type() == wakeUpEventType()) {
            m_dispatcher->drain();
            return true;
        }
        return QObject::event(event);
    }

private:
    const std::shared_ptr<Dispatcher> m_dispatcher;
};

Dispatcher::Dispatcher(QThread *thread, std::weak_ptr<ManagerPrivate> manager)
    : m_thread(thread), m_manager(std::move(manager))
{ }

Dispatcher::~Dispatcher() = default;

void Dispatcher::attach()
{
    auto *receiver = new DispatcherReceiver(shared_from_this());
    if (receiver->thread() != m_thread)
        receiver->moveToThread(m_thread);
    AIOEVT_HAPPENS_BEFORE(receiver); // its construction is visible to its first event
    std::weak_ptr<Dispatcher> weak = weak_from_this();
    // Direct connections: finished runs on the dying thread, destroyed on the deleting one.
    auto finished = QObject::connect(m_thread, &QThread::finished, [weak] {
        if (auto self = weak.lock())
            self->retire(QStringLiteral("its target thread finished"));
    });
    auto destroyed = QObject::connect(m_thread, &QObject::destroyed, [weak] {
        if (auto self = weak.lock())
            self->retire(QStringLiteral("its target thread was destroyed"));
    });
    QMutexLocker lock(&m_mutex);
    m_receiver = receiver;
    m_finished = finished;
    m_destroyed = destroyed;
}

bool Dispatcher::isDead() const
{
    QMutexLocker lock(&m_mutex);
    return m_dead;
}

void Dispatcher::post(Delivery *items, qsizetype count)
{
    DispatcherReceiver *receiver = nullptr;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_dead) {
            m_queue.insert(m_queue.end(), std::make_move_iterator(items),
                           std::make_move_iterator(items + count));
            if (m_wakePending)
                return; // the pending wake-up will drain these too
            m_wakePending = true;
            receiver = m_receiver;
            m_postsInFlight.fetch_add(1, std::memory_order_acquire);
        }
    }
    if (!receiver) {
        if (auto manager = m_manager.lock())
            manager->reportDropped(items, items + count, QStringLiteral("its target thread ended"));
        return;
    }
    // Outside the lock: the drainer's swap never waits behind this system call. The
    // receiver and the thread stay alive while we are in flight (see waitForPosters).
    // A thread that finished before we saw its finished() signal gets no event.
    const bool finishedNow = m_thread->isFinished();
    if (!finishedNow) {
        auto *wakeUp = new QEvent(wakeUpEventType());
        AIOEVT_HAPPENS_BEFORE(receiver); // the queue and the event are visible where it runs
        AIOEVT_POST_EVENT(receiver, wakeUp);
    }
    m_postsInFlight.fetch_sub(1, std::memory_order_release);
    if (finishedNow)
        retire(QStringLiteral("its target thread finished"));
}

void Dispatcher::waitForPosters()
{
    while (m_postsInFlight.load(std::memory_order_acquire) != 0)
        QThread::yieldCurrentThread();
}

void Dispatcher::drain()
{
    const auto self = shared_from_this(); // a callback may destroy the manager and receiver
    auto manager = m_manager.lock();
    t_draining.push_back(this);
    ++m_drainDepth;
    for (;;) {
        if (m_position >= m_batch.size()) {
            m_batch.clear();
            m_position = 0;
            if (!takeQueued())
                break;
        }
        Delivery &slot = m_batch[m_position++];
        if (slot.owner)
            m_owner = std::move(slot.owner); // a new group: the previous emission may go
        // A copy: a nested drain may reuse m_batch while this delivery's callback runs.
        const Delivery delivery{slot.subscriber, slot.emission, nullptr};
        const std::size_t pinned = m_pinned.size();
        if (manager)
            manager->run(delivery, m_owner, *this);
        m_pinned.resize(pinned); // rearm() pinned the emission while its callback ran
    }
    m_owner.reset();
    --m_drainDepth;
    t_draining.pop_back();
}

bool Dispatcher::takeQueued()
{
    QMutexLocker lock(&m_mutex);
    if (m_queue.empty()) {
        m_wakePending = false;
        return false;
    }
    m_batch.swap(m_queue);
    return true;
}

void Dispatcher::rearm()
{
    // A nested drain moves m_owner on; the running callback still uses its emission.
    m_pinned.push_back(m_owner);
    QMutexLocker lock(&m_mutex);
    if (!m_dead && m_receiver) {
        auto *wakeUp = new QEvent(wakeUpEventType());
        AIOEVT_HAPPENS_BEFORE(m_receiver);
        AIOEVT_POST_EVENT(m_receiver, wakeUp);
    }
}

void Dispatcher::rearmCurrentThread()
{
    for (Dispatcher *dispatcher : t_draining)
        dispatcher->rearm();
}

void Dispatcher::retire(const QString &reason)
{
    std::vector<Delivery> dropped;
    DispatcherReceiver *receiver = nullptr;
    {
        QMutexLocker lock(&m_mutex);
        if (m_dead)
            return;
        m_dead = true;
        dropped.swap(m_queue);
        receiver = std::exchange(m_receiver, nullptr);
        QObject::disconnect(m_finished);
        QObject::disconnect(m_destroyed);
    }
    if (QThread::currentThread() == m_thread && m_position < m_batch.size()) {
        dropped.insert(dropped.end(),
                       std::make_move_iterator(m_batch.begin() + std::ptrdiff_t(m_position)),
                       std::make_move_iterator(m_batch.end()));
        m_batch.clear();
        m_position = 0;
    }
    waitForPosters();
    if (auto manager = m_manager.lock())
        manager->dispatcherRetired(this, dropped, reason);
    // The thread runs no more events: on the dying thread itself, or not running at all.
    delete receiver;
}

void Dispatcher::shutdown()
{
    DispatcherReceiver *receiver = nullptr;
    std::vector<Delivery> dropped;
    {
        QMutexLocker lock(&m_mutex);
        m_dead = true;
        dropped.swap(m_queue);
        receiver = std::exchange(m_receiver, nullptr);
        QObject::disconnect(m_finished);
        QObject::disconnect(m_destroyed);
    }
    if (!receiver)
        return;
    waitForPosters();
    // Delete directly only when no event of the receiver can be running: on its own thread
    // outside a drain, or while its thread runs nothing. Otherwise let its loop do it.
    const bool onTarget = QThread::currentThread() == m_thread;
    if ((onTarget && m_drainDepth == 0) || (!onTarget && !m_thread->isRunning()))
        delete receiver;
    else
        receiver->deleteLater();
}

} // namespace aioevt::detail
