// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qloggingcategory.h>

namespace aioevt {
// Every warning of the library goes to the category "aioevt".
Q_DECLARE_LOGGING_CATEGORY(lcAioevt)
} // namespace aioevt
