// SPDX-License-Identifier: MIT
#include <aioevt/manager.h>

#include "delayedemission_p.h"
#include "logging_p.h"
#include "manager_p.h"
#include "waiter_p.h"

#include <QtCore/qcoreapplication.h>
#include <QtCore/qthread.h>

#include <stdexcept>

namespace aioevt {

using namespace detail;

namespace {

QBasicMutex g_instanceMutex;
Manager *g_instance = nullptr;

void destroyInstance()
{
    Manager *instance;
    {
        QMutexLocker lock(&g_instanceMutex);
        instance = std::exchange(g_instance, nullptr);
    }
    delete instance;
}

SubscriberPtr makeSinkSubscriber(const QString &name, std::shared_ptr<Sink> sink,
                                 SubscriberKind kind)
{
    auto s = std::make_shared<Subscriber>();
    s->name = name;
    s->kind = kind;
    s->sink = std::move(sink);
    return s;
}

} // namespace

Manager::Manager(QObject *parent) : QObject(parent), d(std::make_shared<ManagerPrivate>(this)) { }

Manager::~Manager()
{
    d->shutdown();
}

Manager *Manager::instance()
{
    QMutexLocker lock(&g_instanceMutex);
    if (!g_instance) {
        g_instance = new Manager;
        g_instance->setObjectName(QStringLiteral("aioevt::Manager::instance"));
        if (auto *app = QCoreApplication::instance()) {
            // Lives with the application and dies with it, whichever thread asked first.
            g_instance->moveToThread(app->thread());
            qAddPostRoutine(destroyInstance);
        }
    }
    return g_instance;
}

Subscription Manager::subscribe(const QString &name, CallbackParts parts, QThread *thread,
                                const QObject *context, Recurrence recurrence, bool nullContext)
{
    if (name.isEmpty()) {
        qCWarning(lcAioevt, "on(): the event name is empty; nothing was registered");
        return {};
    }
    if (!parts.callable) {
        qCWarning(lcAioevt, "on(\"%s\"): the callback is empty; nothing was registered",
                  qUtf8Printable(name));
        return {};
    }
    if (nullContext) {
        qCWarning(lcAioevt, "on(\"%s\"): the context or receiver is null; nothing was registered",
                  qUtf8Printable(name));
        return {};
    }
    auto s = std::make_shared<Subscriber>();
    s->name = name;
    s->recurrence = recurrence;
    s->callable = std::move(parts.callable);
    s->functionKey = std::move(parts.functionKey);
    s->context = context;
    return d->add(s, context ? nullptr : (thread ? thread : QThread::currentThread()));
}

Subscription Manager::subscribeAny(CallbackParts parts, QThread *thread, const QObject *context,
                                   bool nullContext)
{
    if (!parts.callable || nullContext) {
        qCWarning(lcAioevt, "onAny(): the %s is empty; nothing was registered",
                  nullContext ? "context" : "callback");
        return {};
    }
    auto s = std::make_shared<Subscriber>();
    s->kind = SubscriberKind::Any;
    s->callable = std::move(parts.callable);
    s->functionKey = std::move(parts.functionKey);
    s->context = context;
    return d->add(s, context ? nullptr : (thread ? thread : QThread::currentThread()));
}

void Manager::emitEvent(const QString &name, const QVariantList &args, const QVariantMap &kwargs)
{
    if (name.isEmpty()) {
        qCWarning(lcAioevt, "emitEvent(): the event name is empty; nothing was emitted");
        return;
    }
    d->emitEvent(name, args, kwargs);
}

PendingEmission Manager::emitAfter(std::chrono::milliseconds delay, const QString &name,
                                   const QVariantList &args, const QVariantMap &kwargs)
{
    if (name.isEmpty()) {
        qCWarning(lcAioevt, "emitAfter(): the event name is empty; nothing was scheduled");
        return {};
    }
    auto state = std::make_shared<DelayedEmission>();
    state->manager = d;
    state->name = name;
    state->args = args;
    state->kwargs = kwargs;
    // The timer keeps the state alive: dropping the handle does not cancel the emission.
    state->timer = d->scheduleTimer(delay, [state] { state->fire(); });
    if (!state->timer)
        state->status = DelayedEmission::Canceled; // the manager is being destroyed
    return PendingEmission(state);
}

PendingEmission Manager::emitAfter(int delayMs, const QString &name, const QVariantList &args,
                                   const QVariantMap &kwargs)
{
    return emitAfter(std::chrono::milliseconds(delayMs), name, args, kwargs);
}

Emitter Manager::emitter(const QString &name)
{
    return Emitter(this, name);
}

QFuture<EventData> Manager::wait(const QString &name, std::chrono::milliseconds timeout,
                                 Predicate predicate)
{
    if (name.isEmpty()) {
        qCWarning(lcAioevt, "wait(): the event name is empty");
        return QtFuture::makeExceptionalFuture<EventData>(std::make_exception_ptr(
            std::invalid_argument("aioevt: wait() needs a non-empty event name")));
    }
    auto waiter = std::make_shared<FutureWaiter>(name, timeout, std::move(predicate));
    QFuture<EventData> future = waiter->future();
    const auto s = makeSinkSubscriber(name, waiter, SubscriberKind::Waiter);
    waiter->setSubscriber(s);
    if (!d->add(s, nullptr).isValid()) {
        waiter->abandon(QStringLiteral("the aioevt::Manager was destroyed"));
        return future;
    }
    if (timeout.count() >= 0)
        waiter->setTimer(d->scheduleTimer(timeout, [waiter] { waiter->timedOut(); }));
    d->watchCancellation(waiter); // future.cancel() is noticed by the next sweep
    return future;
}

QFuture<EventData> Manager::wait(const QString &name, int timeoutMs, Predicate predicate)
{
    return wait(name, std::chrono::milliseconds(timeoutMs), std::move(predicate));
}

namespace {

/* waitAny()/waitAll(): the names without repeats, or the reason they are refused. */
QString checkNames(const char *function, const QStringList &names, QStringList &distinct)
{
    if (names.isEmpty())
        return QStringLiteral("aioevt: %1() needs at least one event name")
            .arg(QLatin1String(function));
    for (const QString &name : names) {
        if (name.isEmpty())
            return QStringLiteral("aioevt: %1() got an empty event name")
                .arg(QLatin1String(function));
        if (!distinct.contains(name))
            distinct.append(name);
    }
    return {};
}

template<typename Result>
QFuture<Result> waitGroup(const std::shared_ptr<ManagerPrivate> &d, const char *function,
                          const QStringList &names, std::chrono::milliseconds timeout)
{
    QStringList distinct;
    const QString problem = checkNames(function, names, distinct);
    if (!problem.isEmpty()) {
        qCWarning(lcAioevt, "%s", qUtf8Printable(problem));
        return QtFuture::makeExceptionalFuture<Result>(
            std::make_exception_ptr(std::invalid_argument(problem.toStdString())));
    }
    auto waiter = std::make_shared<GroupWaiter<Result>>(distinct, timeout);
    QFuture<Result> future = waiter->future();
    for (const QString &name : std::as_const(distinct)) {
        const auto s = makeSinkSubscriber(name, waiter, SubscriberKind::Waiter);
        waiter->adopt(s);
        if (!d->add(s, nullptr).isValid()) {
            waiter->abandon(QStringLiteral("the aioevt::Manager was destroyed"));
            return future;
        }
    }
    waiter->registered();
    if (timeout.count() >= 0)
        waiter->setTimer(d->scheduleTimer(timeout, [waiter] { waiter->timedOut(); }));
    d->watchCancellation(waiter);
    return future;
}

} // namespace

QFuture<EventData> Manager::waitAny(const QStringList &names, std::chrono::milliseconds timeout)
{
    return waitGroup<EventData>(d, "waitAny", names, timeout);
}

QFuture<EventData> Manager::waitAny(const QStringList &names, int timeoutMs)
{
    return waitAny(names, std::chrono::milliseconds(timeoutMs));
}

QFuture<QList<EventData>> Manager::waitAll(const QStringList &names,
                                           std::chrono::milliseconds timeout)
{
    return waitGroup<QList<EventData>>(d, "waitAll", names, timeout);
}

QFuture<QList<EventData>> Manager::waitAll(const QStringList &names, int timeoutMs)
{
    return waitAll(names, std::chrono::milliseconds(timeoutMs));
}

QFuture<QVariantList> Manager::request(const QString &name, const QVariantList &args,
                                       const QVariantMap &kwargs, std::chrono::milliseconds timeout)
{
    if (name.isEmpty()) {
        qCWarning(lcAioevt, "request(): the event name is empty");
        return QtFuture::makeExceptionalFuture<QVariantList>(std::make_exception_ptr(
            std::invalid_argument("aioevt: request() needs a non-empty event name")));
    }
    return d->request(name, args, kwargs, timeout);
}

QFuture<QVariantList> Manager::request(const QString &name, const QVariantList &args,
                                       const QVariantMap &kwargs, int timeoutMs)
{
    return request(name, args, kwargs, std::chrono::milliseconds(timeoutMs));
}

std::optional<EventData> Manager::waitFor(const QString &name, std::chrono::milliseconds timeout,
                                          Predicate predicate)
{
    if (name.isEmpty()) {
        qCWarning(lcAioevt, "waitFor(): the event name is empty");
        return std::nullopt;
    }
    // The manager may be destroyed by another thread while we wait: touch only `core`.
    const std::shared_ptr<ManagerPrivate> core = d;
    auto waiter = std::make_shared<BlockingWaiter>(std::move(predicate));
    const auto s = makeSinkSubscriber(name, waiter, SubscriberKind::Waiter);
    if (!core->add(s, nullptr).isValid())
        return std::nullopt;
    auto result = waiter->exec(timeout);
    core->remove(s.get(), false);
    return result;
}

std::optional<EventData> Manager::waitFor(const QString &name, int timeoutMs, Predicate predicate)
{
    return waitFor(name, std::chrono::milliseconds(timeoutMs), std::move(predicate));
}

int Manager::unregister(const QString &name)
{
    return d->unregisterName(name);
}

int Manager::unregister(const Subscription &subscription)
{
    return d->unregisterSubscription(subscription) ? 1 : 0;
}

int Manager::unregister(const QObject *receiverOrContext)
{
    return receiverOrContext ? d->unregisterContext(receiverOrContext) : 0;
}

int Manager::unregisterFunction(const QByteArray &key, const QString *name)
{
    return d->unregisterFunction(key, name);
}

int Manager::subscriberCount(const QString &name) const
{
    return d->subscriberCount(name);
}

bool Manager::hasSubscribers(const QString &name) const
{
    return d->subscriberCount(name) > 0;
}

QStringList Manager::eventNames() const
{
    return d->eventNames();
}

} // namespace aioevt
