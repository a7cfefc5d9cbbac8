// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>
#include <aioevt/subscription.h>

namespace aioevt {

/*!
    The move-only RAII form of \c Subscription: unregisters when it is destroyed or
    assigned over. Use it as a member of the object whose lifetime should bound the
    subscription. Destroying it from any thread is safe.
*/
class AIOEVT_EXPORT ScopedSubscription
{
public:
    ScopedSubscription() noexcept = default;
    /*! Takes over \a subscription; it is unregistered when this object goes away. */
    ScopedSubscription(Subscription subscription) noexcept; // NOLINT(google-explicit-constructor)
    ~ScopedSubscription();

    ScopedSubscription(ScopedSubscription &&other) noexcept;
    ScopedSubscription &operator=(ScopedSubscription &&other) noexcept;
    ScopedSubscription(const ScopedSubscription &) = delete;
    ScopedSubscription &operator=(const ScopedSubscription &) = delete;

    /*! The handle it guards (still valid after release()). */
    const Subscription &subscription() const noexcept { return m_subscription; }
    bool isValid() const noexcept { return m_subscription.isValid(); }
    bool isActive() const noexcept { return m_subscription.isActive(); }

    /*! Unregisters now; returns whether a registration was removed. */
    bool unregister();

    /*! Gives up ownership without unregistering and returns the handle. */
    Subscription release() noexcept;

private:
    Subscription m_subscription;
};

} // namespace aioevt
