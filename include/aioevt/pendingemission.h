// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>

#include <memory>

namespace aioevt {

namespace detail {
struct DelayedEmission;
}
class Manager;

/*!
    The handle returned by \c Manager::emitAfter(). Copyable; copies refer to the same
    scheduled emission. All members may be called from any thread and are O(1).
*/
class AIOEVT_EXPORT PendingEmission
{
public:
    PendingEmission() noexcept;

    /*! False for the handle of a rejected call (empty name). */
    bool isValid() const noexcept { return bool(m_state); }

    /*! True until the emission happens, is cancelled, or its manager is destroyed. */
    bool isPending() const noexcept;

    /*! Stops the emission if it has not happened yet. Returns true when this call stopped
        it; false when it already happened, was already cancelled, or the handle is invalid. */
    bool cancel();

private:
    friend class Manager;
    explicit PendingEmission(std::shared_ptr<detail::DelayedEmission> state) noexcept;

    std::shared_ptr<detail::DelayedEmission> m_state;
};

} // namespace aioevt
