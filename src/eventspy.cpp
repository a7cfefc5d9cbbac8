// SPDX-License-Identifier: MIT
#include <aioevt/eventspy.h>
#include <aioevt/manager.h>

#include "dispatcher_p.h"
#include "logging_p.h"
#include "manager_p.h"
#include "waiter_p.h"

#include <QtCore/qeventloop.h>
#include <QtCore/qtimer.h>

namespace aioevt {

namespace detail {

/* Records every emission at emission time; never consumes one. */
struct SpyState final : Sink
{
    QString name;
    mutable QMutex mutex; // guards the members below
    QList<EventData> events;
    quint64 total = 0;
    quint64 wanted = 0;
    LoopQuitter *quitter = nullptr; // set while wait() runs

    void offer(const EventData &event, Subscriber &) override
    {
        QMutexLocker lock(&mutex);
        events.append(event);
        if (++total >= wanted && quitter)
            quitter->post();
    }
    void abandon(const QString &) override { }
};

} // namespace detail

EventSpy::EventSpy(Manager *manager, const QString &name)
    : m_state(std::make_shared<detail::SpyState>())
{
    m_state->name = name;
    if (!manager || name.isEmpty()) {
        qCWarning(lcAioevt, "EventSpy: %s; it records nothing",
                  manager ? "the event name is empty" : "the manager is null");
        return;
    }
    auto s = std::make_shared<detail::Subscriber>();
    s->name = name;
    s->kind = detail::SubscriberKind::Spy;
    s->sink = m_state;
    m_subscription = manager->d->add(s, nullptr);
}

EventSpy::~EventSpy()
{
    m_subscription.unregister();
}

bool EventSpy::isValid() const
{
    return m_subscription.isValid();
}

QString EventSpy::name() const
{
    return m_state->name;
}

int EventSpy::count() const
{
    QMutexLocker lock(&m_state->mutex);
    return int(m_state->events.size());
}

EventData EventSpy::at(int i) const
{
    QMutexLocker lock(&m_state->mutex);
    if (i < 0 || i >= m_state->events.size()) {
        qCWarning(lcAioevt, "EventSpy::at(%d): out of range (count %d)", i,
                  int(m_state->events.size()));
        return {};
    }
    return m_state->events.at(i);
}

EventData EventSpy::takeFirst()
{
    QMutexLocker lock(&m_state->mutex);
    if (m_state->events.isEmpty()) {
        qCWarning(lcAioevt, "EventSpy::takeFirst(): nothing recorded");
        return {};
    }
    return m_state->events.takeFirst();
}

QList<EventData> EventSpy::events() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->events;
}

void EventSpy::clear()
{
    QMutexLocker lock(&m_state->mutex);
    m_state->events.clear();
}

bool EventSpy::wait(std::chrono::milliseconds timeout)
{
    QEventLoop loop;
    detail::LoopQuitter quitter(&loop);
    QTimer timer;
    {
        QMutexLocker lock(&m_state->mutex);
        m_state->wanted = m_state->total + 1;
        m_state->quitter = &quitter;
    }
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(std::max(timeout, std::chrono::milliseconds(0)));
    detail::Dispatcher::rearmCurrentThread();
    loop.exec();
    QMutexLocker lock(&m_state->mutex);
    m_state->quitter = nullptr;
    return m_state->total >= m_state->wanted;
}

} // namespace aioevt
