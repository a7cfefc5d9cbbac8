// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/manager.h>

#include <QtCore/qobject.h>
#include <QtCore/qstring.h>

#include <memory>

#if defined(AIOEVT_STATIC)
#define AIOEVT_MQTT_EXPORT
#elif defined(AIOEVT_BUILDING_MQTT)
#define AIOEVT_MQTT_EXPORT Q_DECL_EXPORT
#else
#define AIOEVT_MQTT_EXPORT Q_DECL_IMPORT
#endif

namespace aioevt {

class MqttBridgeCore;

/*!
    Carries a manager's events through an MQTT broker (library \c aioevt-mqtt, target
    \c aioevt::mqtt, on libmosquitto), so that managers in other processes or on other
    machines see them.

    \c forward(pattern) publishes every local emission whose name matches \a pattern to
    the topic \c topicPrefix + name; \c receive(pattern) subscribes to the matching topics
    and emits what arrives under its name, with its args and kwargs. Patterns follow MQTT
    topic-filter rules over \c '/'-separated event names (\c '+' one level, \c '#' the
    rest). The payload is CBOR: the args, the kwargs, the sending bridge's id and a
    sequence number. A bridge never re-emits what it published itself, and an event a
    bridge received is never forwarded again, so two bridges never ping-pong.

    Delivery follows the QoS of \c Options::qos (default 1: at least once; duplicates are
    recognised by their sequence number and dropped). Network work runs on libmosquitto's
    own thread; received events are emitted from there, and the manager delivers them to
    each callback's thread as usual. When the broker goes away the bridge reconnects with
    a growing delay (1 s to 30 s). While it is disconnected, up to \c Options::maxQueued
    QoS 1 events are kept and sent after reconnecting; beyond that each event is counted
    as dropped and reported. With \c cleanSession false (the default) and a fixed
    \c clientId, the broker also keeps what is published for this bridge while it is away.

    Errors never pass silently: a value CBOR cannot carry, an oversized payload, malformed
    or wrongly shaped input from the network, a topic that is no valid event name, and an
    overflow are each dropped, counted in \c droppedCount(), warned about on the logging
    category \c aioevt.mqtt and reported by \c errorOccurred().

    The manager must outlive the bridge. The functions may be called from any thread;
    signals arrive on the bridge's thread.
*/
class AIOEVT_MQTT_EXPORT MqttBridge : public QObject
{
    Q_OBJECT

public:
    /*! How to reach the broker and what to keep. */
    struct Options
    {
        QString host = QStringLiteral("127.0.0.1");
        int port = 1883;
        QString clientId; //!< empty: a random one (then the broker cannot keep a session)
        QString topicPrefix = QStringLiteral("aioevt/");
        int qos = 1; //!< 0, 1 or 2
        int keepAliveSeconds = 30;
        QString username; //!< with \c password, when the broker asks for them
        QString password;
        QString caFile; //!< when set, TLS with this CA certificate file
        bool cleanSession = false;
        int maxQueued = 10000; //!< events kept while disconnected
        qint64 maxPayloadBytes = 1024 * 1024; //!< larger payloads are dropped either way
    };

    /*! A bridge for \a manager (not null; it must outlive the bridge). Connects only on
        \c connectToBroker(). Any thread. */
    MqttBridge(Manager *manager, const Options &options, QObject *parent = nullptr);
    /*! Stops forwarding, disconnects and joins the network thread. */
    ~MqttBridge() override;

    /*! Publishes local emissions whose name matches \a pattern (an MQTT topic filter).
        Returns false, with a warning, for an invalid pattern. The matching runs on the
        emitting thread inside \c emitEvent(); O(forward patterns). Any thread. */
    bool forward(const QString &pattern);
    /*! Subscribes to events matching \a pattern and emits them locally. Returns false,
        with a warning, for an invalid pattern. Any thread; O(receive patterns). */
    bool receive(const QString &pattern);

    /*! Starts the network thread and connects; reconnects by itself until
        \c disconnectFromBroker(). Any thread. */
    void connectToBroker();
    /*! Disconnects and stops reconnecting; waits for the network thread. Any thread
        but the network thread (not from a callback of a received event's emission). */
    void disconnectFromBroker();
    /*! Whether the broker has accepted the connection. Any thread; O(1). */
    bool isConnected() const;

    /*! This bridge's id in every payload it sends. */
    QString bridgeId() const;
    const Options &options() const;

    /*! Events handed to the broker (or kept for it while disconnected). Any thread. */
    quint64 publishedCount() const;
    /*! Events received and emitted locally. Any thread. */
    quint64 receivedCount() const;
    /*! Events refused, dropped or lost, in either direction. Any thread. */
    quint64 droppedCount() const;
    /*! Published events the broker has not acknowledged yet. Any thread. */
    quint64 queuedCount() const;

Q_SIGNALS:
    /*! The broker accepted the connection (also after each reconnect). */
    void connected();
    /*! The connection ended; unless \c disconnectFromBroker() was called, the bridge
        reconnects by itself. */
    void disconnected();
    /*! Something went wrong: what, and what was dropped. */
    void errorOccurred(const QString &message);

private:
    std::shared_ptr<MqttBridgeCore> d;
};

} // namespace aioevt
