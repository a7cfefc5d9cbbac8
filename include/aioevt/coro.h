// SPDX-License-Identifier: MIT
#pragma once

/*!
    \file aioevt/coro.h
    C++20 coroutine support on QCoro (link \c aioevt::coro): callbacks returning
    \c QCoro::Task<T>, and \c aioevt::coro::wait(), an awaitable wait that gives
    \c std::nullopt on timeout instead of throwing. \c co_await on the futures of
    \c Manager::wait(), \c waitAny(), \c waitAll() and \c request() works as well (QCoro
    resumes the coroutine on the awaiting thread, whose event loop must run).
*/

#include <aioevt/manager.h>
#include <aioevt/timeouterror.h>

#include <QCoro/QCoroFuture>
#include <QCoro/QCoroTask>

#include <QtCore/qpromise.h>

#include <exception>
#include <memory>
#include <optional>

#if __cplusplus < 202002L
#error "aioevt/coro.h needs C++20"
#endif

namespace aioevt {

namespace detail {

/* Runs task to its end and hands its result (or exception) to promise. */
template<typename T>
QCoro::Task<> settleTask(QCoro::Task<T> task, std::shared_ptr<QPromise<QVariant>> promise)
{
    try {
        if constexpr (std::is_void_v<T>) {
            co_await task;
            promise->addResult(QVariant());
        } else {
            promise->addResult(QVariant::fromValue(co_await task));
        }
    } catch (...) {
        promise->setException(std::current_exception());
    }
    promise->finish();
}

/* A coroutine callback's answer: the task's result, once it has finished. */
template<typename T> struct Answer<QCoro::Task<T>>
{
    static void keep(QCoro::Task<T> &&task, CallOutcome &outcome)
    {
        auto promise = std::make_shared<QPromise<QVariant>>();
        promise->start();
        outcome.pending = promise->future();
        settleTask(std::move(task), std::move(promise)); // finishes by itself
    }
};

} // namespace detail

namespace coro {

/*!
    Awaits the next emission of \a name that \a predicate accepts, like
    \c Manager::wait(), but gives \c std::nullopt when \a timeout passes first instead
    of throwing \c TimeoutError (a \c CanceledError, when the manager is destroyed,
    still propagates). Subscribes when called, so an emission right after cannot be
    missed. Resumes on the awaiting thread, whose event loop must run. Call it from any
    thread; O(subscribers of \a name).
*/
inline QCoro::Task<std::optional<EventData>> wait(Manager &manager, QString name,
                                                  std::chrono::milliseconds timeout = Forever,
                                                  Manager::Predicate predicate = {})
{
    QFuture<EventData> future = manager.wait(name, timeout, std::move(predicate));
    try {
        co_return co_await future;
    } catch (const TimeoutError &) {
        co_return std::nullopt;
    }
}

} // namespace coro

} // namespace aioevt
