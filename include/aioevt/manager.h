// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>
#include <aioevt/callback.h>
#include <aioevt/emitter.h>
#include <aioevt/eventdata.h>
#include <aioevt/global.h>
#include <aioevt/pendingemission.h>
#include <aioevt/subscription.h>

#include <QtCore/qfuture.h>
#include <QtCore/qobject.h>
#include <QtCore/qstringlist.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace aioevt {

class ManagerPrivate;
namespace detail {
struct EmissionTaps; // for aioevt's add-on libraries
}

/*!
    A thread-safe manager of named events: the Qt port of Python aioevt's \c Manager.

    Any thread emits a name with arguments; every callback registered for that name runs
    on the event loop of the thread it chose; any thread can wait for the next emission.

    \b Threads. Every member function may be called from any thread, including threads
    that run no event loop and threads not created by Qt (a \c QCoreApplication must
    exist). Callbacks never run inside \c emitEvent(): they are queued to their target
    thread and run when that thread's event loop processes events.

    \b Ordering. Deliveries from one emitting thread to one target thread run in emission
    order; the subscribers of one name on one target thread run in registration order.
    Registering and unregistering inside a callback is allowed; a registration takes
    effect for the next emission; an unregistration is final at once.

    \b Errors. Bad input (an empty name, an empty callable, a finished thread) gives an
    invalid result and a warning on the logging category \c aioevt; a callback that throws
    is caught and reported through \c callbackFailed(); deliveries that cannot happen
    (their thread ended) are reported through \c deliveryFailed(). Nothing crashes.
*/
class AIOEVT_EXPORT Manager : public QObject
{
    Q_OBJECT

public:
    /*! A predicate a waiting call applies to each emission; \c false keeps waiting. */
    using Predicate = std::function<bool(const EventData &)>;

    explicit Manager(QObject *parent = nullptr);
    /*! Ends every subscription, turns queued deliveries into no-ops and ends pending
        \c wait() futures as cancelled (with a \c CanceledError). Call it from the thread
        the manager lives in. */
    ~Manager() override;

    /*! The process-wide default manager, the one QML's \c EventManager uses. Created on
        first use and destroyed with the \c QCoreApplication. Any thread; O(1). */
    static Manager *instance();

    // --- Registering -------------------------------------------------------------

    /*!
        Registers \a callback for the event \a name.

        The callback runs on \a thread's event loop, or on the thread calling \c on()
        when \a thread is null. A thread whose loop has not started yet gets its
        deliveries once it starts; when that thread finishes or is destroyed, the
        subscription ends. A thread that never runs an event loop (a plain
        \c std::thread) runs its callbacks only when it processes events, for instance
        inside \c waitFor().

        The callback takes no parameters, \c const \c EventData&, or typed parameters
        that receive the emitted arguments converted as QVariant converts them (it may
        take fewer than were emitted). Arguments that are missing or do not convert skip
        this callback for that emission with a warning; the other subscribers still run.

        Returns an invalid \c Subscription, with a warning, for an empty name, an empty
        callable or a thread that has finished. Any thread; O(subscribers of \a name).
    */
    template<typename F, detail::EnableIfCallback<F> = true>
    Subscription on(const QString &name, F &&callback, QThread *thread = nullptr,
                    Recurrence recurrence = Recurring)
    {
        return subscribe(name, detail::makeCallback(std::forward<F>(callback)), thread, nullptr,
                         recurrence);
    }

    /*! As above, on the calling thread, with the given recurrence. */
    template<typename F, detail::EnableIfCallback<F> = true>
    Subscription on(const QString &name, F &&callback, Recurrence recurrence)
    {
        return on(name, std::forward<F>(callback), nullptr, recurrence);
    }

    /*!
        Registers \a callback to run on \a context's thread, as Qt's four-argument
        \c connect() does. The thread is the context's thread at delivery time, so the
        subscription follows \c moveToThread(). It ends when \a context is destroyed.
        Any thread; O(subscribers of \a name).
    */
    template<typename F, detail::EnableIfCallback<F> = true>
    Subscription on(const QString &name, const QObject *context, F &&callback,
                    Recurrence recurrence = Recurring)
    {
        return subscribe(name, detail::makeCallback(std::forward<F>(callback)), nullptr, context,
                         recurrence, !context);
    }

    /*!
        Registers the member function \a method of \a receiver (a QObject), run on the
        receiver's thread at delivery time. Ends when the receiver is destroyed; also
        removed by \c unregister(receiver) and \c unregister(method).
        Any thread; O(subscribers of \a name).
    */
    template<typename Obj, typename Method,
             std::enable_if_t<std::is_member_function_pointer_v<
                                  Method> && std::is_base_of_v<QObject, std::remove_const_t<Obj>>,
                              bool> = true>
    Subscription on(const QString &name, Obj *receiver, Method method,
                    Recurrence recurrence = Recurring)
    {
        return subscribe(name, detail::makeMemberCallback(receiver, method), nullptr, receiver,
                         recurrence, !receiver);
    }

    /*! \c on(name, callback, thread, Once): runs for exactly one emission, even when many
        threads emit at the same moment, and is inactive as soon as that emission returns. */
    template<typename F, detail::EnableIfCallback<F> = true>
    Subscription once(const QString &name, F &&callback, QThread *thread = nullptr)
    {
        return on(name, std::forward<F>(callback), thread, Once);
    }
    /*! \c on(name, context, callback, Once). */
    template<typename F, detail::EnableIfCallback<F> = true>
    Subscription once(const QString &name, const QObject *context, F &&callback)
    {
        return on(name, context, std::forward<F>(callback), Once);
    }
    /*! \c on(name, receiver, method, Once). */
    template<typename Obj, typename Method,
             std::enable_if_t<std::is_member_function_pointer_v<
                                  Method> && std::is_base_of_v<QObject, std::remove_const_t<Obj>>,
                              bool> = true>
    Subscription once(const QString &name, Obj *receiver, Method method)
    {
        return on(name, receiver, method, Once);
    }

    /*!
        Registers \a callback for every emission of every name (the \c EventData carries
        the name): for tracing, logging and bridges. Runs on \a thread (or the calling
        thread); not counted by \c subscriberCount(). Any thread; O(onAny subscribers).
    */
    template<typename F, detail::EnableIfCallback<F> = true>
    Subscription onAny(F &&callback, QThread *thread = nullptr)
    {
        return subscribeAny(detail::makeCallback(std::forward<F>(callback)), thread, nullptr);
    }
    /*! \c onAny() on \a context's thread, ending when \a context is destroyed. */
    template<typename F, detail::EnableIfCallback<F> = true>
    Subscription onAny(const QObject *context, F &&callback)
    {
        return subscribeAny(detail::makeCallback(std::forward<F>(callback)), nullptr, context,
                            !context);
    }

    // --- Emitting ----------------------------------------------------------------

    /*!
        Emits \a name with positional \a args and keyword \a kwargs. Never blocks on
        callbacks: each subscriber's call is queued to its thread and all share one copy
        of the data. Any thread, including threads without an event loop. An empty name
        warns and does nothing. Costs one hash lookup plus O(subscribers of \a name);
        a name without subscribers costs only the lookup.
    */
    void emitEvent(const QString &name, const QVariantList &args = {},
                   const QVariantMap &kwargs = {});

    /*! Emits \a name with the arguments of \a event (its \c name field is not used). */
    template<typename T, std::enable_if_t<std::is_same_v<T, EventData>, bool> = true>
    void emitEvent(const QString &name, const T &event)
    {
        emitEvent(name, event.args, event.kwargs);
    }

    /*!
        Emits \a name after \a delay, from the manager's service thread. Returns a handle
        whose \c cancel() stops it. Any thread, including threads without an event loop
        (no timer is started on the calling thread). O(1) plus the emission.
    */
    PendingEmission emitAfter(std::chrono::milliseconds delay, const QString &name,
                              const QVariantList &args = {}, const QVariantMap &kwargs = {});
    /*! \overload
        With \a delayMs in milliseconds. */
    PendingEmission emitAfter(int delayMs, const QString &name, const QVariantList &args = {},
                              const QVariantMap &kwargs = {});

    /*! An \c Emitter for \a name on this manager; it resolves the name once. Any thread. */
    Emitter emitter(const QString &name);

    // --- Waiting -----------------------------------------------------------------

    /*!
        Waits for the next emission of \a name that \a predicate accepts. Subscribes at
        the moment of the call, so an emission right after it cannot be missed. The
        future is fulfilled at emission time on the emitting thread and needs no event
        loop on the waiting side. It fails with \c TimeoutError after \a timeout
        (negative: never); cancelling it removes the waiter; destroying the manager ends
        it as cancelled with a \c CanceledError. The waiter counts as one subscriber of
        \a name until it ends. An empty name gives an already failed future
        (\c std::invalid_argument). Any thread; O(subscribers of \a name).
    */
    QFuture<EventData> wait(const QString &name, std::chrono::milliseconds timeout = Forever,
                            Predicate predicate = {});
    /*! \overload
        With \a timeoutMs in milliseconds. */
    QFuture<EventData> wait(const QString &name, int timeoutMs, Predicate predicate = {});

    /*!
        Blocking-style wait: runs a local \c QEventLoop with a \c QTimer on the calling
        thread until the next emission of \a name that \a predicate accepts, or until
        \a timeout passes (then returns \c std::nullopt). It listens only from the call
        on: to trigger a reply, queue the trigger on this thread (it then runs inside the
        wait), or use \c wait(), which returns before the trigger. The thread's other queued work,
        aioevt deliveries included, keeps running meanwhile. Works on any thread,
        including plain \c std::threads. The waiter is removed on return.
    */
    std::optional<EventData> waitFor(const QString &name,
                                     std::chrono::milliseconds timeout = Forever,
                                     Predicate predicate = {});
    /*! \overload
        With \a timeoutMs in milliseconds. */
    std::optional<EventData> waitFor(const QString &name, int timeoutMs, Predicate predicate = {});

    /*!
        Waits for the next emission of any of \a names and gives that one. Subscribes to
        every name at the moment of the call; once one arrives (or on timeout,
        cancellation, destruction of the manager) every waiter is removed. Fails like
        \c wait(): \c TimeoutError, \c CanceledError, and \c std::invalid_argument for
        an empty list or an empty name. Each name counts one subscriber while pending.
        Any thread; O(names + subscribers of them).
    */
    QFuture<EventData> waitAny(const QStringList &names,
                               std::chrono::milliseconds timeout = Forever);
    /*! \overload
        With \a timeoutMs in milliseconds. */
    QFuture<EventData> waitAny(const QStringList &names, int timeoutMs);

    /*!
        Waits until each of \a names has been emitted at least once since the call and
        gives, in the order of \a names, the first emission of each (a name listed twice
        counts once). Each name's waiter is removed as soon as it is served, the rest on
        timeout, cancellation or destruction of the manager. Fails like \c waitAny().
        Any thread; O(names + subscribers of them).
    */
    QFuture<QList<EventData>> waitAll(const QStringList &names,
                                      std::chrono::milliseconds timeout = Forever);
    /*! \overload
        With \a timeoutMs in milliseconds. */
    QFuture<QList<EventData>> waitAll(const QStringList &names, int timeoutMs);

    // --- Request and reply -------------------------------------------------------

    /*!
        Emits \a name like \c emitEvent() and collects the answer of every callback
        subscribed to \a name with \c on() or \c once() at that moment, in registration
        order: its return value, or the result of the \c QFuture or \c QCoro::Task it
        returns; a callback returning \c void, skipped for a mismatch, unregistered or
        dropped before it ran answers an invalid \c QVariant. Waiters and \c onAny()
        callbacks see the emission but do not answer. With no callback the future
        finishes at once with an empty list. It fails with the callback's exception when
        one throws or its future fails, with \c TimeoutError when not every answer came
        within \a timeout (negative: never), and with \c CanceledError when the manager
        is destroyed first. Nothing blocks: callbacks run on their threads as usual, one
        on the calling thread when its loop runs. Registers nothing, so it leaves no
        subscriber behind. Any thread; O(subscribers of \a name).
    */
    QFuture<QVariantList> request(const QString &name, const QVariantList &args = {},
                                  const QVariantMap &kwargs = {},
                                  std::chrono::milliseconds timeout = Forever);
    /*! \overload
        With \a timeoutMs in milliseconds. */
    QFuture<QVariantList> request(const QString &name, const QVariantList &args,
                                  const QVariantMap &kwargs, int timeoutMs);

    // --- Unregistering -----------------------------------------------------------
    // Each form may be called from any thread, callbacks included, and is final: once it
    // returns, the removed callbacks do not start again, queued calls included. A call
    // already running on another thread may still finish (unregister does not wait for
    // it, like QObject::disconnect). Each returns how many subscriptions it removed.

    /*! Removes every subscription and waiter of \a name. O(subscribers of \a name). */
    int unregister(const QString &name);
    /*! Removes one subscription. O(subscribers of its name). */
    int unregister(const Subscription &subscription);
    /*! Removes the subscriptions whose context or receiver is \a receiverOrContext.
        O(its subscriptions × subscribers of their names). */
    int unregister(const QObject *receiverOrContext);
    /*! Removes the subscriptions of a function or member-function pointer, through an
        index: O(its subscriptions × subscribers of their names), whatever the number of
        names registered. */
    template<typename Fn, std::enable_if_t<detail::isFunctionPointer<Fn>, bool> = true>
    int unregister(Fn function)
    {
        return unregisterFunction(detail::functionKey(function), nullptr);
    }
    /*! As above, only for the event \a name. */
    template<typename Fn, std::enable_if_t<detail::isFunctionPointer<Fn>, bool> = true>
    int unregister(const QString &name, Fn function)
    {
        return unregisterFunction(detail::functionKey(function), &name);
    }

    // --- Introspection -----------------------------------------------------------

    /*! The number of subscriptions and pending waiters of \a name (onAny subscriptions
        and EventSpy recorders are not counted). Any thread; O(1). */
    int subscriberCount(const QString &name) const;
    /*! \c subscriberCount(name) > 0. Any thread; O(1). */
    bool hasSubscribers(const QString &name) const;
    /*! The names that have at least one subscriber, sorted. Any thread; O(names). */
    QStringList eventNames() const;

Q_SIGNALS:
    /*! A callback (or the future it returned) threw or failed. Emitted on the thread
        that ran the callback. */
    void callbackFailed(const QString &name, const QString &message);
    /*! Deliveries of \a name were dropped because their target thread finished or was
        destroyed. One emission of this signal may cover several dropped deliveries.
        Emitted on the thread that noticed the loss. */
    void deliveryFailed(const QString &name, const QString &reason);

private:
    friend class ManagerPrivate;
    friend class Emitter;
    friend class EventSpy;
    friend struct detail::EmissionTaps;

    Subscription subscribe(const QString &name, detail::CallbackParts parts, QThread *thread,
                           const QObject *context, Recurrence recurrence, bool nullContext = false);
    Subscription subscribeAny(detail::CallbackParts parts, QThread *thread, const QObject *context,
                              bool nullContext = false);
    int unregisterFunction(const QByteArray &key, const QString *name);

    std::shared_ptr<ManagerPrivate> d;
};

} // namespace aioevt
