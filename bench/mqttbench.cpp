// SPDX-License-Identifier: MIT
#include "mqttbench.h"

#include "payload_p.h"

#include <aioevt/aioevt.h>
#include <aioevt/mqttbridge.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QSemaphore>
#include <QtCore/QThread>
#include <QtCore/QUuid>

#include <mosquitto.h>

#include <atomic>

using namespace aioevt;

namespace {

const QVariantList g_args{1, QStringLiteral("two"), 3.0};

bool waitUntil(const std::function<bool()> &condition)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.hasExpired(20000))
            return false;
        QThread::msleep(5);
    }
    return true;
}

/* A raw libmosquitto client with its own network thread. */
struct RawClient
{
    mosquitto *mosq = nullptr;
    std::atomic<bool> connected{false};
    std::atomic<int> received{0};
    QSemaphore done;
    int expected = 0;

    explicit RawClient(int port)
    {
        mosquitto_lib_init();
        const QByteArray id = "bench-raw-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        mosq = mosquitto_new(id.constData(), true, this);
        mosquitto_connect_callback_set(mosq, [](mosquitto *, void *self, int rc) {
            static_cast<RawClient *>(self)->connected = rc == 0;
        });
        mosquitto_message_callback_set(mosq, [](mosquitto *, void *obj, const mosquitto_message *) {
            auto *self = static_cast<RawClient *>(obj);
            if (self->received.fetch_add(1) + 1 == self->expected)
                self->done.release();
        });
        mosquitto_connect_async(mosq, "127.0.0.1", port, 30);
        mosquitto_loop_start(mosq);
    }
    ~RawClient()
    {
        mosquitto_disconnect(mosq);
        mosquitto_loop_stop(mosq, false);
        mosquitto_destroy(mosq);
    }
};

} // namespace

double mqttRawThroughput(int events, int port)
{
    RawClient publisher(port);
    RawClient subscriber(port);
    subscriber.expected = events;
    if (!waitUntil([&] { return publisher.connected && subscriber.connected; }))
        qFatal("bench m: no broker on port %d", port);
    mosquitto_subscribe(subscriber.mosq, nullptr, "bench-raw/e", 1);
    QThread::msleep(200); // the subscription reaches the broker
    // The same bytes the bridge sends: the payload is encoded for each event there too.
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i) {
        QByteArray payload;
        QString error;
        mqtt::encodePayload({g_args, {}, QStringLiteral("raw"), quint64(i + 1)}, payload, error);
        mosquitto_publish(publisher.mosq, nullptr, "bench-raw/e", int(payload.size()),
                          payload.constData(), 1, false);
    }
    if (!subscriber.done.tryAcquire(1, 120000))
        qFatal("bench m: raw messages lost");
    return double(timer.nsecsElapsed()) / events;
}

double mqttBridgeThroughput(int events, int port)
{
    Manager sender, receiver;
    MqttBridge::Options options;
    options.port = port;
    options.topicPrefix = QStringLiteral("bench-bridge/");
    MqttBridge out(&sender, options);
    MqttBridge in(&receiver, options);
    out.forward(QStringLiteral("e"));
    in.receive(QStringLiteral("e"));
    out.connectToBroker();
    in.connectToBroker();
    if (!waitUntil([&] { return out.isConnected() && in.isConnected(); }))
        qFatal("bench m: no broker on port %d", port);
    QThread::msleep(200);
    QThread target;
    target.start();
    std::atomic<int> remaining{events};
    QSemaphore done;
    receiver.on(
        QStringLiteral("e"),
        [&] {
            if (remaining.fetch_sub(1) == 1)
                done.release();
        },
        &target);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i)
        sender.emitEvent(QStringLiteral("e"), g_args);
    if (!done.tryAcquire(1, 120000))
        qFatal("bench m: bridged events lost");
    const double ns = double(timer.nsecsElapsed()) / events;
    target.quit();
    target.wait();
    return ns;
}
