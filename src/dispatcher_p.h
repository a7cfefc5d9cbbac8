// SPDX-License-Identifier: MIT
#pragma once

#include "subscriber_p.h"

#include <QtCore/qmutex.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>

#include <atomic>
#include <memory>
#include <unordered_set>
#include <vector>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace aioevt::detail {

class DispatcherReceiver;

/*
    The delivery queue of one target thread (one per manager and thread). Any thread
    posts; the target thread drains. At most one wake-up event is pending at a time, and
    one wake-up drains everything queued, so a burst of emissions costs one post.
*/
class Dispatcher : public std::enable_shared_from_this<Dispatcher>
{
public:
    Dispatcher(QThread *thread, std::weak_ptr<ManagerPrivate> manager);
    ~Dispatcher();
    Dispatcher(const Dispatcher &) = delete;
    Dispatcher &operator=(const Dispatcher &) = delete;

    /* Creates the receiver in the target thread and watches the thread's end. */
    void attach();

    QThread *thread() const { return m_thread; }
    bool isDead() const;

    /* Any thread: queues the deliveries (moved from). Deliveries to a dead thread are
       dropped and reported. */
    void post(Delivery *items, qsizetype count);

    /* The target thread ended (finished or destroyed): drop what is queued, report it,
       end the subscriptions bound to it. Any thread; idempotent. */
    void retire(const QString &reason);

    /* The manager is going away: drop everything silently and release the receiver. */
    void shutdown();

    /* Before a nested event loop on this thread (waitFor inside a callback): lets that
       loop continue the batch being drained. */
    static void rearmCurrentThread();

    /* Subscriptions bound to this thread; guarded by the manager's registry lock. */
    std::unordered_set<Subscriber *> subscribers;

private:
    friend class DispatcherReceiver;
    void drain(); // target thread only
    bool takeQueued(); // target thread: moves the queue into m_batch; false: it was empty
    void rearm();

    QThread *const m_thread;
    const std::weak_ptr<ManagerPrivate> m_manager;

    void waitForPosters(); // until no post() is inside postEvent() on the receiver

    // post() calls postEvent() outside m_mutex; the receiver is deleted only once no
    // poster is in flight.
    std::atomic<int> m_postsInFlight{0};
    mutable QMutex m_mutex; // guards the members below
    std::vector<Delivery> m_queue;
    bool m_wakePending = false;
    bool m_dead = false;
    DispatcherReceiver *m_receiver = nullptr;
    QMetaObject::Connection m_finished;
    QMetaObject::Connection m_destroyed;

    // Target thread only: the batch being drained, shared with nested drains.
    std::vector<Delivery> m_batch;
    std::size_t m_position = 0;
    std::shared_ptr<const Emission> m_owner; // owns the emission of the current group
    std::vector<std::shared_ptr<const Emission>> m_pinned; // emissions of suspended callbacks
    int m_drainDepth = 0;
};

} // namespace aioevt::detail
