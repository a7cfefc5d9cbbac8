// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>

#include <QtCore/qstring.h>
#include <QtCore/qstringview.h>
#include <QtCore/qvariant.h>

#include <memory>
#include <type_traits>
#include <utility>

namespace aioevt {

class Manager;
class ManagerPrivate;
namespace detail {
struct Topic;

// Turns one argument of Emitter::operator() into a QVariant; text becomes a QString.
template<typename T> QVariant toVariant(T &&value)
{
    using D = std::decay_t<T>;
    if constexpr (std::is_same_v<D, QVariant>) {
        return std::forward<T>(value);
    } else if constexpr (std::is_same_v<D, const char *> || std::is_same_v<D, char *>) {
        return QVariant(QString::fromUtf8(value));
    } else if constexpr (std::is_same_v<D, QLatin1String> || std::is_same_v<D, QStringView>) {
        return QVariant(value.toString());
    } else {
        return QVariant::fromValue(std::forward<T>(value));
    }
}
} // namespace detail

/*!
    A callable that emits one event name: the port of Python aioevt's
    \c proxy.some_name(*args). \c Emitter e(&manager, "progress"); \c e(42, "step") emits
    \c "progress" with arguments \c {42, "step"}. The name is resolved once, when the
    emitter is made, so each call skips the name lookup.

    Copyable and cheap to copy. Calls may come from any thread, like \c Manager::emitEvent();
    the callbacks run on their own target threads. Each call costs O(subscribers of the
    name). An emitter outliving its manager does nothing when called.
*/
class AIOEVT_EXPORT Emitter
{
public:
    /*! An emitter that does nothing (\c isValid() is false). */
    Emitter() noexcept;
    /*! Emits \a name on \c Manager::instance(). */
    explicit Emitter(const QString &name);
    /*! Emits \a name on \a manager. An empty name or null manager gives an invalid emitter
        and a warning. */
    Emitter(Manager *manager, const QString &name);

    bool isValid() const noexcept { return bool(m_topic); }
    QString name() const;

    /*! Emits with the given positional arguments, each stored as a QVariant. */
    template<typename... Args> void operator()(Args &&...args) const
    {
        emitEvent(QVariantList{detail::toVariant(std::forward<Args>(args))...});
    }

    /*! Emits with explicit positional and keyword arguments. */
    void emitEvent(const QVariantList &args = {}, const QVariantMap &kwargs = {}) const;

private:
    // Strong: no weak-pointer lock per call. After the Manager is destroyed its state is
    // inert and the emitter does nothing.
    std::shared_ptr<ManagerPrivate> m_manager;
    std::shared_ptr<detail::Topic> m_topic;
};

} // namespace aioevt
