// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qstring.h>
#include <QtCore/qvariant.h>

#include <atomic>
#include <memory>

namespace aioevt {
class ManagerPrivate;
}

namespace aioevt::detail {

/* The state of one emitAfter(): fired or cancelled, whichever comes first. */
struct DelayedEmission
{
    enum Status { Pending, Fired, Canceled };

    std::atomic<int> status{Pending};
    std::atomic<quint64> timer{0};
    std::weak_ptr<ManagerPrivate> manager;
    QString name;
    QVariantList args;
    QVariantMap kwargs;

    void fire();
    bool cancel();
};

} // namespace aioevt::detail
