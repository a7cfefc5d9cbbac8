// SPDX-License-Identifier: MIT
#include <aioevt/emitter.h>
#include <aioevt/manager.h>

#include "logging_p.h"
#include "manager_p.h"

namespace aioevt {

Emitter::Emitter() noexcept = default;

Emitter::Emitter(const QString &name) : Emitter(Manager::instance(), name) { }

Emitter::Emitter(Manager *manager, const QString &name)
{
    if (!manager || name.isEmpty()) {
        qCWarning(lcAioevt, "Emitter: %s; it will emit nothing",
                  manager ? "the event name is empty" : "the manager is null");
        return;
    }
    m_manager = manager->d;
    m_topic = manager->d->topicFor(name);
}

QString Emitter::name() const
{
    return m_topic ? m_topic->name : QString();
}

void Emitter::emitEvent(const QVariantList &args, const QVariantMap &kwargs) const
{
    if (m_topic)
        m_manager->emitTopic(*m_topic, args, kwargs);
}

} // namespace aioevt
