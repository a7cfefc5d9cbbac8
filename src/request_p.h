// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qfuture.h>
#include <QtCore/qhash.h>
#include <QtCore/qmutex.h>
#include <QtCore/qpromise.h>
#include <QtCore/qvariant.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <vector>

namespace aioevt {
class ManagerPrivate;
}

namespace aioevt::detail {

struct Subscriber;

/*
    The answers of one Manager::request(). The emission registers each callback it
    queues (expect), in registration order; answers arrive on any thread; the future
    ends once the emission is sealed and every expected callback has answered, or at the
    first failure, or on timeout. If nobody can answer any more (the emission was dropped
    with its manager), the destructor ends the future with a CanceledError.
*/
class Request
{
public:
    Request(QString name, std::chrono::milliseconds timeout, std::weak_ptr<ManagerPrivate> manager);
    ~Request();
    Request(const Request &) = delete;
    Request &operator=(const Request &) = delete;

    QFuture<QVariantList> future() { return m_promise.future(); }
    void setTimer(quint64 handle);

    void expect(const Subscriber *s); // the emitting thread, before seal()
    void seal(); // every expected callback is known
    void answer(const Subscriber *s, const QVariant &value); // any thread
    void fail(std::exception_ptr error); // any thread
    void timedOut();

private:
    void finishLocked(); // m_mutex held, m_done just set
    std::exception_ptr failureLocked();

    const QString m_name;
    const std::chrono::milliseconds m_timeout;
    const std::weak_ptr<ManagerPrivate> m_manager;
    std::atomic<quint64> m_timer{0};
    QMutex m_mutex; // guards the members below
    QHash<const Subscriber *, qsizetype> m_slots;
    QVariantList m_answers;
    qsizetype m_missing = 0;
    bool m_sealed = false;
    bool m_done = false;
    QPromise<QVariantList> m_promise;
};

} // namespace aioevt::detail
