// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>
#include <aioevt/eventdata.h>
#include <aioevt/global.h>
#include <aioevt/subscription.h>

#include <QtCore/qlist.h>

#include <chrono>
#include <memory>

namespace aioevt {

class Manager;
namespace detail {
struct SpyState;
}

/*!
    Records the emissions of one event name, for tests, like \c QSignalSpy. It records at
    emission time on the emitting thread, so it sees events from any thread without an
    event loop. A spy is not counted by \c Manager::subscriberCount(). Every member may be
    called from any thread; the accessors are O(1) (\c at() copies one record).
*/
class AIOEVT_EXPORT EventSpy
{
public:
    EventSpy(Manager *manager, const QString &name);
    ~EventSpy();
    EventSpy(const EventSpy &) = delete;
    EventSpy &operator=(const EventSpy &) = delete;

    /*! False when the manager was null or the name empty (a warning said why). */
    bool isValid() const;
    QString name() const;

    int count() const;
    int size() const { return count(); }
    bool isEmpty() const { return count() == 0; }
    /*! The \a i-th recorded emission (a copy). */
    EventData at(int i) const;
    EventData first() const { return at(0); }
    EventData last() const { return at(count() - 1); }
    EventData takeFirst();
    QList<EventData> events() const;
    void clear();

    /*!
        Runs a local event loop on the calling thread until an emission arrives after this
        call, or \a timeout passes. Returns whether one arrived. Like \c QSignalSpy::wait,
        the thread's other events keep being processed meanwhile.
    */
    bool wait(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
    bool wait(int timeoutMs) { return wait(std::chrono::milliseconds(timeoutMs)); }

private:
    std::shared_ptr<detail::SpyState> m_state;
    Subscription m_subscription;
};

} // namespace aioevt
