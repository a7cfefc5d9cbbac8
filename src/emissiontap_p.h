// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>
#include <aioevt/eventdata.h>
#include <aioevt/subscription.h>

#include <functional>

namespace aioevt {
class Manager;
}

namespace aioevt::detail {

/*
    For aioevt's own add-on libraries (the MQTT bridge), not public API: a tap sees every
    emission of every name on the emitting thread, inside emitEvent(), like an EventSpy.
    It is not counted and is removed with Subscription::unregister() or with the manager.
*/
struct AIOEVT_EXPORT EmissionTaps
{
    static Subscription add(Manager *manager, std::function<void(const EventData &)> tap);
};

} // namespace aioevt::detail
