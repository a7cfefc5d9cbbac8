// SPDX-License-Identifier: MIT
#include "waiter_p.h"

#include "dispatcher_p.h"
#include "logging_p.h"
#include "manager_p.h"

#include <aioevt/cancelederror.h>
#include <aioevt/timeouterror.h>

#include "tsan_p.h"

#include <QtCore/qcoreapplication.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qtimer.h>

namespace aioevt::detail {

bool acceptsEvent(const Manager::Predicate &predicate, const EventData &event)
{
    if (!predicate)
        return true;
    try {
        return predicate(event);
    } catch (const std::exception &e) {
        qCWarning(lcAioevt, "a wait predicate of \"%s\" threw: %s", qUtf8Printable(event.name),
                  e.what());
    } catch (...) {
        qCWarning(lcAioevt, "a wait predicate of \"%s\" threw", qUtf8Printable(event.name));
    }
    return false;
}

void removeSelf(Subscriber &s)
{
    if (auto manager = s.manager.lock())
        manager->remove(&s, false);
}

// --- FutureWaiter ---------------------------------------------------------------------

FutureWaiter::FutureWaiter(QString name, std::chrono::milliseconds timeout,
                           Manager::Predicate predicate)
    : m_name(std::move(name)), m_timeout(timeout), m_predicate(std::move(predicate))
{
    m_promise.start();
}

void FutureWaiter::setTimer(quint64 handle)
{
    m_timer.store(handle);
    if (m_done.load()) // ended before the timer existed
        endRegistration();
}

void FutureWaiter::endRegistration()
{
    if (auto self = m_self.lock()) {
        if (auto manager = self->manager.lock()) {
            manager->remove(self.get(), false);
            manager->cancelTimer(m_timer.exchange(0));
        }
    }
}

void FutureWaiter::offer(const EventData &event, Subscriber &self)
{
    if (m_done.load(std::memory_order_acquire))
        return;
    if (m_promise.isCanceled()) { // the consumer gave up; the watcher may not have run yet
        canceledByConsumer();
        return;
    }
    if (!acceptsEvent(m_predicate, event) || m_done.exchange(true))
        return;
    removeSelf(self);
    if (auto manager = self.manager.lock())
        manager->cancelTimer(m_timer.exchange(0));
    m_promise.addResult(event);
    m_promise.finish();
}

void FutureWaiter::timedOut()
{
    if (m_done.exchange(true))
        return;
    m_timer.store(0);
    endRegistration();
    m_promise.setException(TimeoutError(
        QStringLiteral("aioevt: no \"%1\" event within %2 ms").arg(m_name).arg(m_timeout.count())));
    m_promise.finish();
}

void FutureWaiter::canceledByConsumer()
{
    if (m_done.exchange(true))
        return;
    endRegistration();
    m_promise.finish();
}

bool FutureWaiter::checkCancellation()
{
    if (m_done.load(std::memory_order_acquire))
        return true;
    if (!m_promise.isCanceled())
        return false;
    canceledByConsumer();
    return true;
}

void FutureWaiter::abandon(const QString &why)
{
    if (m_done.exchange(true))
        return;
    endRegistration();
    m_promise.setException(
        CanceledError(QStringLiteral("aioevt: wait for \"%1\" ended: %2").arg(m_name, why)));
    m_promise.finish();
}

// --- GroupWaiter ----------------------------------------------------------------------

template<typename Result>
GroupWaiter<Result>::GroupWaiter(QStringList names, std::chrono::milliseconds timeout)
    : m_names(std::move(names)),
      m_timeout(timeout),
      m_first(std::size_t(m_names.size())),
      m_missing(m_names.size())
{
    m_promise.start();
}

template<typename Result> void GroupWaiter<Result>::adopt(const SubscriberPtr &s)
{
    QMutexLocker lock(&m_mutex);
    m_subscribers.push_back(s);
}

template<typename Result> void GroupWaiter<Result>::registered()
{
    if (m_done.load()) // served or ended while the other names were being added
        endRegistrations();
}

template<typename Result> void GroupWaiter<Result>::setTimer(quint64 handle)
{
    m_timer.store(handle);
    if (m_done.load())
        endRegistrations();
}

template<typename Result> bool GroupWaiter<Result>::end()
{
    if (m_done.exchange(true))
        return false;
    endRegistrations();
    return true;
}

template<typename Result> void GroupWaiter<Result>::endRegistrations()
{
    std::vector<std::weak_ptr<Subscriber>> subscribers;
    {
        QMutexLocker lock(&m_mutex);
        subscribers = m_subscribers;
    }
    std::shared_ptr<ManagerPrivate> manager;
    for (const auto &weak : subscribers) {
        if (auto s = weak.lock()) {
            manager = s->manager.lock();
            if (manager)
                manager->remove(s.get(), false);
        }
    }
    if (manager)
        manager->cancelTimer(m_timer.exchange(0));
}

template<typename Result> void GroupWaiter<Result>::offer(const EventData &event, Subscriber &self)
{
    if (m_done.load(std::memory_order_acquire))
        return;
    if (m_promise.isCanceled()) {
        checkCancellation();
        return;
    }
    if constexpr (std::is_same_v<Result, EventData>) {
        if (!end())
            return;
        m_promise.addResult(event);
    } else {
        QList<EventData> all;
        {
            QMutexLocker lock(&m_mutex);
            const qsizetype index = m_names.indexOf(event.name);
            if (index < 0 || m_first[std::size_t(index)])
                return;
            m_first[std::size_t(index)] = event;
            if (--m_missing > 0) {
                lock.unlock();
                removeSelf(self); // this name is served; the others still count
                return;
            }
            for (auto &first : m_first)
                all.append(std::move(*first));
        }
        if (!end())
            return;
        m_promise.addResult(all);
    }
    m_promise.finish();
}

template<typename Result> void GroupWaiter<Result>::timedOut()
{
    m_timer.store(0);
    if (!end())
        return;
    m_promise.setException(TimeoutError(QStringLiteral("aioevt: %1 of \"%2\" within %3 ms")
                                            .arg(std::is_same_v<Result, EventData>
                                                     ? QStringLiteral("no emission")
                                                     : QStringLiteral("not every emission"))
                                            .arg(m_names.join(QStringLiteral("\", \"")))
                                            .arg(m_timeout.count())));
    m_promise.finish();
}

template<typename Result> bool GroupWaiter<Result>::checkCancellation()
{
    if (m_done.load(std::memory_order_acquire))
        return true;
    if (!m_promise.isCanceled())
        return false;
    if (end())
        m_promise.finish();
    return true;
}

template<typename Result> void GroupWaiter<Result>::abandon(const QString &why)
{
    if (!end())
        return;
    m_promise.setException(CanceledError(QStringLiteral("aioevt: wait for \"%1\" ended: %2")
                                             .arg(m_names.join(QStringLiteral("\", \"")), why)));
    m_promise.finish();
}

template class GroupWaiter<EventData>;
template class GroupWaiter<QList<EventData>>;

// --- BlockingWaiter -------------------------------------------------------------------

namespace {

QEvent::Type quitEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

} // namespace

void LoopQuitter::post()
{
    auto *quit = new QEvent(quitEventType());
    AIOEVT_HAPPENS_BEFORE(this); // pairs with event(): the result is visible to the waiter
    AIOEVT_POST_EVENT(this, quit);
}

bool LoopQuitter::event(QEvent *event)
{
    AIOEVT_HAPPENS_AFTER(this);
    if (event->type() != quitEventType())
        return QObject::event(event);
    m_loop->quit();
    return true;
}

bool BlockingWaiter::finish(const EventData *event)
{
    QMutexLocker lock(&m_mutex);
    if (m_done)
        return false;
    m_done = true;
    if (event)
        m_result = *event;
    if (m_quitter)
        m_quitter->post();
    return true;
}

void BlockingWaiter::offer(const EventData &event, Subscriber &self)
{
    if (acceptsEvent(m_predicate, event) && finish(&event))
        removeSelf(self);
}

void BlockingWaiter::abandon(const QString &)
{
    finish(nullptr);
}

std::optional<EventData> BlockingWaiter::exec(std::chrono::milliseconds timeout)
{
    QEventLoop loop;
    LoopQuitter quitter(&loop);
    QTimer timer;
    {
        QMutexLocker lock(&m_mutex);
        if (m_done)
            return std::move(m_result);
        m_quitter = &quitter;
    }
    if (timeout.count() >= 0) {
        timer.setSingleShot(true);
        timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeout);
    }
    Dispatcher::rearmCurrentThread(); // let deliveries queued behind us run meanwhile
    loop.exec();
    QMutexLocker lock(&m_mutex);
    m_quitter = nullptr;
    m_done = true; // a timeout: later emissions are not for us
    return std::move(m_result);
}

} // namespace aioevt::detail
