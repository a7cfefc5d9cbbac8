// SPDX-License-Identifier: MIT
#include "qmleventmanager_p.h"

#include <aioevt/manager.h>
#include <aioevt/timeouterror.h>

#include <QtCore/qfuturewatcher.h>
#include <QtQml/qjsvalueiterator.h>

#include <stdexcept>

namespace aioevt {

namespace {

// Values that would carry engine-bound objects to other threads are refused.
QString whyCannotCross(const QJSValue &value, const QString &path)
{
    if (value.isCallable())
        return QStringLiteral("%1 is a function, which cannot cross threads").arg(path);
    if (value.isQObject())
        return QStringLiteral("%1 is a QObject, which cannot cross threads").arg(path);
    if (value.isQMetaObject())
        return QStringLiteral("%1 is a type, which cannot cross threads").arg(path);
    if (value.isArray()) {
        const int length = value.property(QStringLiteral("length")).toInt();
        for (int i = 0; i < length; ++i) {
            const QString why = whyCannotCross(value.property(quint32(i)),
                                               QStringLiteral("%1[%2]").arg(path).arg(i));
            if (!why.isEmpty())
                return why;
        }
    } else if (value.isObject() && !value.isDate() && !value.isRegExp()) {
        QJSValueIterator it(value);
        while (it.hasNext()) {
            it.next();
            const QString why
                = whyCannotCross(it.value(), QStringLiteral("%1.%2").arg(path, it.name()));
            if (!why.isEmpty())
                return why;
        }
    }
    return {};
}

} // namespace

QmlEventManager::QmlEventManager(QJSEngine *engine, QObject *parent)
    : QObject(parent), m_engine(engine), m_manager(Manager::instance())
{
    // A Promise with its settle functions, made without Qt Quick.
    m_promiseFactory = m_engine->evaluate(QStringLiteral(
        "(function() { var d = {}; d.promise = new Promise(function(resolve, reject) {"
        " d.resolve = resolve; d.reject = reject; }); return d; })"));
}

QmlEventManager::~QmlEventManager()
{
    for (QFuture<EventData> &future : m_pendingWaits)
        future.cancel(); // removes the waiter from the manager
    m_subscriptions.clear(); // unregisters
}

QmlEventManager *QmlEventManager::create(QQmlEngine *, QJSEngine *engine)
{
    return new QmlEventManager(engine); // one per engine, owned by it
}

void QmlEventManager::throwError(const QString &message)
{
    m_engine->throwError(QJSValue::TypeError, message);
}

bool QmlEventManager::checkName(const QJSValue &name, const char *function, QString *out)
{
    if (!name.isString() || name.toString().isEmpty()) {
        throwError(QStringLiteral("EventManager.%1: the event name must be a non-empty string")
                       .arg(QLatin1String(function)));
        return false;
    }
    *out = name.toString();
    return true;
}

bool QmlEventManager::checkArgs(const QJSValue &args, const QJSValue &kwargs, const char *function,
                                QVariantList *argsOut, QVariantMap *kwargsOut)
{
    const QString where = QStringLiteral("EventManager.%1: ").arg(QLatin1String(function));
    if (!args.isUndefined() && !args.isNull()) {
        if (!args.isArray()) {
            throwError(where + QStringLiteral("args must be an array"));
            return false;
        }
        if (const QString why = whyCannotCross(args, QStringLiteral("args")); !why.isEmpty()) {
            throwError(where + why);
            return false;
        }
        *argsOut = args.toVariant().toList();
    }
    if (!kwargs.isUndefined() && !kwargs.isNull()) {
        if (!kwargs.isObject() || kwargs.isArray() || kwargs.isCallable()) {
            throwError(where + QStringLiteral("kwargs must be an object"));
            return false;
        }
        if (const QString why = whyCannotCross(kwargs, QStringLiteral("kwargs")); !why.isEmpty()) {
            throwError(where + why);
            return false;
        }
        *kwargsOut = kwargs.toVariant().toMap();
    }
    return true;
}

QJSValue QmlEventManager::toJs(const EventData &event)
{
    QJSValue object = m_engine->newObject();
    object.setProperty(QStringLiteral("name"), event.name);
    object.setProperty(QStringLiteral("args"), m_engine->toScriptValue(event.args));
    object.setProperty(QStringLiteral("kwargs"), m_engine->toScriptValue(event.kwargs));
    return object;
}

void QmlEventManager::callJs(const QJSValue &callback, const EventData &event)
{
    QJSValue function = callback;
    const QJSValue result = function.call(
        {m_engine->toScriptValue(event.args), m_engine->toScriptValue(event.kwargs)});
    // Rethrown for the manager, which reports it (warning + callbackFailed) like any other.
    if (result.isError())
        throw std::runtime_error(QString(u"JavaScript " + result.toString()).toStdString());
}

void QmlEventManager::emitEvent(const QJSValue &name)
{
    emitEvent(name, QJSValue(), QJSValue());
}

void QmlEventManager::emitEvent(const QJSValue &name, const QJSValue &args)
{
    emitEvent(name, args, QJSValue());
}

void QmlEventManager::emitEvent(const QJSValue &name, const QJSValue &args, const QJSValue &kwargs)
{
    QString eventName;
    QVariantList list;
    QVariantMap map;
    if (checkName(name, "emitEvent", &eventName)
        && checkArgs(args, kwargs, "emitEvent", &list, &map))
        m_manager->emitEvent(eventName, list, map);
}

void QmlEventManager::emitAfter(const QJSValue &ms, const QJSValue &name)
{
    emitAfter(ms, name, QJSValue(), QJSValue());
}

void QmlEventManager::emitAfter(const QJSValue &ms, const QJSValue &name, const QJSValue &args)
{
    emitAfter(ms, name, args, QJSValue());
}

void QmlEventManager::emitAfter(const QJSValue &ms, const QJSValue &name, const QJSValue &args,
                                const QJSValue &kwargs)
{
    if (!ms.isNumber() || ms.toNumber() < 0) {
        throwError(QStringLiteral("EventManager.emitAfter: the delay must be a number of "
                                  "milliseconds, 0 or more"));
        return;
    }
    QString eventName;
    QVariantList list;
    QVariantMap map;
    if (checkName(name, "emitAfter", &eventName)
        && checkArgs(args, kwargs, "emitAfter", &list, &map))
        m_manager->emitAfter(ms.toInt(), eventName, list, map);
}

QJSValue QmlEventManager::on(const QJSValue &name, const QJSValue &callback)
{
    return on(name, callback, QJSValue(false));
}

QJSValue QmlEventManager::on(const QJSValue &name, const QJSValue &callback, const QJSValue &once)
{
    QString eventName;
    if (!checkName(name, "on", &eventName))
        return {};
    if (!callback.isCallable()) {
        throwError(QStringLiteral("EventManager.on: the callback must be a function"));
        return {};
    }
    if (!once.isUndefined() && !once.isBool()) {
        throwError(QStringLiteral("EventManager.on: once must be a boolean"));
        return {};
    }
    const quint64 id = m_nextId++;
    const bool isOnce = once.toBool();
    // The manager holds only `this` and the id: the function stays on the engine's thread.
    Subscription subscription = m_manager->on(
        eventName, this,
        [this, id, isOnce](const EventData &event) {
            const auto it = m_subscriptions.find(id);
            if (it == m_subscriptions.end())
                return;
            const QJSValue function = it->second.callback;
            if (isOnce)
                m_subscriptions.erase(it);
            callJs(function, event);
        },
        isOnce ? Once : Recurring);
    m_subscriptions.emplace(id, JsSubscription{eventName, callback, std::move(subscription)});
    return QJSValue(double(id));
}

int QmlEventManager::unregister(const QJSValue &nameOrId)
{
    if (nameOrId.isNumber()) {
        const auto it = m_subscriptions.find(quint64(nameOrId.toNumber()));
        if (it == m_subscriptions.end())
            return 0;
        const bool removed = it->second.subscription.unregister();
        m_subscriptions.erase(it);
        return removed ? 1 : 0;
    }
    if (nameOrId.isString() && !nameOrId.toString().isEmpty()) {
        const QString name = nameOrId.toString();
        int removed = 0;
        for (auto it = m_subscriptions.begin(); it != m_subscriptions.end();) {
            if (it->second.name == name) {
                removed += it->second.subscription.unregister() ? 1 : 0;
                it = m_subscriptions.erase(it);
            } else {
                ++it;
            }
        }
        return removed;
    }
    throwError(QStringLiteral("EventManager.unregister: expects a subscription id (a number) "
                              "or an event name (a non-empty string)"));
    return 0;
}

int QmlEventManager::subscriberCount(const QJSValue &name)
{
    QString eventName;
    return checkName(name, "subscriberCount", &eventName) ? m_manager->subscriberCount(eventName)
                                                          : 0;
}

QJSValue QmlEventManager::wait(const QJSValue &name)
{
    return wait(name, QJSValue(-1));
}

QJSValue QmlEventManager::wait(const QJSValue &name, const QJSValue &timeoutMs)
{
    QString eventName;
    if (!checkName(name, "wait", &eventName))
        return {};
    if (!timeoutMs.isUndefined() && !timeoutMs.isNumber()) {
        throwError(QStringLiteral("EventManager.wait: the timeout must be a number of "
                                  "milliseconds (negative: no limit)"));
        return {};
    }
    const int timeout = timeoutMs.isUndefined() ? -1 : timeoutMs.toInt();
    const QJSValue deferred = m_promiseFactory.call();
    const QJSValue resolve = deferred.property(QStringLiteral("resolve"));
    const QJSValue reject = deferred.property(QStringLiteral("reject"));
    const quint64 key = m_nextId++;
    QFuture<EventData> future = m_manager->wait(eventName, timeout);
    m_pendingWaits.insert(key, future);
    // A watcher owned by this object settles the Promise on the engine's thread, and dies
    // with it. (QFuture::then(context, ...) of Qt 6.4 asserts if the context died first.)
    auto *watcher = new QFutureWatcher<EventData>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, key, watcher, resolve, reject] {
        QFuture<EventData> done = watcher->future();
        watcher->deleteLater();
        m_pendingWaits.remove(key);
        QString error;
        try {
            done.waitForFinished(); // rethrows what the wait failed with
            if (done.resultCount() > 0) {
                QJSValue(resolve).call({toJs(done.result())});
                return;
            }
            error = QStringLiteral("aioevt: the wait was cancelled");
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        QJSValue(reject).call({m_engine->newErrorObject(QJSValue::GenericError, error)});
    });
    watcher->setFuture(future);
    return deferred.property(QStringLiteral("promise"));
}

} // namespace aioevt
