// SPDX-License-Identifier: MIT
#include "request_p.h"

#include "manager_p.h"

#include <aioevt/cancelederror.h>
#include <aioevt/timeouterror.h>

namespace aioevt::detail {

Request::Request(QString name, std::chrono::milliseconds timeout,
                 std::weak_ptr<ManagerPrivate> manager)
    : m_name(std::move(name)), m_timeout(timeout), m_manager(std::move(manager))
{
    m_promise.start();
}

Request::~Request()
{
    // Only the emission and unfinished answers hold a request: none can answer now.
    QMutexLocker lock(&m_mutex);
    if (m_done)
        return;
    m_done = true;
    m_promise.setException(CanceledError(
        QStringLiteral("aioevt: request \"%1\" ended: its deliveries were dropped").arg(m_name)));
    m_promise.finish();
}

void Request::setTimer(quint64 handle)
{
    m_timer.store(handle);
    QMutexLocker lock(&m_mutex);
    if (m_done) { // ended before the timer existed
        lock.unlock();
        if (auto manager = m_manager.lock())
            manager->cancelTimer(m_timer.exchange(0));
    }
}

void Request::expect(const Subscriber *s)
{
    QMutexLocker lock(&m_mutex);
    m_slots.insert(s, m_answers.size());
    m_answers.append(QVariant());
    ++m_missing;
}

void Request::seal()
{
    QMutexLocker lock(&m_mutex);
    m_sealed = true;
    if (!m_done && m_missing == 0)
        finishLocked();
}

void Request::answer(const Subscriber *s, const QVariant &value)
{
    QMutexLocker lock(&m_mutex);
    const auto slot = m_slots.find(s);
    if (m_done || slot == m_slots.end())
        return;
    m_answers[*slot] = value;
    m_slots.erase(slot); // one answer per callback
    if (--m_missing == 0 && m_sealed)
        finishLocked();
}

void Request::fail(std::exception_ptr error)
{
    QMutexLocker lock(&m_mutex);
    if (m_done)
        return;
    m_done = true;
    m_promise.setException(error);
    m_promise.finish();
    lock.unlock();
    if (auto manager = m_manager.lock())
        manager->cancelTimer(m_timer.exchange(0));
}

void Request::timedOut()
{
    QMutexLocker lock(&m_mutex);
    m_timer.store(0);
    if (m_done)
        return;
    m_done = true;
    m_promise.setException(
        TimeoutError(QStringLiteral("aioevt: request \"%1\": %2 of %3 answers missing after %4 ms")
                         .arg(m_name)
                         .arg(m_missing)
                         .arg(m_answers.size())
                         .arg(m_timeout.count())));
    m_promise.finish();
}

void Request::finishLocked()
{
    m_done = true;
    m_promise.addResult(m_answers);
    m_promise.finish();
    if (const quint64 timer = m_timer.exchange(0)) {
        if (auto manager = m_manager.lock())
            manager->cancelTimer(timer);
    }
}

} // namespace aioevt::detail
