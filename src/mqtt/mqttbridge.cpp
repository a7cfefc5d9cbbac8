// SPDX-License-Identifier: MIT
#include <aioevt/mqttbridge.h>

#include "../emissiontap_p.h"
#include "payload_p.h"

#include <QtCore/qhash.h>
#include <QtCore/qloggingcategory.h>
#include <QtCore/qmutex.h>
#include <QtCore/qpointer.h>
#include <QtCore/qreadwritelock.h>
#include <QtCore/qset.h>
#include <QtCore/quuid.h>

#include <mosquitto.h>

#include <atomic>
#include <functional>
#include <mutex>

namespace aioevt {

Q_LOGGING_CATEGORY(lcMqtt, "aioevt.mqtt")

namespace {

// Set while a bridge emits an event it received: no bridge forwards such an emission, so
// an event crosses the broker once and two bridges never ping-pong.
thread_local bool t_emittingReceived = false;

constexpr quint64 kDuplicateWindow = 4096; // sequence numbers remembered per sender

void initLibrary()
{
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
}

} // namespace

/* The state the network thread, the emitting threads (through the tap) and the bridge
   share; it outlives whichever of them finishes last. */
class MqttBridgeCore
{
public:
    MqttBridgeCore(Manager *manager, const MqttBridge::Options &options, MqttBridge *q)
        : manager(manager),
          options(options),
          bridgeId(QUuid::createUuid().toString(QUuid::WithoutBraces)),
          q(q)
    { }
    ~MqttBridgeCore()
    {
        if (mosq)
            mosquitto_destroy(mosq);
    }

    void forwardEmission(const EventData &event);
    void messageArrived(const mosquitto_message *message);
    void subscribe(const QString &filter);
    void onBridgeThread(std::function<void(MqttBridge &)> call); // any thread
    void report(const QString &message, bool dropped); // any thread
    void signal(void (MqttBridge::*which)()); // any thread: emitted on the bridge's thread
    bool matchesForward(const QString &name);
    bool isDuplicate(const QString &sender, quint64 sequence);

    Manager *const manager;
    const MqttBridge::Options options;
    const QString bridgeId;
    mosquitto *mosq = nullptr; // created by the first connectToBroker()
    bool loopRunning = false; // guarded by controlMutex
    QMutex controlMutex; // connect/disconnect

    std::atomic<bool> connected{false};
    std::atomic<quint64> published{0}, received{0}, dropped{0}, queued{0};
    std::atomic<quint64> nextSequence{1};

    QReadWriteLock filtersLock;
    QStringList forwardFilters, receiveFilters;

    struct Seen
    {
        quint64 highest = 0;
        QSet<quint64> recent;
    };
    QMutex seenMutex; // network thread and tests only, but cheap
    QHash<QString, Seen> seen;

    QReadWriteLock qLock; // guards q, cleared when the bridge is destroyed
    MqttBridge *q;
    Subscription tap;
};

bool MqttBridgeCore::matchesForward(const QString &name)
{
    QReadLocker lock(&filtersLock);
    for (const QString &filter : std::as_const(forwardFilters)) {
        if (mqtt::filterMatches(filter, name))
            return true;
    }
    return false;
}

void MqttBridgeCore::onBridgeThread(std::function<void(MqttBridge &)> call)
{
    QReadLocker lock(&qLock);
    if (!q)
        return;
    QPointer<MqttBridge> bridge = q;
    QMetaObject::invokeMethod(
        q,
        [bridge, call = std::move(call)] {
            if (bridge)
                call(*bridge);
        },
        Qt::QueuedConnection);
}

void MqttBridgeCore::report(const QString &message, bool isDrop)
{
    if (isDrop)
        dropped.fetch_add(1, std::memory_order_relaxed);
    qCWarning(lcMqtt, "%s", qUtf8Printable(message));
    onBridgeThread([message](MqttBridge &bridge) { Q_EMIT bridge.errorOccurred(message); });
}

void MqttBridgeCore::signal(void (MqttBridge::*which)())
{
    onBridgeThread([which](MqttBridge &bridge) { (bridge.*which)(); });
}

void MqttBridgeCore::forwardEmission(const EventData &event)
{
    if (t_emittingReceived || !matchesForward(event.name))
        return;
    mqtt::Message message{event.args, event.kwargs, bridgeId,
                          nextSequence.fetch_add(1, std::memory_order_relaxed)};
    QByteArray payload;
    QString error;
    if (!mqtt::encodePayload(message, payload, error)) {
        report(QStringLiteral("not forwarding \"%1\": %2").arg(event.name, error), true);
        return;
    }
    if (payload.size() > options.maxPayloadBytes) {
        report(QStringLiteral("not forwarding \"%1\": its payload of %2 bytes is over the %3 "
                              "byte limit")
                   .arg(event.name)
                   .arg(payload.size())
                   .arg(options.maxPayloadBytes),
               true);
        return;
    }
    if (!mosq) {
        report(QStringLiteral("not forwarding \"%1\": connectToBroker() was not called")
                   .arg(event.name),
               true);
        return;
    }
    if (!connected.load() && queued.load() >= quint64(options.maxQueued)) {
        report(QStringLiteral("dropped \"%1\": %2 events already wait for the broker "
                              "(maxQueued)")
                   .arg(event.name)
                   .arg(options.maxQueued),
               true);
        return;
    }
    const QByteArray topic = (options.topicPrefix + event.name).toUtf8();
    queued.fetch_add(1, std::memory_order_relaxed); // before the broker can acknowledge it
    const int rc = mosquitto_publish(mosq, nullptr, topic.constData(), int(payload.size()),
                                     payload.constData(), options.qos, false);
    // Without a connection libmosquitto keeps QoS 1 and 2 messages and sends them later.
    if (rc == MOSQ_ERR_SUCCESS || (rc == MOSQ_ERR_NO_CONN && options.qos > 0)) {
        published.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    queued.fetch_sub(1, std::memory_order_relaxed);
    report(QStringLiteral("dropped \"%1\": %2")
               .arg(event.name, QString::fromUtf8(mosquitto_strerror(rc))),
           true);
}

bool MqttBridgeCore::isDuplicate(const QString &sender, quint64 sequence)
{
    QMutexLocker lock(&seenMutex);
    Seen &s = seen[sender];
    if (s.highest >= kDuplicateWindow && sequence <= s.highest - kDuplicateWindow)
        return true; // older than anything we remember: it was seen
    if (s.recent.contains(sequence))
        return true;
    s.recent.insert(sequence);
    if (sequence > s.highest)
        s.highest = sequence;
    if (s.recent.size() > qsizetype(2 * kDuplicateWindow)) {
        for (auto it = s.recent.begin(); it != s.recent.end();) {
            if (*it + kDuplicateWindow < s.highest)
                it = s.recent.erase(it);
            else
                ++it;
        }
    }
    return false;
}

void MqttBridgeCore::messageArrived(const mosquitto_message *message)
{
    const QString topic = QString::fromUtf8(message->topic);
    if (message->payloadlen > options.maxPayloadBytes) {
        report(QStringLiteral("dropped a message on \"%1\": %2 bytes is over the %3 byte limit")
                   .arg(topic)
                   .arg(message->payloadlen)
                   .arg(options.maxPayloadBytes),
               true);
        return;
    }
    const QString name = mqtt::eventNameForTopic(topic, options.topicPrefix);
    if (name.isEmpty()) {
        report(QStringLiteral("dropped a message on \"%1\": the topic names no event").arg(topic),
               true);
        return;
    }
    mqtt::Message decoded;
    QString error;
    const QByteArray bytes
        = QByteArray::fromRawData(static_cast<const char *>(message->payload), message->payloadlen);
    if (!mqtt::decodePayload(bytes, decoded, error)) {
        report(QStringLiteral("dropped a message on \"%1\": %2").arg(topic, error), true);
        return;
    }
    if (decoded.bridgeId == bridgeId || isDuplicate(decoded.bridgeId, decoded.sequence))
        return; // our own, echoed by the broker, or a QoS 1 repeat
    received.fetch_add(1, std::memory_order_relaxed);
    t_emittingReceived = true;
    manager->emitEvent(name, decoded.args, decoded.kwargs);
    t_emittingReceived = false;
}

void MqttBridgeCore::subscribe(const QString &filter)
{
    const QByteArray topic = (options.topicPrefix + filter).toUtf8();
    const int rc = mosquitto_subscribe(mosq, nullptr, topic.constData(), options.qos);
    if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) // on_connect subscribes again
        report(QStringLiteral("cannot subscribe to \"%1\": %2")
                   .arg(QString::fromUtf8(topic), QString::fromUtf8(mosquitto_strerror(rc))),
               false);
}

// --- MqttBridge -------------------------------------------------------------------------

MqttBridge::MqttBridge(Manager *manager, const Options &options, QObject *parent)
    : QObject(parent), d(std::make_shared<MqttBridgeCore>(manager, options, this))
{
    if (!manager) {
        qCWarning(lcMqtt, "MqttBridge: the manager is null; the bridge does nothing");
        return;
    }
    if (options.qos < 0 || options.qos > 2)
        qCWarning(lcMqtt, "MqttBridge: qos %d is not 0, 1 or 2", options.qos);
    std::weak_ptr<MqttBridgeCore> weak = d;
    d->tap = detail::EmissionTaps::add(manager, [weak](const EventData &event) {
        if (auto core = weak.lock())
            core->forwardEmission(event);
    });
}

MqttBridge::~MqttBridge()
{
    d->tap.unregister();
    disconnectFromBroker();
    QWriteLocker lock(&d->qLock);
    d->q = nullptr;
}

bool MqttBridge::forward(const QString &pattern)
{
    if (!mqtt::isValidFilter(pattern)) {
        qCWarning(lcMqtt, "forward(): \"%s\" is not a valid topic filter", qUtf8Printable(pattern));
        return false;
    }
    QWriteLocker lock(&d->filtersLock);
    if (!d->forwardFilters.contains(pattern))
        d->forwardFilters.append(pattern);
    return true;
}

bool MqttBridge::receive(const QString &pattern)
{
    if (!mqtt::isValidFilter(pattern)) {
        qCWarning(lcMqtt, "receive(): \"%s\" is not a valid topic filter", qUtf8Printable(pattern));
        return false;
    }
    {
        QWriteLocker lock(&d->filtersLock);
        if (d->receiveFilters.contains(pattern))
            return true;
        d->receiveFilters.append(pattern);
    }
    QMutexLocker lock(&d->controlMutex);
    if (d->mosq && d->connected.load())
        d->subscribe(pattern);
    return true;
}

void MqttBridge::connectToBroker()
{
    if (!d->manager)
        return;
    QMutexLocker lock(&d->controlMutex);
    if (d->loopRunning)
        return;
    initLibrary();
    MqttBridgeCore *core = d.get();
    if (!core->mosq) {
        const QString clientId = core->options.clientId.isEmpty()
            ? QStringLiteral("aioevt-") + core->bridgeId
            : core->options.clientId;
        core->mosq = mosquitto_new(clientId.toUtf8().constData(), core->options.cleanSession, core);
        if (!core->mosq) {
            core->report(QStringLiteral("cannot create the MQTT client"), false);
            return;
        }
        mosquitto_reconnect_delay_set(core->mosq, 1, 30, true);
        if (!core->options.username.isEmpty()) {
            mosquitto_username_pw_set(core->mosq, core->options.username.toUtf8().constData(),
                                      core->options.password.toUtf8().constData());
        }
        if (!core->options.caFile.isEmpty()) {
            const int rc = mosquitto_tls_set(core->mosq, core->options.caFile.toUtf8().constData(),
                                             nullptr, nullptr, nullptr, nullptr);
            if (rc != MOSQ_ERR_SUCCESS)
                core->report(QStringLiteral("TLS set-up failed: %1")
                                 .arg(QString::fromUtf8(mosquitto_strerror(rc))),
                             false);
        }
        mosquitto_connect_callback_set(core->mosq, [](mosquitto *, void *obj, int rc) {
            auto *self = static_cast<MqttBridgeCore *>(obj);
            if (rc != 0) {
                self->report(QStringLiteral("the broker refused the connection: %1")
                                 .arg(QString::fromUtf8(mosquitto_connack_string(rc))),
                             false);
                return;
            }
            self->connected = true;
            QStringList filters;
            {
                QReadLocker lock(&self->filtersLock);
                filters = self->receiveFilters;
            }
            for (const QString &filter : std::as_const(filters))
                self->subscribe(filter);
            self->signal(&MqttBridge::connected);
        });
        mosquitto_disconnect_callback_set(core->mosq, [](mosquitto *, void *obj, int) {
            auto *self = static_cast<MqttBridgeCore *>(obj);
            if (self->connected.exchange(false))
                self->signal(&MqttBridge::disconnected);
        });
        mosquitto_publish_callback_set(core->mosq, [](mosquitto *, void *obj, int) {
            static_cast<MqttBridgeCore *>(obj)->queued.fetch_sub(1, std::memory_order_relaxed);
        });
        mosquitto_message_callback_set(core->mosq,
                                       [](mosquitto *, void *obj, const mosquitto_message *m) {
                                           static_cast<MqttBridgeCore *>(obj)->messageArrived(m);
                                       });
    }
    const int rc = mosquitto_connect_async(core->mosq, core->options.host.toUtf8().constData(),
                                           core->options.port, core->options.keepAliveSeconds);
    if (rc != MOSQ_ERR_SUCCESS) // the network thread keeps trying
        core->report(QStringLiteral("cannot reach the broker at %1:%2 yet: %3")
                         .arg(core->options.host)
                         .arg(core->options.port)
                         .arg(QString::fromUtf8(mosquitto_strerror(rc))),
                     false);
    if (mosquitto_loop_start(core->mosq) == MOSQ_ERR_SUCCESS)
        core->loopRunning = true;
    else
        core->report(QStringLiteral("cannot start the MQTT network thread"), false);
}

void MqttBridge::disconnectFromBroker()
{
    QMutexLocker lock(&d->controlMutex);
    if (!d->mosq || !d->loopRunning)
        return;
    mosquitto_disconnect(d->mosq);
    mosquitto_loop_stop(d->mosq, false); // the thread ends once the disconnect is sent
    d->loopRunning = false;
    if (d->connected.exchange(false))
        d->signal(&MqttBridge::disconnected);
}

bool MqttBridge::isConnected() const
{
    return d->connected.load();
}

QString MqttBridge::bridgeId() const
{
    return d->bridgeId;
}

const MqttBridge::Options &MqttBridge::options() const
{
    return d->options;
}

quint64 MqttBridge::publishedCount() const
{
    return d->published.load();
}

quint64 MqttBridge::receivedCount() const
{
    return d->received.load();
}

quint64 MqttBridge::droppedCount() const
{
    return d->dropped.load();
}

quint64 MqttBridge::queuedCount() const
{
    return d->queued.load();
}

} // namespace aioevt
