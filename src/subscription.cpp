// SPDX-License-Identifier: MIT
#include <aioevt/scopedsubscription.h>
#include <aioevt/subscription.h>

#include "manager_p.h"

namespace aioevt {

Subscription::Subscription() noexcept = default;

Subscription::Subscription(std::weak_ptr<detail::Subscriber> subscriber, quint64 id, QString name)
    : m_subscriber(std::move(subscriber)), m_id(id), m_name(std::move(name))
{ }

bool Subscription::isActive() const noexcept
{
    const auto s = m_subscriber.lock();
    return s && s->registered.load(std::memory_order_acquire);
}

bool Subscription::unregister()
{
    const auto s = m_subscriber.lock();
    if (!s)
        return false;
    const auto manager = s->manager.lock();
    return manager && manager->unregisterSubscription(*this);
}

ScopedSubscription::ScopedSubscription(Subscription subscription) noexcept
    : m_subscription(std::move(subscription))
{ }

ScopedSubscription::~ScopedSubscription()
{
    m_subscription.unregister();
}

ScopedSubscription::ScopedSubscription(ScopedSubscription &&other) noexcept
    : m_subscription(other.release())
{ }

ScopedSubscription &ScopedSubscription::operator=(ScopedSubscription &&other) noexcept
{
    if (this != &other) {
        m_subscription.unregister();
        m_subscription = other.release();
    }
    return *this;
}

bool ScopedSubscription::unregister()
{
    return m_subscription.unregister();
}

Subscription ScopedSubscription::release() noexcept
{
    return std::exchange(m_subscription, Subscription());
}

} // namespace aioevt
