// SPDX-License-Identifier: MIT
#pragma once

#include "service_p.h"
#include "subscriber_p.h"

#include <aioevt/manager.h>

#include <QtCore/qmutex.h>
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
    QEventLoop *m_loop = nullptr;
};

} // namespace aioevt::detail
