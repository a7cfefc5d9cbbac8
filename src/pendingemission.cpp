// SPDX-License-Identifier: MIT
#include <aioevt/pendingemission.h>

#include "delayedemission_p.h"
#include "manager_p.h"

namespace aioevt {

namespace detail {

void DelayedEmission::fire()
{
    int expected = Pending;
    if (!status.compare_exchange_strong(expected, Fired))
        return;
    if (auto m = manager.lock())
        m->emitEvent(name, args, kwargs);
}

bool DelayedEmission::cancel()
{
    int expected = Pending;
    if (!status.compare_exchange_strong(expected, Canceled))
        return false;
    if (auto m = manager.lock())
        m->cancelTimer(timer.exchange(0));
    return true;
}

} // namespace detail

PendingEmission::PendingEmission() noexcept = default;

PendingEmission::PendingEmission(std::shared_ptr<detail::DelayedEmission> state) noexcept
    : m_state(std::move(state))
{ }

bool PendingEmission::isPending() const noexcept
{
    if (!m_state || m_state->status.load() != detail::DelayedEmission::Pending)
        return false;
    const auto manager = m_state->manager.lock();
    return manager && !manager->isShutDown();
}

bool PendingEmission::cancel()
{
    return m_state && m_state->cancel();
}

} // namespace aioevt
