// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/qml.h>
#include <aioevt/scopedsubscription.h>

#include <QtCore/qfuture.h>
#include <QtCore/qhash.h>
#include <QtCore/qobject.h>
#include <QtQml/qjsvalue.h>
#include <QtQml/qqmlengine.h>

#include <map>

namespace aioevt {

struct EventData;
class Manager;

/*
    The QML singleton EventManager: one per QML engine, living on the engine's thread and
    owned by the engine. It works on Manager::instance(), so QML and C++ share events.
    JavaScript callbacks it registers run on the engine's thread and end with the engine.
    Arguments are taken as QJSValue and checked here, so that bad input from QML becomes
    a JavaScript error that names the problem.
*/
class AIOEVT_QML_EXPORT QmlEventManager : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(EventManager)
    QML_SINGLETON

public:
    explicit QmlEventManager(QJSEngine *engine, QObject *parent = nullptr);
    ~QmlEventManager() override;
    static QmlEventManager *create(QQmlEngine *qmlEngine, QJSEngine *engine);

    // Overloads by argument count instead of default arguments, which QML reports as
    // "Unable to determine callable overload" rather than naming the real problem.
    Q_INVOKABLE void emitEvent(const QJSValue &name);
    Q_INVOKABLE void emitEvent(const QJSValue &name, const QJSValue &args);
    Q_INVOKABLE void emitEvent(const QJSValue &name, const QJSValue &args, const QJSValue &kwargs);
    Q_INVOKABLE void emitAfter(const QJSValue &ms, const QJSValue &name);
    Q_INVOKABLE void emitAfter(const QJSValue &ms, const QJSValue &name, const QJSValue &args);
    Q_INVOKABLE void emitAfter(const QJSValue &ms, const QJSValue &name, const QJSValue &args,
                               const QJSValue &kwargs);
    Q_INVOKABLE QJSValue on(const QJSValue &name, const QJSValue &callback);
    Q_INVOKABLE QJSValue on(const QJSValue &name, const QJSValue &callback, const QJSValue &once);
    Q_INVOKABLE int unregister(const QJSValue &nameOrId);
    Q_INVOKABLE int subscriberCount(const QJSValue &name);
    Q_INVOKABLE QJSValue wait(const QJSValue &name);
    Q_INVOKABLE QJSValue wait(const QJSValue &name, const QJSValue &timeoutMs);

private:
    struct JsSubscription
    {
        QString name;
        QJSValue callback;
        ScopedSubscription subscription;
    };

    bool checkName(const QJSValue &name, const char *function, QString *out);
    bool checkArgs(const QJSValue &args, const QJSValue &kwargs, const char *function,
                   QVariantList *argsOut, QVariantMap *kwargsOut);
    void throwError(const QString &message);
    QJSValue toJs(const EventData &event);
    void callJs(const QJSValue &callback, const EventData &event);

    QJSEngine *const m_engine;
    Manager *const m_manager;
    quint64 m_nextId = 1;
    std::map<quint64, JsSubscription> m_subscriptions;
    QJSValue m_promiseFactory;
    QHash<quint64, QFuture<EventData>> m_pendingWaits; // cancelled if the engine goes first
};

} // namespace aioevt
