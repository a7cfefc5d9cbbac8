// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#if defined(AIOEVT_QML_STATIC)
#define AIOEVT_QML_EXPORT
#elif defined(AIOEVT_BUILDING_QML)
#define AIOEVT_QML_EXPORT Q_DECL_EXPORT
#else
#define AIOEVT_QML_EXPORT Q_DECL_IMPORT
#endif

namespace aioevt {

/*!
    Registers the QML module \c Aioevt (the \c EventManager singleton and the
    \c EventListener element) by hand, for applications that link \c aioevt::qml (or the
    \c aioevt-qml library through pkg-config/qmake) instead of importing the installed
    QML plugin. Call it once, on the main thread, before loading QML. Importing the
    plugin needs no call. Idempotent.
*/
AIOEVT_QML_EXPORT void registerQmlTypes();

} // namespace aioevt
