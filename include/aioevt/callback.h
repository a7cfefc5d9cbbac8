// SPDX-License-Identifier: MIT
#pragma once

// Internal machinery for Manager::on(): turns any supported callable into a CallableBase
// that receives an EventData. Not part of the documented API; names may change.

#include <aioevt/aioevt_export.h>
#include <aioevt/eventdata.h>

#include <QtCore/qbytearray.h>
#include <QtCore/qfuture.h>
#include <QtCore/qobject.h>
#include <QtCore/qvariant.h>

#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace QCoro {
template<typename T> class Task; // only named here; <aioevt/coro.h> brings the support
}

namespace aioevt::detail {

/* What one call of a callback produced. */
struct CallOutcome
{
    bool mismatch = false; // the arguments did not fit; the callback did not run
    QString problem; // why, when mismatch is true
    QVariant result; // the callback's return value; invalid for void
    // A QFuture or coroutine callback's answer, which comes later. Optional: a default
    // QFuture allocates, and a plain callback must not pay for that.
    std::optional<QFuture<QVariant>> pending;
    std::shared_ptr<const void> keepAlive; // the async callable, until `pending` ends
};

template<typename> inline constexpr bool dependentFalse = false;

template<typename T> struct IsCoroTask : std::false_type
{ };
template<typename T> struct IsCoroTask<QCoro::Task<T>> : std::true_type
{ };

/* How a callback's return value becomes its answer: a plain value at once. Specialised
   below for QFuture<T>, and in <aioevt/coro.h> for QCoro::Task<T>. */
template<typename R, typename = void> struct Answer
{
    static void keep(R &&value, CallOutcome &outcome)
    {
        static_assert(!IsCoroTask<R>::value,
                      "aioevt: include <aioevt/coro.h> to register QCoro::Task callbacks");
        outcome.result = QVariant::fromValue(std::move(value));
    }
};

/* A QFuture<T> as a QFuture<QVariant>; it fails as the original fails. */
template<typename T> QFuture<QVariant> futureAnswer(QFuture<T> future)
{
    return future.then(QtFuture::Launch::Sync, [](QFuture<T> done) {
        if constexpr (std::is_void_v<T>) {
            done.waitForFinished(); // rethrows a stored exception
            return QVariant();
        } else {
            return QVariant::fromValue(done.result()); // rethrows a stored exception
        }
    });
}

template<typename T> struct Answer<QFuture<T>>
{
    static void keep(QFuture<T> &&future, CallOutcome &outcome)
    {
        outcome.pending = futureAnswer(std::move(future));
    }
};

class AIOEVT_EXPORT CallableBase
{
public:
    virtual ~CallableBase();
    /* Runs the callback with the event; may throw what the callback throws. */
    virtual void invoke(const EventData &event, CallOutcome &outcome) = 0;
};

/* Converts one emitted argument; out-of-line so that the template stays small. */
AIOEVT_EXPORT bool convertArgument(const QVariant &value, QMetaType target, void *out,
                                   qsizetype index, CallOutcome &outcome);
AIOEVT_EXPORT void reportTooFewArguments(qsizetype expected, qsizetype given, CallOutcome &outcome);

template<typename... A> struct TypeList
{ };

template<typename F, typename = void> struct Signature
{
    static constexpr bool known = false;
};
template<typename R, typename... A> struct FunctionSignature
{
    static constexpr bool known = true;
    using Result = R;
    using Args = TypeList<A...>;
};
template<typename R, typename... A> struct Signature<R (*)(A...)> : FunctionSignature<R, A...>
{ };
template<typename R, typename... A>
struct Signature<R (*)(A...) noexcept> : FunctionSignature<R, A...>
{ };
template<typename R, typename C, typename... A>
struct Signature<R (C::*)(A...)> : FunctionSignature<R, A...>
{ };
template<typename R, typename C, typename... A>
struct Signature<R (C::*)(A...) const> : FunctionSignature<R, A...>
{ };
template<typename R, typename C, typename... A>
struct Signature<R (C::*)(A...) noexcept> : FunctionSignature<R, A...>
{ };
template<typename R, typename C, typename... A>
struct Signature<R (C::*)(A...) const noexcept> : FunctionSignature<R, A...>
{ };
template<typename F>
struct Signature<F, std::void_t<decltype(&F::operator())>> : Signature<decltype(&F::operator())>
{ };

template<typename T> inline constexpr bool isEventData = std::is_same_v<std::decay_t<T>, EventData>;

template<typename T> struct IsStdFunction : std::false_type
{ };
template<typename T> struct IsStdFunction<std::function<T>> : std::true_type
{ };

template<typename T>
bool convertOne(const QVariantList &args, qsizetype index, T &out, CallOutcome &outcome)
{
    if constexpr (std::is_same_v<T, QVariant>) {
        out = args.at(index);
        return true;
    } else {
        const QVariant &value = args.at(index);
        if (value.metaType() == QMetaType::fromType<T>()) { // no conversion needed
            out = *static_cast<const T *>(value.constData());
            return true;
        }
        return convertArgument(value, QMetaType::fromType<T>(), &out, index, outcome);
    }
}

template<typename Result, typename Call> void callAndKeepResult(Call &&call, CallOutcome &outcome)
{
    if constexpr (std::is_void_v<Result>) {
        std::forward<Call>(call)();
    } else {
        using Value = std::decay_t<Result>;
        Answer<Value>::keep(Value(std::forward<Call>(call)()), outcome);
    }
}

template<typename Result, typename... A, typename F, std::size_t... I>
void invokeTyped(F &f, const EventData &event, CallOutcome &outcome, std::index_sequence<I...>)
{
    static_assert(
        ((!std::is_lvalue_reference_v<A> || std::is_const_v<std::remove_reference_t<A>>)&&...),
        "aioevt: callback parameters must be values or const references");
    if (event.args.size() < qsizetype(sizeof...(A))) {
        reportTooFewArguments(qsizetype(sizeof...(A)), event.args.size(), outcome);
        return;
    }
    std::tuple<std::decay_t<A>...> values;
    if (!(convertOne(event.args, qsizetype(I), std::get<I>(values), outcome) && ...))
        return;
    callAndKeepResult<Result>([&] { return std::invoke(f, std::move(std::get<I>(values))...); },
                              outcome);
}

template<typename Result, typename... A, typename F>
void invokeWithSignature(TypeList<A...>, F &f, const EventData &event, CallOutcome &outcome)
{
    if constexpr (sizeof...(A) == 1 && (isEventData<A> && ...)) {
        callAndKeepResult<Result>([&] { return std::invoke(f, event); }, outcome);
    } else {
        invokeTyped<Result, A...>(f, event, outcome, std::index_sequence_for<A...>{});
    }
}

/* Calls f with what the event offers, as f's parameter list asks. */
template<typename F> void invokeCallable(F &f, const EventData &event, CallOutcome &outcome)
{
    using S = Signature<F>;
    if constexpr (S::known) {
        invokeWithSignature<typename S::Result>(typename S::Args{}, f, event, outcome);
    } else if constexpr (std::is_invocable_v<F &, const EventData &>) {
        using R = std::invoke_result_t<F &, const EventData &>;
        callAndKeepResult<R>([&] { return std::invoke(f, event); }, outcome);
    } else if constexpr (std::is_invocable_v<F &>) {
        callAndKeepResult<std::invoke_result_t<F &>>([&] { return std::invoke(f); }, outcome);
    } else {
        static_assert(dependentFalse<F>,
                      "aioevt: a callback takes no parameters, const aioevt::EventData &, "
                      "or typed parameters");
    }
}

/* Whether a callback answers later (QFuture<T>, QCoro::Task<T>), from its return type. */
template<typename R> struct IsAsyncResult : std::false_type
{ };
template<typename T> struct IsAsyncResult<QFuture<T>> : std::true_type
{ };
template<typename T> struct IsAsyncResult<QCoro::Task<T>> : std::true_type
{ };
template<typename F, typename = void> struct CallResult
{
    using type = void;
};
template<typename F> struct CallResult<F, std::enable_if_t<Signature<F>::known>>
{
    using type = typename Signature<F>::Result;
};
template<typename F>
struct CallResult<
    F, std::enable_if_t<!Signature<F>::known && std::is_invocable_v<F &, const EventData &>>>
{
    using type = std::invoke_result_t<F &, const EventData &>;
};
template<typename F>
struct CallResult<
    F,
    std::enable_if_t<!Signature<F>::known
                     && !std::is_invocable_v<F &, const EventData &> && std::is_invocable_v<F &>>>
{
    using type = std::invoke_result_t<F &>;
};
template<typename F>
inline constexpr bool returnsAsync
    = IsAsyncResult<std::decay_t<typename CallResult<F>::type>>::value;

template<typename F> class Callable final : public CallableBase
{
    // An asynchronous callback is shared with its pending answers: unregistering (or a
    // Once) must not destroy the captures a suspended coroutine lambda still reads. A
    // plain one is stored inline, which keeps a subscription small.
    static constexpr bool isAsync = returnsAsync<F>;
    using Storage = std::conditional_t<isAsync, std::shared_ptr<F>, F>;

    static Storage store(F &&f)
    {
        if constexpr (isAsync)
            return std::make_shared<F>(std::move(f));
        else
            return std::move(f);
    }

public:
    explicit Callable(F f) : m_f(store(std::move(f))) { }
    void invoke(const EventData &event, CallOutcome &outcome) override
    {
        if constexpr (isAsync) {
            invokeCallable(*m_f, event, outcome);
            if (outcome.pending)
                outcome.keepAlive = m_f;
        } else {
            invokeCallable(m_f, event, outcome);
        }
    }

private:
    Storage m_f;
};

/* A member function bound to its receiver; the receiver's lifetime is guarded by the
   manager, which removes the subscription when the receiver is destroyed. */
template<typename Obj, typename Method> class MemberCallable final : public CallableBase
{
public:
    MemberCallable(Obj *receiver, Method method) : m_receiver(receiver), m_method(method) { }
    void invoke(const EventData &event, CallOutcome &outcome) override
    {
        auto bound = [this](auto &&...args) -> decltype(auto) {
            return std::invoke(m_method, m_receiver, std::forward<decltype(args)>(args)...);
        };
        using S = Signature<Method>;
        invokeWithSignature<typename S::Result>(typename S::Args{}, bound, event, outcome);
    }

private:
    Obj *m_receiver;
    Method m_method;
};

/* A QObject pointer is a context or receiver, never a callback. */
template<typename F, typename D = std::decay_t<F>>
inline constexpr bool isCallback
    = !std::is_convertible_v<
          D,
          const QObject
              *> && !std::is_member_pointer_v<D> && !std::is_convertible_v<D, QString> && (std::is_class_v<D> || std::is_function_v<std::remove_pointer_t<D>>);

template<typename F> using EnableIfCallback = std::enable_if_t<isCallback<F>, bool>;

template<typename F, typename D = std::decay_t<F>>
inline constexpr bool isFunctionPointer
    = std::is_member_function_pointer_v<
          D> || (std::is_pointer_v<D> && std::is_function_v<std::remove_pointer_t<D>>);

/* The identity of a function or member-function pointer, for unregister(function). */
template<typename F> QByteArray functionKey(F function)
{
    static_assert(std::is_trivially_copyable_v<F>);
    QByteArray key(int(sizeof(F)), Qt::Uninitialized);
    std::memcpy(key.data(), &function, sizeof(F));
    return key;
}

/* A callable as the registry keeps it; an empty callable gives a null pointer. */
struct CallbackParts
{
    std::unique_ptr<CallableBase> callable;
    QByteArray functionKey;
};

template<typename F> CallbackParts makeCallback(F &&callback)
{
    using D = std::decay_t<F>;
    CallbackParts parts;
    // A function reference is never null; pointers and std::function may be empty.
    if constexpr (!std::is_function_v<std::remove_reference_t<
                      F>> && (std::is_pointer_v<D> || IsStdFunction<D>::value)) {
        if (!callback)
            return parts;
    }
    if constexpr (std::is_pointer_v<D>)
        parts.functionKey = functionKey(D(callback));
    parts.callable = std::make_unique<Callable<D>>(std::forward<F>(callback));
    return parts;
}

template<typename Obj, typename Method>
CallbackParts makeMemberCallback(Obj *receiver, Method method)
{
    CallbackParts parts;
    if (!receiver || !method)
        return parts;
    parts.functionKey = functionKey(method);
    parts.callable = std::make_unique<MemberCallable<Obj, Method>>(receiver, method);
    return parts;
}

} // namespace aioevt::detail
