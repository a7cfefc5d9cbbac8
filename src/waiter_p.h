// SPDX-License-Identifier: MIT
#pragma once

#include "service_p.h"
#include "subscriber_p.h"

#include <aioevt/manager.h>

#include <QtCore/qmutex.h>
#include <QtCore/qobject.h>
#include <QtCore/qpromise.h>

#include <atomic>
#include <optional>

QT_BEGIN_NAMESPACE
class QEventLoop;
QT_END_NAMESPACE

namespace aioevt::detail {

/* Runs a waiter's predicate; one that throws rejects the emission, with a warning. */
bool acceptsEvent(const Manager::Predicate &predicate, const EventData &event);

/* Takes s out of its manager's registry (no revoke: it ends by itself). */
void removeSelf(Subscriber &s);

/* The waiter behind Manager::wait(): fulfils a QPromise at emission time. Exactly one of
   emission, timeout, consumer cancellation and abandonment ends it. */
class FutureWaiter final : public Sink, public CancellationWatched
{
public:
    FutureWaiter(QString name, std::chrono::milliseconds timeout, Manager::Predicate predicate);
    QFuture<EventData> future() { return m_promise.future(); }

    void setSubscriber(const SubscriberPtr &s) { m_self = s; }
    void setTimer(quint64 handle);

    void offer(const EventData &event, Subscriber &self) override;
    void abandon(const QString &why) override;
    void timedOut();
    void canceledByConsumer();
    bool checkCancellation() override;

private:
    void endRegistration();

    const QString m_name;
    const std::chrono::milliseconds m_timeout;
    const Manager::Predicate m_predicate;
    std::atomic<bool> m_done{false};
    std::atomic<quint64> m_timer{0};
    std::weak_ptr<Subscriber> m_self;
    QPromise<EventData> m_promise;
};

/* The waiter behind Manager::waitAny() (Result = EventData) and waitAll() (Result =
   QList<EventData>): one registration per name, all ended together. */
template<typename Result> class GroupWaiter final : public Sink, public CancellationWatched
{
public:
    GroupWaiter(QStringList names, std::chrono::milliseconds timeout);
    QFuture<Result> future() { return m_promise.future(); }

    /* Before s is added to the registry; after the last one, call registered(). */
    void adopt(const SubscriberPtr &s);
    void registered();
    void setTimer(quint64 handle);

    void offer(const EventData &event, Subscriber &self) override;
    void abandon(const QString &why) override;
    void timedOut();
    bool checkCancellation() override;

private:
    bool end(); // false if it had ended already
    void endRegistrations();

    const QStringList m_names;
    const std::chrono::milliseconds m_timeout;
    std::atomic<bool> m_done{false};
    std::atomic<quint64> m_timer{0};
    QMutex m_mutex; // guards the members below
    std::vector<std::weak_ptr<Subscriber>> m_subscribers;
    std::vector<std::optional<EventData>> m_first; // waitAll: the first emission of each name
    qsizetype m_missing;
    QPromise<Result> m_promise;
};

extern template class GroupWaiter<EventData>;
extern template class GroupWaiter<QList<EventData>>;

/* Quits a local event loop from any thread: our own posted event rather than a queued
   call, so that the hand-off can be annotated for ThreadSanitizer. */
class LoopQuitter final : public QObject
{
public:
    explicit LoopQuitter(QEventLoop *loop) : m_loop(loop) { }
    void post(); // any thread

protected:
    bool event(QEvent *event) override;

private:
    QEventLoop *const m_loop;
};

/* The waiter behind Manager::waitFor(): a local QEventLoop that an emission quits. */
class BlockingWaiter final : public Sink
{
public:
    explicit BlockingWaiter(Manager::Predicate predicate) : m_predicate(std::move(predicate)) { }

    /* Runs the local loop on the calling thread until an emission, abandonment or timeout. */
    std::optional<EventData> exec(std::chrono::milliseconds timeout);

    void offer(const EventData &event, Subscriber &self) override;
    void abandon(const QString &why) override;

private:
    bool finish(const EventData *event);

    const Manager::Predicate m_predicate;
    QMutex m_mutex; // guards the members below
    bool m_done = false;
    std::optional<EventData> m_result;
    LoopQuitter *m_quitter = nullptr;
};

} // namespace aioevt::detail
