// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/callback.h>
#include <aioevt/eventdata.h>
#include <aioevt/global.h>

#include <QtCore/qbytearray.h>
#include <QtCore/qstring.h>

#include <atomic>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace aioevt {
class ManagerPrivate;
}

namespace aioevt::detail {

class Dispatcher;
class Request;
struct Subscriber;

/* A subscriber that is served on the emitting thread, at emission time: waiters and spies. */
class Sink
{
public:
    virtual ~Sink() = default;
    /* Offered one emission on the emitting thread; self is its own registration, which a
       waiter removes before it completes, so that nobody sees it done but still counted. */
    virtual void offer(const EventData &event, Subscriber &self) = 0;
    /* The subscription was removed from outside (unregister, manager destroyed). */
    virtual void abandon(const QString &why) = 0;
};

enum class SubscriberKind : quint8 {
    Callback, // on(): counted, queued to a thread
    Any, // onAny(): sees every name, not counted
    Waiter, // wait()/waitFor(): counted, served at emission time
    Spy, // EventSpy: not counted, served at emission time
};

struct Subscriber
{
    quint64 id = 0;
    QString name;
    SubscriberKind kind = SubscriberKind::Callback;
    Recurrence recurrence = Recurring;
    std::atomic<bool> registered{true}; // still in the registry (isActive)
    std::atomic<bool> revoked{false}; // unregistered: queued deliveries must not run
    std::atomic<bool> claimed{false}; // Once: taken by an emission
    std::unique_ptr<CallableBase> callable;
    std::shared_ptr<Sink> sink;
    std::shared_ptr<Dispatcher> dispatcher; // the fixed target thread, if any
    const QObject *context = nullptr; // the context or receiver, if any
    QByteArray functionKey; // the function pointer's identity, if any
    std::weak_ptr<ManagerPrivate> manager;

    bool isCounted() const
    {
        return kind == SubscriberKind::Callback || kind == SubscriberKind::Waiter;
    }
};

using SubscriberPtr = std::shared_ptr<Subscriber>;
using SubscriberList = std::vector<SubscriberPtr>;

/* One event name. Its subscriber list is an immutable snapshot, replaced on every change
   (copy-on-write), so an emission reads it under the registry lock in O(1). */
struct Topic
{
    QString name;
    std::shared_ptr<const SubscriberList> subscribers;
    int counted = 0;
};

/* One emission: its data, shared by every subscriber, and the subscriber snapshots it was
   offered to, which keep each subscriber of its deliveries alive. */
struct Emission
{
    EventData event;
    std::shared_ptr<const SubscriberList> subscribers;
    std::shared_ptr<const SubscriberList> any;
    std::shared_ptr<Request> request; // set when Manager::request() collects the answers
};

/* One queued call. The deliveries of one emission to one thread are queued together and
   only the first of them owns the emission; the others point into it. So a delivery costs
   no reference count, which both the emitting and the draining thread would touch. */
struct Delivery
{
    Subscriber *subscriber = nullptr;
    const Emission *emission = nullptr;
    std::shared_ptr<const Emission> owner; // set on the first delivery of a group
};

} // namespace aioevt::detail
