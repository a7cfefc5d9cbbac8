// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qcoreapplication.h>

// ThreadSanitizer annotations for hand-offs that travel through Qt's posted-event queue.
// Qt is not built with ThreadSanitizer, so it cannot see that posting an event
// happens-before the event runs; aioevt says so itself where it relies on it.
// AIOEVT_TSAN is defined by the build when AIOEVT_SANITIZE contains "thread".

#if defined(AIOEVT_TSAN)
extern "C" void __tsan_acquire(void *address);
extern "C" void __tsan_release(void *address);
extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();
// Qt's posted-event list is guarded by Qt's own (uninstrumented) lock; the memory
// functions Qt calls under it would otherwise look like races between posting threads.
#define AIOEVT_POST_EVENT(receiver, event)                                                         \
    do {                                                                                           \
        __tsan_ignore_thread_begin();                                                              \
        QCoreApplication::postEvent(receiver, event);                                              \
        __tsan_ignore_thread_end();                                                                \
    } while (false)
#define AIOEVT_HAPPENS_BEFORE(address)                                                             \
    __tsan_release(const_cast<void *>(static_cast<const void *>(address)))
#define AIOEVT_HAPPENS_AFTER(address)                                                              \
    __tsan_acquire(const_cast<void *>(static_cast<const void *>(address)))
#else
#define AIOEVT_POST_EVENT(receiver, event) QCoreApplication::postEvent(receiver, event)
#define AIOEVT_HAPPENS_BEFORE(address) static_cast<void>(address)
#define AIOEVT_HAPPENS_AFTER(address) static_cast<void>(address)
#endif
