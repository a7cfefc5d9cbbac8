// SPDX-License-Identifier: MIT
#include "eventlistener_p.h"
#include "qmleventmanager_p.h"

#include <aioevt/qml.h>

namespace aioevt {

void registerQmlTypes()
{
    static const bool registered = [] {
        qmlRegisterSingletonType<QmlEventManager>("Aioevt", 1, 0, "EventManager",
                                                  &QmlEventManager::create);
        qmlRegisterType<EventListener>("Aioevt", 1, 0, "EventListener");
        return true;
    }();
    Q_UNUSED(registered)
}

} // namespace aioevt
