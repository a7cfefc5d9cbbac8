// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

// AIOEVT_EXPORT marks the symbols of the shared library; the library is built with
// hidden visibility, so everything a consumer links against carries this macro.
#if defined(AIOEVT_STATIC)
#define AIOEVT_EXPORT
#elif defined(AIOEVT_BUILDING_LIBRARY)
#define AIOEVT_EXPORT Q_DECL_EXPORT
#else
#define AIOEVT_EXPORT Q_DECL_IMPORT
#endif
