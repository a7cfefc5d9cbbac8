// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>

#include <QtCore/qstring.h>

#include <memory>

namespace aioevt {

class ManagerPrivate;
namespace detail {
struct Subscriber;
}

/*!
    A small copyable handle to one registration made with \c Manager::on(), \c once() or
    \c onAny(). Copies refer to the same registration. A handle does not keep the
    callback alive and does not unregister on destruction (see \c ScopedSubscription).

    All members may be called from any thread. Each is O(1) except \c unregister(), which
    costs O(subscribers of the same name).
*/
class AIOEVT_EXPORT Subscription
{
public:
    /*! An invalid handle: \c isValid() is false, \c id() is 0. */
    Subscription() noexcept;

    /*! True when this handle came from a successful registration, even after it ended. */
    bool isValid() const noexcept { return m_id != 0; }

    /*! True while the callback can still run for new emissions: not unregistered, not a
        consumed \c Once, its thread, context and manager still alive. */
    bool isActive() const noexcept;

    /*! Removes the registration. Once this returns, the callback does not start again,
        also not for deliveries that were already queued (a call already running on
        another thread may finish). Returns whether a registration was removed. */
    bool unregister();

    /*! A process-unique, non-zero number for valid handles. */
    quint64 id() const noexcept { return m_id; }

    /*! The event name; empty for \c onAny() subscriptions and invalid handles. */
    QString name() const { return m_name; }

    friend bool operator==(const Subscription &a, const Subscription &b) noexcept
    {
        return a.m_id == b.m_id;
    }
    friend bool operator!=(const Subscription &a, const Subscription &b) noexcept
    {
        return a.m_id != b.m_id;
    }

private:
    friend class ManagerPrivate;
    Subscription(std::weak_ptr<detail::Subscriber> subscriber, quint64 id, QString name);

    std::weak_ptr<detail::Subscriber> m_subscriber;
    quint64 m_id = 0;
    QString m_name;
};

} // namespace aioevt
