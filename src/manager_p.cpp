// SPDX-License-Identifier: MIT
#include "manager_p.h"

#include "blockpool_p.h"
#include "logging_p.h"
#include "request_p.h"
#include "service_p.h"
#include "tsan_p.h"

#include <aioevt/cancelederror.h>

#include <QtCore/qthread.h>
#include <QtCore/qvarlengtharray.h>

#include <algorithm>

namespace aioevt {

Q_LOGGING_CATEGORY(lcAioevt, "aioevt")

using namespace detail;

namespace {

std::atomic<quint64> g_nextSubscriptionId{1};

// The list without s, or null when s is not in it.
std::shared_ptr<const SubscriberList> without(const SubscriberList &list, const Subscriber *s)
{
    const auto it = std::find_if(list.begin(), list.end(),
                                 [s](const SubscriberPtr &p) { return p.get() == s; });
    if (it == list.end())
        return nullptr;
    auto copy = std::make_shared<SubscriberList>();
    copy->reserve(list.size() - 1);
    copy->insert(copy->end(), list.begin(), it);
    copy->insert(copy->end(), it + 1, list.end());
    return copy;
}

void eraseFrom(SubscriberList &list, const Subscriber *s)
{
    list.erase(std::remove_if(list.begin(), list.end(),
                              [s](const SubscriberPtr &p) { return p.get() == s; }),
               list.end());
}

} // namespace

/* Groups consecutive deliveries of one emission to the same thread into one post; the
   first delivery of each group owns the emission. */
class ManagerPrivate::Batch
{
public:
    explicit Batch(std::shared_ptr<const Emission> emission) : m_emission(std::move(emission)) { }
    ~Batch() { flush(true); }
    Batch(const Batch &) = delete;
    Batch &operator=(const Batch &) = delete;

    const std::shared_ptr<const Emission> &emission() const { return m_emission; }

    /* target stays alive until the flush: a subscriber's own dispatcher through the
       emission's snapshot, any other through keep. */
    void add(Dispatcher *target, Subscriber *subscriber, std::shared_ptr<Dispatcher> keep = nullptr)
    {
        if (target != m_target) {
            flush(false);
            m_target = target;
            m_keep = std::move(keep);
        }
        m_items.push_back(Delivery{subscriber, m_emission.get(), nullptr});
    }

private:
    /* The last group takes the batch's own reference: no extra count per emission. */
    void flush(bool last)
    {
        if (m_items.isEmpty())
            return;
        m_items.front().owner = last ? std::move(m_emission) : m_emission;
        m_target->post(m_items.data(), m_items.size());
        m_items.clear();
    }

    std::shared_ptr<const Emission> m_emission;
    Dispatcher *m_target = nullptr;
    std::shared_ptr<Dispatcher> m_keep;
    QVarLengthArray<Delivery, 16> m_items;
};

/* What a removal leaves to do once the registry lock is released. */
struct ManagerPrivate::Removal
{
    int count = 0;
    std::vector<std::shared_ptr<Sink>> abandoned;
    std::vector<QMetaObject::Connection> connections;
    std::vector<std::shared_ptr<const SubscriberList>> keepAlive; // frees outside the lock
};

ManagerPrivate::ManagerPrivate(Manager *q) : m_any(std::make_shared<SubscriberList>()), q(q) { }

ManagerPrivate::~ManagerPrivate() = default;

// --- Registry ---------------------------------------------------------------------

std::shared_ptr<Dispatcher> ManagerPrivate::dispatcherForLocked(QThread *thread)
{
    if (m_shutDown || !thread)
        return nullptr;
    auto &slot = m_dispatchers[thread];
    if (slot && !slot->isDead())
        return slot;
    if (thread->isFinished()) {
        m_dispatchers.remove(thread);
        return nullptr;
    }
    slot = std::make_shared<Dispatcher>(thread, weak_from_this());
    slot->attach();
    return slot;
}

std::shared_ptr<Dispatcher> ManagerPrivate::dispatcherFor(QThread *thread)
{
    QMutexLocker lock(&m_mutex);
    return dispatcherForLocked(thread);
}

Subscription ManagerPrivate::add(const SubscriberPtr &s, QThread *thread)
{
    s->manager = weak_from_this();
    QMutexLocker lock(&m_mutex);
    if (m_shutDown) {
        lock.unlock();
        qCWarning(lcAioevt, "cannot subscribe to \"%s\": the manager is being destroyed",
                  qUtf8Printable(s->name));
        return {};
    }
    if (thread) {
        s->dispatcher = dispatcherForLocked(thread);
        if (!s->dispatcher) {
            lock.unlock();
            qCWarning(lcAioevt, "cannot subscribe to \"%s\": the target thread has finished",
                      qUtf8Printable(s->name));
            return {};
        }
        s->dispatcher->subscribers.insert(s.get());
    }
    s->id = g_nextSubscriptionId.fetch_add(1, std::memory_order_relaxed);

    if (s->kind == SubscriberKind::Any) {
        auto list = std::make_shared<SubscriberList>(*m_any);
        list->push_back(s);
        m_any = std::move(list);
    } else {
        auto &topic = m_topics[s->name];
        if (!topic)
            topic = std::make_shared<Topic>(Topic{s->name, std::make_shared<SubscriberList>(), 0});
        auto list = std::make_shared<SubscriberList>();
        list->reserve(topic->subscribers->size() + 1);
        *list = *topic->subscribers;
        list->push_back(s);
        topic->subscribers = std::move(list);
        if (s->isCounted())
            ++topic->counted;
    }
    if (!s->functionKey.isEmpty())
        m_byFunction[s->functionKey].push_back(s);
    if (s->context) {
        ContextEntry &entry = m_byContext[s->context];
        if (entry.subscribers.empty()) {
            const QObject *context = s->context;
            std::weak_ptr<ManagerPrivate> weak = weak_from_this();
            entry.connection = QObject::connect(context, &QObject::destroyed, [weak, context] {
                if (auto self = weak.lock())
                    self->unregisterContext(context);
            });
        }
        entry.subscribers.push_back(s);
    }
    return Subscription(s, s->id, s->name);
}

bool ManagerPrivate::removeLocked(Subscriber *s, bool revoke, Removal &removal)
{
    if (revoke)
        s->revoked.store(true, std::memory_order_release);
    if (!s->registered.exchange(false, std::memory_order_acq_rel))
        return false;
    ++removal.count;
    if (revoke && s->sink)
        removal.abandoned.push_back(s->sink);
    if (s->dispatcher)
        s->dispatcher->subscribers.erase(s);
    if (!s->functionKey.isEmpty()) {
        const auto it = m_byFunction.find(s->functionKey);
        if (it != m_byFunction.end()) {
            eraseFrom(*it, s);
            if (it->empty())
                m_byFunction.erase(it);
        }
    }
    if (s->context) {
        const auto it = m_byContext.find(s->context);
        if (it != m_byContext.end()) {
            eraseFrom(it->subscribers, s);
            if (it->subscribers.empty()) {
                removal.connections.push_back(it->connection);
                m_byContext.erase(it);
            }
        }
    }
    // Last: the old snapshot may hold the last reference to s.
    if (s->kind == SubscriberKind::Any) {
        if (auto list = without(*m_any, s)) {
            removal.keepAlive.push_back(std::exchange(m_any, std::move(list)));
        }
        return true;
    }
    const auto it = m_topics.find(s->name);
    if (it == m_topics.end())
        return true;
    Topic &topic = **it;
    if (auto list = without(*topic.subscribers, s)) {
        if (s->isCounted())
            --topic.counted;
        removal.keepAlive.push_back(std::exchange(topic.subscribers, std::move(list)));
        // Keep topics that an Emitter holds, so that it still reaches new subscribers.
        if (topic.subscribers->empty() && it->use_count() == 1)
            m_topics.erase(it);
    }
    return true;
}

void ManagerPrivate::finishRemoval(Removal &removal)
{
    for (const auto &connection : removal.connections)
        QObject::disconnect(connection);
    for (const auto &sink : removal.abandoned)
        sink->abandon(QStringLiteral("the wait was unregistered"));
}

bool ManagerPrivate::remove(Subscriber *s, bool revoke)
{
    Removal removal;
    bool removed;
    {
        QMutexLocker lock(&m_mutex);
        removed = removeLocked(s, revoke, removal);
    }
    finishRemoval(removal);
    return removed;
}

bool ManagerPrivate::unregisterSubscription(const Subscription &subscription)
{
    const auto s = subscription.m_subscriber.lock();
    if (!s || s->manager.lock().get() != this)
        return false;
    s->revoked.store(true, std::memory_order_release);
    return remove(s.get(), true);
}

int ManagerPrivate::unregisterName(const QString &name)
{
    Removal removal;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_topics.constFind(name);
        if (it == m_topics.cend())
            return 0;
        const auto subscribers = (*it)->subscribers; // a snapshot: removal replaces it
        for (const auto &s : *subscribers) {
            if (s->kind != SubscriberKind::Spy)
                removeLocked(s.get(), true, removal);
        }
    }
    finishRemoval(removal);
    return removal.count;
}

int ManagerPrivate::unregisterContext(const QObject *context)
{
    Removal removal;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_byContext.constFind(context);
        if (it == m_byContext.cend())
            return 0;
        // A copy: removeLocked() erases from this very list while we iterate.
        const SubscriberList subscribers = it->subscribers;
        for (const auto &s : subscribers)
            removeLocked(s.get(), true, removal);
    }
    finishRemoval(removal);
    return removal.count;
}

int ManagerPrivate::unregisterFunction(const QByteArray &key, const QString *name)
{
    Removal removal;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_byFunction.constFind(key);
        if (it == m_byFunction.cend())
            return 0;
        // A copy: removeLocked() erases from this very list while we iterate.
        const SubscriberList subscribers
            = *it; // NOLINT(performance-unnecessary-copy-initialization)
        for (const auto &s : subscribers) {
            if (!name || s->name == *name)
                removeLocked(s.get(), true, removal);
        }
    }
    finishRemoval(removal);
    return removal.count;
}

std::shared_ptr<Topic> ManagerPrivate::topicFor(const QString &name)
{
    QMutexLocker lock(&m_mutex);
    auto &topic = m_topics[name];
    if (!topic)
        topic = std::make_shared<Topic>(Topic{name, std::make_shared<SubscriberList>(), 0});
    return topic;
}

int ManagerPrivate::subscriberCount(const QString &name) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_topics.constFind(name);
    return it == m_topics.cend() ? 0 : (*it)->counted;
}

QStringList ManagerPrivate::eventNames() const
{
    QStringList names;
    {
        QMutexLocker lock(&m_mutex);
        for (const auto &topic : m_topics) {
            if (topic->counted > 0)
                names.append(topic->name);
        }
    }
    names.sort();
    return names;
}

// --- Emission -----------------------------------------------------------------------

ManagerPrivate::Listeners ManagerPrivate::listenersOf(const QString &name) const
{
    Listeners listeners;
    QMutexLocker lock(&m_mutex);
    const auto it = m_topics.constFind(name);
    if (it != m_topics.cend() && !(*it)->subscribers->empty())
        listeners.subscribers = (*it)->subscribers;
    if (!m_any->empty())
        listeners.any = m_any;
    return listeners;
}

void ManagerPrivate::emitEvent(const QString &name, const QVariantList &args,
                               const QVariantMap &kwargs)
{
    auto [subscribers, any] = listenersOf(name);
    if (!subscribers && !any)
        return; // nobody listens: no copies, no allocation
    dispatch(name, std::move(subscribers), std::move(any), args, kwargs);
}

void ManagerPrivate::emitTopic(const Topic &topic, const QVariantList &args,
                               const QVariantMap &kwargs)
{
    std::shared_ptr<const SubscriberList> subscribers;
    std::shared_ptr<const SubscriberList> any;
    {
        QMutexLocker lock(&m_mutex);
        if (!topic.subscribers->empty())
            subscribers = topic.subscribers;
        if (!m_any->empty())
            any = m_any;
    }
    if (!subscribers && !any)
        return;
    dispatch(topic.name, std::move(subscribers), std::move(any), args, kwargs);
}

QFuture<QVariantList> ManagerPrivate::request(const QString &name, const QVariantList &args,
                                              const QVariantMap &kwargs,
                                              std::chrono::milliseconds timeout)
{
    auto request = std::make_shared<Request>(name, timeout, weak_from_this());
    QFuture<QVariantList> future = request->future();
    auto [subscribers, any] = listenersOf(name);
    if (timeout.count() >= 0) {
        std::weak_ptr<Request> weak = request;
        request->setTimer(scheduleTimer(timeout, [weak] {
            if (auto r = weak.lock())
                r->timedOut();
        }));
    }
    dispatch(name, std::move(subscribers), std::move(any), args, kwargs, request);
    request->seal();
    return future;
}

void ManagerPrivate::dispatch(const QString &name,
                              std::shared_ptr<const SubscriberList> subscribers,
                              std::shared_ptr<const SubscriberList> any, const QVariantList &args,
                              const QVariantMap &kwargs, std::shared_ptr<Request> request)
{
    // One copy of the data, shared by every subscriber's delivery.
    Batch batch(std::allocate_shared<const Emission>(PoolAllocator<Emission>(),
                                                     Emission{EventData{name, args, kwargs},
                                                              std::move(subscribers),
                                                              std::move(any), std::move(request)}));
    const Emission &emission = *batch.emission();
    if (emission.subscribers) {
        for (const auto &s : *emission.subscribers)
            offer(s.get(), batch);
    }
    if (emission.any) {
        for (const auto &s : *emission.any)
            offer(s.get(), batch);
    }
}

void ManagerPrivate::offer(Subscriber *s, Batch &batch)
{
    if (s->revoked.load(std::memory_order_acquire))
        return;
    if (s->sink) {
        s->sink->offer(batch.emission()->event, *s);
        return;
    }
    if (s->recurrence == Once) {
        if (s->claimed.exchange(true, std::memory_order_acq_rel))
            return; // another emission took it
        remove(s, false);
    }
    if (Request *request = batch.emission()->request.get();
        request && s->kind == SubscriberKind::Callback)
        request->expect(s);
    if (s->dispatcher) {
        batch.add(s->dispatcher.get(), s);
        return;
    }
    // A context subscription goes to wherever its context lives now.
    auto target = dispatcherFor(s->context->thread());
    if (!target) {
        const Delivery lost{s, batch.emission().get(), nullptr};
        reportDropped(&lost, &lost + 1, QStringLiteral("its context's thread has ended"));
        return;
    }
    Dispatcher *raw = target.get();
    batch.add(raw, s, std::move(target));
}

void ManagerPrivate::run(const Delivery &delivery, const std::shared_ptr<const Emission> &owner,
                         Dispatcher &here)
{
    Subscriber &s = *delivery.subscriber;
    Request *request = delivery.emission->request.get();
    if (s.revoked.load(std::memory_order_acquire)) {
        if (request)
            request->answer(&s, QVariant());
        return;
    }
    if (s.context) {
        QThread *now = s.context->thread();
        if (now != here.thread()) { // the context moved after the emission: follow it
            Delivery moved{delivery.subscriber, delivery.emission, owner};
            if (auto target = dispatcherFor(now))
                target->post(&moved, 1);
            else
                reportDropped(&delivery, &delivery + 1,
                              QStringLiteral("its context's thread has ended"));
            return;
        }
    }
    const EventData &event = delivery.emission->event;
    const QString &name = event.name;
    CallOutcome outcome;
    try {
        s.callable->invoke(event, outcome);
    } catch (const std::exception &e) {
        reportCallbackFailed(name, QString::fromLocal8Bit(e.what()));
        if (request)
            request->fail(std::current_exception());
        return;
    } catch (...) {
        reportCallbackFailed(name, QStringLiteral("an exception of unknown type"));
        if (request)
            request->fail(std::current_exception());
        return;
    }
    if (outcome.mismatch) {
        qCWarning(lcAioevt, "a callback of \"%s\" was skipped: %s", qUtf8Printable(name),
                  qUtf8Printable(outcome.problem));
    }
    if (outcome.pending)
        followAnswer(std::move(*outcome.pending), name, delivery.emission->request, &s,
                     std::move(outcome.keepAlive));
    else if (request)
        request->answer(&s, outcome.result);
}

void ManagerPrivate::followAnswer(QFuture<QVariant> answer, const QString &name,
                                  std::shared_ptr<Request> request, const Subscriber *s,
                                  std::shared_ptr<const void> keepAlive)
{
    // Runs where the future ends (at once if it already has); the manager may be gone.
    std::weak_ptr<ManagerPrivate> weak = weak_from_this();
    auto failed = [weak, name, request](std::exception_ptr error, const QString &message) {
        if (auto self = weak.lock())
            self->reportCallbackFailed(name, message);
        if (request)
            request->fail(error);
    };
    answer
        .then(QtFuture::Launch::Sync,
              [request, s, failed, keepAlive](QFuture<QVariant> done) {
                  try {
                      const QVariant value = done.result();
                      if (request)
                          request->answer(s, value);
                  } catch (const std::exception &e) {
                      failed(std::current_exception(), QString::fromLocal8Bit(e.what()));
                  } catch (...) {
                      failed(std::current_exception(),
                             QStringLiteral("its future failed with an exception of unknown type"));
                  }
              })
        .onCanceled([failed, name, keepAlive] {
            failed(std::make_exception_ptr(CanceledError(
                       QStringLiteral("aioevt: the future of a callback of \"%1\" was canceled")
                           .arg(name))),
                   QStringLiteral("its future was canceled"));
        });
}

// --- Reports ------------------------------------------------------------------------

void ManagerPrivate::reportCallbackFailed(const QString &name, const QString &message)
{
    qCWarning(lcAioevt, "a callback of \"%s\" threw: %s", qUtf8Printable(name),
              qUtf8Printable(message));
    QReadLocker lock(&m_reportLock);
    if (q)
        Q_EMIT q->callbackFailed(name, message);
}

void ManagerPrivate::reportDropped(const Delivery *first, const Delivery *last,
                                   const QString &reason)
{
    // One report per name; unregistered subscribers were meant to be skipped anyway.
    QVarLengthArray<std::pair<QString, int>, 4> perName;
    for (const Delivery *d = first; d != last; ++d) {
        if (Request *request = d->emission->request.get())
            request->answer(d->subscriber, QVariant()); // it will not run
        if (d->subscriber->revoked.load(std::memory_order_acquire))
            continue;
        const QString &name = d->emission->event.name;
        auto it = std::find_if(perName.begin(), perName.end(),
                               [&](const auto &entry) { return entry.first == name; });
        if (it == perName.end())
            perName.push_back({name, 1});
        else
            ++it->second;
    }
    for (const auto &[name, count] : perName) {
        qCWarning(lcAioevt, "dropped %d deliver%s of \"%s\": %s", count, count == 1 ? "y" : "ies",
                  qUtf8Printable(name), qUtf8Printable(reason));
        QReadLocker lock(&m_reportLock);
        if (q)
            Q_EMIT q->deliveryFailed(name, reason);
    }
}

void ManagerPrivate::dispatcherRetired(Dispatcher *dispatcher, std::vector<Delivery> &dropped,
                                       const QString &reason)
{
    reportDropped(dropped.data(), dropped.data() + dropped.size(), reason);
    Removal removal;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_dispatchers.find(dispatcher->thread());
        if (it != m_dispatchers.end() && it->get() == dispatcher)
            m_dispatchers.erase(it);
        const auto bound = std::move(dispatcher->subscribers);
        dispatcher->subscribers.clear();
        for (Subscriber *s : bound)
            removeLocked(s, true, removal);
    }
    finishRemoval(removal);
}

// --- Service thread -------------------------------------------------------------------

Service *ManagerPrivate::serviceLocked()
{
    if (!m_service && !m_serviceClosed) {
        m_serviceThread = new QThread;
        m_serviceThread->setObjectName(QStringLiteral("aioevt-service"));
        m_service = new Service;
        m_service->moveToThread(m_serviceThread);
        // Deleted on its own thread as it finishes, so its timers die where they live.
        QObject::connect(m_serviceThread, &QThread::finished, m_service, &QObject::deleteLater);
        // Whatever the service thread wrote is visible once shutdown() has waited for it
        // (QThread::wait() is a hand-off ThreadSanitizer cannot see inside Qt).
        QObject::connect(
            m_serviceThread, &QThread::finished, m_serviceThread,
            [thread = m_serviceThread] { AIOEVT_HAPPENS_BEFORE(thread); }, Qt::DirectConnection);
        m_serviceThread->start();
    }
    return m_service;
}

quint64 ManagerPrivate::scheduleTimer(std::chrono::milliseconds delay, std::function<void()> fire)
{
    QMutexLocker lock(&m_serviceMutex);
    Service *service = serviceLocked();
    return service ? service->schedule(delay, std::move(fire)) : 0;
}

void ManagerPrivate::cancelTimer(quint64 handle)
{
    QMutexLocker lock(&m_serviceMutex);
    if (m_service && handle)
        m_service->cancel(handle);
}

void ManagerPrivate::watchCancellation(std::weak_ptr<CancellationWatched> watched)
{
    QMutexLocker lock(&m_serviceMutex);
    if (Service *service = serviceLocked())
        service->watchCancellation(std::move(watched));
}

bool ManagerPrivate::isShutDown() const
{
    QMutexLocker lock(&m_mutex);
    return m_shutDown;
}

void ManagerPrivate::shutdown()
{
    Removal removal;
    QHash<QThread *, std::shared_ptr<Dispatcher>> dispatchers;
    {
        QMutexLocker lock(&m_mutex);
        m_shutDown = true;
        std::vector<SubscriberPtr> all;
        for (const auto &topic : std::as_const(m_topics))
            all.insert(all.end(), topic->subscribers->begin(), topic->subscribers->end());
        all.insert(all.end(), m_any->begin(), m_any->end());
        for (const auto &s : all)
            removeLocked(s.get(), true, removal);
        dispatchers.swap(m_dispatchers);
    }
    for (const auto &connection : removal.connections)
        QObject::disconnect(connection);
    for (const auto &sink : removal.abandoned)
        sink->abandon(QStringLiteral("the aioevt::Manager was destroyed"));

    QThread *serviceThread;
    {
        QMutexLocker lock(&m_serviceMutex);
        m_serviceClosed = true;
        serviceThread = std::exchange(m_serviceThread, nullptr);
        m_service = nullptr;
    }
    if (serviceThread) {
        serviceThread->quit();
        serviceThread->wait(); // the service object is deleted on the way out
        AIOEVT_HAPPENS_AFTER(serviceThread); // pairs with the finished() connection and ~Service
        delete serviceThread;
    }
    for (const auto &dispatcher : std::as_const(dispatchers))
        dispatcher->shutdown();

    QWriteLocker lock(&m_reportLock);
    q = nullptr;
}

} // namespace aioevt
