// SPDX-License-Identifier: MIT
#pragma once

// The umbrella header: everything of the core library.
#include <aioevt/aioevt_export.h>
#include <aioevt/cancelederror.h>
#include <aioevt/emitter.h>
#include <aioevt/eventdata.h>
#include <aioevt/eventspy.h>
#include <aioevt/global.h>
#include <aioevt/manager.h>
#include <aioevt/pendingemission.h>
#include <aioevt/scopedsubscription.h>
#include <aioevt/subscription.h>
#include <aioevt/timeouterror.h>
#include <aioevt/version.h>
