// SPDX-License-Identifier: MIT
#include "waiter_p.h"

#include "dispatcher_p.h"
#include "logging_p.h"
#include "manager_p.h"

#include <aioevt/cancelederror.h>
#include <aioevt/timeouterror.h>

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

// --- BlockingWaiter -------------------------------------------------------------------

bool BlockingWaiter::finish(const EventData *event)
{
    QMutexLocker lock(&m_mutex);
    if (m_done)
        return false;
    m_done = true;
    if (event)
        m_result = *event;
    if (m_loop)
        QMetaObject::invokeMethod(m_loop, &QEventLoop::quit, Qt::QueuedConnection);
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
    QTimer timer;
    {
        QMutexLocker lock(&m_mutex);
        if (m_done)
            return std::move(m_result);
        m_loop = &loop;
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
    m_loop = nullptr;
    m_done = true; // a timeout: later emissions are not for us
    return std::move(m_result);
}

} // namespace aioevt::detail
