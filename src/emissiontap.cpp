// SPDX-License-Identifier: MIT
#include "emissiontap_p.h"

#include "manager_p.h"

#include <aioevt/manager.h>

namespace aioevt::detail {

namespace {

class TapSink final : public Sink
{
public:
    explicit TapSink(std::function<void(const EventData &)> tap) : m_tap(std::move(tap)) { }
    void offer(const EventData &event, Subscriber &) override { m_tap(event); }
    void abandon(const QString &) override { }

private:
    const std::function<void(const EventData &)> m_tap;
};

} // namespace

Subscription EmissionTaps::add(Manager *manager, std::function<void(const EventData &)> tap)
{
    if (!manager || !tap)
        return {};
    auto s = std::make_shared<Subscriber>();
    s->kind = SubscriberKind::Any; // every name; served at emission time through its sink
    s->sink = std::make_shared<TapSink>(std::move(tap));
    return manager->d->add(s, nullptr);
}

} // namespace aioevt::detail
