// SPDX-License-Identifier: MIT
#include "eventlistener_p.h"

#include <aioevt/manager.h>

namespace aioevt {

EventListener::EventListener(QObject *parent) : QObject(parent) { }

EventListener::~EventListener() = default; // the ScopedSubscription unregisters

void EventListener::setName(const QString &name)
{
    if (name == m_name)
        return;
    m_name = name;
    Q_EMIT nameChanged();
    resubscribe();
}

void EventListener::setOnce(bool once)
{
    if (once == m_once)
        return;
    m_once = once;
    Q_EMIT onceChanged();
    resubscribe();
}

void EventListener::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    Q_EMIT enabledChanged();
    resubscribe();
}

void EventListener::componentComplete()
{
    m_complete = true;
    resubscribe();
}

void EventListener::resubscribe()
{
    if (!m_complete)
        return; // all properties first, then one subscription
    m_subscription = ScopedSubscription();
    if (m_enabled && !m_name.isEmpty()) {
        m_subscription = Manager::instance()->on(
            m_name, this,
            [this](const EventData &event) {
                if (m_once)
                    Q_EMIT activeChanged();
                Q_EMIT triggered(event.args, event.kwargs);
            },
            m_once ? Once : Recurring);
    }
    Q_EMIT activeChanged();
}

} // namespace aioevt
