// SPDX-License-Identifier: MIT
#pragma once

#include "dispatcher_p.h"
#include "subscriber_p.h"

#include <aioevt/manager.h>
#include <aioevt/subscription.h>

#include <QtCore/qhash.h>
#include <QtCore/qmutex.h>
#include <QtCore/qreadwritelock.h>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace aioevt {

namespace detail {
class CancellationWatched;
class Service;
} // namespace detail

/*
    The manager's state, shared with everything that may outlive the Manager object for a
    moment (queued deliveries, handles, timers): they hold weak references to it.

    Lock order: the registry mutex, then a dispatcher's mutex. No lock is held while a
    callback, a sink or a signal runs.
*/
class ManagerPrivate : public std::enable_shared_from_this<ManagerPrivate>
{
public:
    explicit ManagerPrivate(Manager *q);
    ~ManagerPrivate();

    // Registry -------------------------------------------------------------------
    /* Registers s; for thread-bound subscriptions thread is the target. */
    Subscription add(const detail::SubscriberPtr &s, QThread *thread);
    /* Removes s (idempotent); revoke also stops deliveries already queued for it. */
    bool remove(detail::Subscriber *s, bool revoke);
    /* Only a subscription of this manager; also revokes a consumed Once still queued. */
    bool unregisterSubscription(const Subscription &subscription);
    int unregisterName(const QString &name);
    int unregisterContext(const QObject *context);
    int unregisterFunction(const QByteArray &key, const QString *name);
    std::shared_ptr<detail::Topic> topicFor(const QString &name);
    int subscriberCount(const QString &name) const;
    QStringList eventNames() const;

    // Emission and delivery ------------------------------------------------------
    void emitEvent(const QString &name, const QVariantList &args, const QVariantMap &kwargs);
    void emitTopic(const detail::Topic &topic, const QVariantList &args, const QVariantMap &kwargs);
    QFuture<QVariantList> request(const QString &name, const QVariantList &args,
                                  const QVariantMap &kwargs, std::chrono::milliseconds timeout);
    /* Target thread: runs one delivery; owner owns its emission. */
    void run(const detail::Delivery &delivery, const std::shared_ptr<const detail::Emission> &owner,
             detail::Dispatcher &here);
    std::shared_ptr<detail::Dispatcher> dispatcherFor(QThread *thread);

    // Reports --------------------------------------------------------------------
    void reportCallbackFailed(const QString &name, const QString &message);
    void reportDropped(const detail::Delivery *first, const detail::Delivery *last,
                       const QString &reason);
    void dispatcherRetired(detail::Dispatcher *dispatcher, std::vector<detail::Delivery> &dropped,
                           const QString &reason);

    // The service thread ---------------------------------------------------------
    /* 0 when the manager is shutting down. */
    quint64 scheduleTimer(std::chrono::milliseconds delay, std::function<void()> fire);
    void cancelTimer(quint64 handle);
    void watchCancellation(std::weak_ptr<detail::CancellationWatched> watched);

    bool isShutDown() const;
    void shutdown();

private:
    class Batch;
    /* The snapshots an emission of a name is offered to; null when empty. */
    struct Listeners
    {
        std::shared_ptr<const detail::SubscriberList> subscribers;
        std::shared_ptr<const detail::SubscriberList> any;
    };
    Listeners listenersOf(const QString &name) const;
    struct Removal;
    struct ContextEntry
    {
        detail::SubscriberList subscribers;
        QMetaObject::Connection connection;
    };

    void dispatch(const QString &name, std::shared_ptr<const detail::SubscriberList> subscribers,
                  std::shared_ptr<const detail::SubscriberList> any, const QVariantList &args,
                  const QVariantMap &kwargs, std::shared_ptr<detail::Request> request = nullptr);
    /* Reports how an asynchronous callback ends, and passes its answer on. */
    void followAnswer(QFuture<QVariant> answer, const QString &name,
                      std::shared_ptr<detail::Request> request, const detail::Subscriber *s,
                      std::shared_ptr<const void> keepAlive);
    void offer(detail::Subscriber *s, Batch &batch);
    bool removeLocked(detail::Subscriber *s, bool revoke, Removal &removal);
    void finishRemoval(Removal &removal);
    std::shared_ptr<detail::Dispatcher> dispatcherForLocked(QThread *thread);

    mutable QMutex m_mutex; // the registry: every member down to m_shutDown
    QHash<QString, std::shared_ptr<detail::Topic>> m_topics;
    std::shared_ptr<const detail::SubscriberList> m_any;
    QHash<QByteArray, detail::SubscriberList> m_byFunction;
    QHash<const QObject *, ContextEntry> m_byContext;
    QHash<QThread *, std::shared_ptr<detail::Dispatcher>> m_dispatchers;
    bool m_shutDown = false;

    QReadWriteLock m_reportLock{QReadWriteLock::Recursive}; // guards q for signals
    Manager *q;

    detail::Service *serviceLocked(); // starts the service thread on first use

    QMutex m_serviceMutex; // guards the members below
    bool m_serviceClosed = false;
    QThread *m_serviceThread = nullptr;
    detail::Service *m_service = nullptr;
};

} // namespace aioevt
