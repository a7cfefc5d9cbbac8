// SPDX-License-Identifier: MIT
// The MQTT bridge against a real Mosquitto broker (started by the CTest fixture), and its
// payload codec.
#include "testutils.h"

#include <aioevt/aioevt.h>
#include <aioevt/mqttbridge.h>

#include "payload_p.h"

#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QMutex>
#include <QtCore/QProcess>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace aioevt;
using namespace std::chrono_literals;

namespace {

QString brokerDir()
{
    return qEnvironmentVariable("AIOEVT_MQTT_BROKER_DIR");
}

int brokerPort()
{
    QFile file(brokerDir() + QStringLiteral("/port"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().trimmed().toInt();
}

bool runBrokerScript(const QString &command)
{
    return QProcess::execute(QStringLiteral("bash"),
                             {QStringLiteral(AIOEVT_MQTT_BROKER_SCRIPT), command, brokerDir()})
        == 0;
}

MqttBridge::Options optionsFor(const QString &clientId, const QString &prefix)
{
    MqttBridge::Options options;
    options.port = brokerPort();
    options.clientId = clientId;
    options.topicPrefix = prefix;
    return options;
}

/* Counts, thread-safely, the emissions of one name a manager delivers. */
struct Collector
{
    QMutex mutex;
    QList<EventData> events;
    void attach(Manager &manager, const QString &name, QThread *thread)
    {
        manager.on(
            name,
            [this](const EventData &e) {
                QMutexLocker lock(&mutex);
                events.append(e);
            },
            thread);
    }
    qsizetype count()
    {
        QMutexLocker lock(&mutex);
        return events.size();
    }
};

QByteArray goodPayload(const QString &bridge, quint64 seq, const QVariantList &args)
{
    mqtt::Message message{args, {}, bridge, seq};
    QByteArray bytes;
    QString error;
    mqtt::encodePayload(message, bytes, error);
    return bytes;
}

bool publishRaw(const QString &topic, const QByteArray &payload)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("payload"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(payload) != payload.size())
        return false;
    file.close();
    return QProcess::execute(QStringLiteral("mosquitto_pub"),
                             {QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                              QStringLiteral("-p"), QString::number(brokerPort()),
                              QStringLiteral("-q"), QStringLiteral("1"), QStringLiteral("-t"),
                              topic, QStringLiteral("-f"), path})
        == 0;
}

} // namespace

class tst_Mqtt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    // The codec and the topic rules, without a broker.
    void payloadRoundTrip();
    void payloadRefusesWhatCborCannotCarry();
    void decoderRejectsBadInput_data();
    void decoderRejectsBadInput();
    void topicFilters_data();
    void topicFilters();
    void invalidPatternsAreRefused();
    // Through the broker.
    void twoManagersExchangeEventsThroughTwoBridges();
    void bridgesNeverPingPong();
    void unsupportedValueIsRefusedAtForwardTime();
    void overflowBeyondMaxQueuedIsCounted();
    void badInputFromTheNetworkIsDroppedGoodStillArrives();
    void twoProcessesExchangeEvents();
    void brokerRestartLosesNoQos1Event();
};

void tst_Mqtt::initTestCase()
{
    QVERIFY2(brokerPort() > 0, "no broker: run through CTest (the mqtt-broker fixture)");
}

void tst_Mqtt::payloadRoundTrip()
{
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
    mqtt::Message in{{1, QStringLiteral("two"), 3.5, true, QVariant(), QByteArray("\x00\x01", 2),
                      QVariantList{1, QVariantMap{{QStringLiteral("k"), QStringLiteral("v")}}},
                      QStringList{QStringLiteral("a"), QStringLiteral("b")}, when},
                     {{QStringLiteral("unit"), QStringLiteral("°C")}, {QStringLiteral("n"), -7}},
                     QStringLiteral("bridge-1"),
                     42};
    QByteArray bytes;
    QString error;
    QVERIFY2(mqtt::encodePayload(in, bytes, error), qPrintable(error));
    mqtt::Message out;
    QVERIFY2(mqtt::decodePayload(bytes, out, error), qPrintable(error));
    QCOMPARE(out.bridgeId, in.bridgeId);
    QCOMPARE(out.sequence, 42u);
    QCOMPARE(out.args.size(), in.args.size());
    QCOMPARE(out.args.at(0).toInt(), 1);
    QCOMPARE(out.args.at(1).toString(), QStringLiteral("two"));
    QCOMPARE(out.args.at(2).toDouble(), 3.5);
    QCOMPARE(out.args.at(3).toBool(), true);
    QVERIFY(!out.args.at(4).isValid());
    QCOMPARE(out.args.at(5).toByteArray(), QByteArray("\x00\x01", 2));
    QCOMPARE(out.args.at(6).toList().at(1).toMap().value(QStringLiteral("k")).toString(),
             QStringLiteral("v"));
    QCOMPARE(out.args.at(7).toStringList(),
             (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(out.args.at(8).toDateTime(), when);
    QCOMPARE(out.kwargs.value(QStringLiteral("unit")).toString(), QStringLiteral("°C"));
    QCOMPARE(out.kwargs.value(QStringLiteral("n")).toInt(), -7);
}

void tst_Mqtt::payloadRefusesWhatCborCannotCarry()
{
    QObject object;
    QByteArray bytes;
    QString error;
    QVERIFY(!mqtt::encodePayload({{QVariant::fromValue(&object)}, {}, QStringLiteral("b"), 1},
                                 bytes, error));
    QVERIFY2(error.contains(QStringLiteral("QObject")), qPrintable(error));
    QVERIFY(!mqtt::encodePayload({{},
                                  {{QStringLiteral("big"), QVariant::fromValue(quint64(1) << 63)}},
                                  QStringLiteral("b"),
                                  1},
                                 bytes, error));
}

void tst_Mqtt::decoderRejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("\xff\xfe not cbor", 11);
    QTest::newRow("trailing bytes") << goodPayload(QStringLiteral("b"), 1, {1}) + "xyz";
    QTest::newRow("truncated") << goodPayload(QStringLiteral("b"), 1, {1, 2}).chopped(3);
    QTest::newRow("array, not map") << QCborValue(QCborArray{1, 2}).toCbor();
    QTest::newRow("args not array")
        << QCborValue(QCborMap{{QStringLiteral("args"), 1},
                               {QStringLiteral("bridge"), QStringLiteral("b")},
                               {QStringLiteral("seq"), 1}})
               .toCbor();
    QTest::newRow("no bridge") << QCborValue(QCborMap{{QStringLiteral("args"), QCborArray{}},
                                                      {QStringLiteral("seq"), 1}})
                                      .toCbor();
    QTest::newRow("seq zero") << QCborValue(
                                     QCborMap{{QStringLiteral("args"), QCborArray{}},
                                              {QStringLiteral("bridge"), QStringLiteral("b")},
                                              {QStringLiteral("seq"), 0}})
                                     .toCbor();
    QTest::newRow("kwargs with integer key")
        << QCborValue(QCborMap{{QStringLiteral("args"), QCborArray{}},
                               {QStringLiteral("kwargs"), QCborMap{{1, 2}}},
                               {QStringLiteral("bridge"), QStringLiteral("b")},
                               {QStringLiteral("seq"), 1}})
               .toCbor();
    QCborArray deep;
    for (int i = 0; i < 100; ++i)
        deep = QCborArray{deep};
    QTest::newRow("nested too deep")
        << QCborValue(QCborMap{{QStringLiteral("args"), deep},
                               {QStringLiteral("bridge"), QStringLiteral("b")},
                               {QStringLiteral("seq"), 1}})
               .toCbor();
}

void tst_Mqtt::decoderRejectsBadInput()
{
    QFETCH(QByteArray, bytes);
    mqtt::Message out;
    QString error;
    QVERIFY(!mqtt::decodePayload(bytes, out, error));
    QVERIFY(!error.isEmpty());
}

void tst_Mqtt::topicFilters_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("matches");
    const struct
    {
        const char *row, *filter, *name;
        bool matches;
    } cases[] = {
        {"exact", "a/b", "a/b", true},
        {"exact differs", "a/b", "a/c", false},
        {"plus one level", "a/+/c", "a/x/c", true},
        {"plus not two", "a/+", "a/x/y", false},
        {"hash rest", "a/#", "a/x/y", true},
        {"hash parent", "a/#", "a", true},
        {"hash all", "#", "anything/at/all", true},
        {"longer name", "a", "a/b", false},
        {"empty level", "a/+/c", "a//c", true},
    };
    for (const auto &c : cases)
        QTest::newRow(c.row) << QString::fromLatin1(c.filter) << QString::fromLatin1(c.name)
                             << c.matches;
}

void tst_Mqtt::topicFilters()
{
    QFETCH(QString, filter);
    QFETCH(QString, name);
    QFETCH(bool, matches);
    QVERIFY(mqtt::isValidFilter(filter));
    QCOMPARE(mqtt::filterMatches(filter, name), matches);
}

void tst_Mqtt::invalidPatternsAreRefused()
{
    Manager manager;
    MqttBridge bridge(&manager, optionsFor(QString(), QStringLiteral("t-invalid/")));
    for (const char *bad : {"", "a/#/b", "a#", "a/b+", "#/a"}) {
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("not a valid topic filter")));
        QVERIFY2(!bridge.forward(QString::fromLatin1(bad)), bad);
    }
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("not a valid topic filter")));
    QVERIFY(!bridge.receive(QStringLiteral("x/#/y")));
    QCOMPARE(mqtt::eventNameForTopic(QStringLiteral("p/"), QStringLiteral("p/")), QString());
    QCOMPARE(mqtt::eventNameForTopic(QStringLiteral("q/a"), QStringLiteral("p/")), QString());
    QCOMPARE(mqtt::eventNameForTopic(QStringLiteral("p/a/b"), QStringLiteral("p/")),
             QStringLiteral("a/b"));
}

void tst_Mqtt::twoManagersExchangeEventsThroughTwoBridges()
{
    Manager left, right;
    testutils::WorkerThread worker("receiver");
    const QString prefix = QStringLiteral("t-exchange/");
    MqttBridge a(&left, optionsFor(QString(), prefix));
    MqttBridge b(&right, optionsFor(QString(), prefix));
    QVERIFY(a.forward(QStringLiteral("sensor/+")));
    QVERIFY(b.receive(QStringLiteral("sensor/#")));
    QSignalSpy connectedA(&a, &MqttBridge::connected);
    QSignalSpy connectedB(&b, &MqttBridge::connected);
    a.connectToBroker();
    b.connectToBroker();
    QVERIFY(connectedA.wait(10000) || connectedA.count() == 1);
    QTRY_VERIFY_WITH_TIMEOUT(b.isConnected(), 10000);
    QTest::qWait(200); // the subscription reaches the broker
    Collector got;
    got.attach(right, QStringLiteral("sensor/temp"), worker);
    left.emitEvent(QStringLiteral("sensor/temp"), {21.5, QStringLiteral("kitchen")},
                   {{QStringLiteral("unit"), QStringLiteral("C")}});
    left.emitEvent(QStringLiteral("other/thing"), {1}); // not forwarded
    QTRY_COMPARE_WITH_TIMEOUT(got.count(), 1, 10000);
    QMutexLocker lock(&got.mutex);
    QCOMPARE(got.events.at(0).args, (QVariantList{21.5, QStringLiteral("kitchen")}));
    QCOMPARE(got.events.at(0).kwargs.value(QStringLiteral("unit")).toString(), QStringLiteral("C"));
    lock.unlock();
    QCOMPARE(a.publishedCount(), 1u);
    QTRY_COMPARE(b.receivedCount(), 1u);
    QTRY_COMPARE(a.queuedCount(), 0u); // acknowledged
    QCOMPARE(a.droppedCount() + b.droppedCount(), 0u);
}

void tst_Mqtt::bridgesNeverPingPong()
{
    Manager left, right;
    const QString prefix = QStringLiteral("t-pingpong/");
    MqttBridge a(&left, optionsFor(QString(), prefix));
    MqttBridge b(&right, optionsFor(QString(), prefix));
    for (MqttBridge *bridge : {&a, &b}) {
        QVERIFY(bridge->forward(QStringLiteral("#")));
        QVERIFY(bridge->receive(QStringLiteral("#")));
        bridge->connectToBroker();
    }
    QTRY_VERIFY_WITH_TIMEOUT(a.isConnected() && b.isConnected(), 10000);
    QTest::qWait(200);
    Collector onLeft, onRight;
    onLeft.attach(left, QStringLiteral("ball"), nullptr);
    onRight.attach(right, QStringLiteral("ball"), nullptr);
    left.emitEvent(QStringLiteral("ball"), {1});
    QTRY_COMPARE_WITH_TIMEOUT(onRight.count(), 1, 10000);
    QTest::qWait(500); // time for an echo or a bounce, if there were one
    QCOMPARE(onLeft.count(), 1); // its own emission only
    QCOMPARE(onRight.count(), 1);
    QCOMPARE(a.publishedCount(), 1u);
    QCOMPARE(b.publishedCount(), 0u); // what it received is not forwarded again
    QCOMPARE(a.receivedCount(), 0u); // its own echo is ignored
}

void tst_Mqtt::unsupportedValueIsRefusedAtForwardTime()
{
    Manager manager;
    MqttBridge bridge(&manager, optionsFor(QString(), QStringLiteral("t-refuse/")));
    bridge.forward(QStringLiteral("#"));
    bridge.connectToBroker();
    QSignalSpy errors(&bridge, &MqttBridge::errorOccurred);
    QObject object;
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("not forwarding \"obj\".*QObject")));
    manager.emitEvent(QStringLiteral("obj"), {QVariant::fromValue(&object)});
    QCOMPARE(bridge.droppedCount(), 1u);
    QCOMPARE(bridge.publishedCount(), 0u);
    QTRY_COMPARE(errors.count(), 1);
}

void tst_Mqtt::overflowBeyondMaxQueuedIsCounted()
{
    Manager manager;
    MqttBridge::Options options = optionsFor(QString(), QStringLiteral("t-overflow/"));
    options.port = 1; // nothing listens: the bridge never connects
    options.maxQueued = 5;
    MqttBridge bridge(&manager, options);
    bridge.forward(QStringLiteral("#"));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("cannot reach the broker")));
    bridge.connectToBroker();
    for (int i = 0; i < 5; ++i)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("maxQueued")));
    for (int i = 0; i < 10; ++i)
        manager.emitEvent(QStringLiteral("e"), {i});
    QCOMPARE(bridge.publishedCount(), 5u); // kept for later
    QCOMPARE(bridge.queuedCount(), 5u);
    QCOMPARE(bridge.droppedCount(), 5u); // counted and reported, never silent
}

void tst_Mqtt::badInputFromTheNetworkIsDroppedGoodStillArrives()
{
    Manager manager;
    const QString prefix = QStringLiteral("t-bad/");
    MqttBridge::Options options = optionsFor(QString(), prefix);
    options.maxPayloadBytes = 1000;
    MqttBridge bridge(&manager, options);
    bridge.receive(QStringLiteral("#"));
    bridge.connectToBroker();
    QTRY_VERIFY_WITH_TIMEOUT(bridge.isConnected(), 10000);
    QTest::qWait(200);
    Collector got;
    got.attach(manager, QStringLiteral("good"), nullptr);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("malformed CBOR")));
    QVERIFY(publishRaw(prefix + QStringLiteral("good"), QByteArray("\xff garbage", 9)));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not a CBOR map")));
    QVERIFY(publishRaw(prefix + QStringLiteral("good"), QCborValue(QCborArray{1}).toCbor()));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("over the 1000 byte limit")));
    QVERIFY(publishRaw(prefix + QStringLiteral("good"),
                       goodPayload(QStringLiteral("x"), 1, {QString(2000, QLatin1Char('z'))})));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("names no event")));
    QVERIFY(publishRaw(prefix, goodPayload(QStringLiteral("x"), 2, {1})));
    QVERIFY(publishRaw(prefix + QStringLiteral("good"), goodPayload(QStringLiteral("x"), 3, {7})));
    QTRY_COMPARE_WITH_TIMEOUT(got.count(), 1, 10000);
    QMutexLocker lock(&got.mutex);
    QCOMPARE(got.events.at(0).args, QVariantList{7});
    lock.unlock();
    QTRY_COMPARE(bridge.droppedCount(), 4u);
    QCOMPARE(bridge.receivedCount(), 1u);
}

void tst_Mqtt::twoProcessesExchangeEvents()
{
    // The example's responder answers every "demo/ping" with a "demo/pong".
    if (QStringLiteral(AIOEVT_MQTT_PEER).isEmpty())
        QSKIP("the examples are not built");
    QProcess peer;
    peer.setProcessChannelMode(QProcess::ForwardedChannels);
    peer.start(QStringLiteral(AIOEVT_MQTT_PEER),
               {QStringLiteral("--responder"), QStringLiteral("--port"),
                QString::number(brokerPort()), QStringLiteral("--count"), QStringLiteral("5")});
    QVERIFY(peer.waitForStarted(10000));
    Manager manager;
    MqttBridge bridge(&manager, optionsFor(QString(), QStringLiteral("aioevt-demo/")));
    bridge.forward(QStringLiteral("demo/ping"));
    bridge.receive(QStringLiteral("demo/pong"));
    bridge.connectToBroker();
    QTRY_VERIFY_WITH_TIMEOUT(bridge.isConnected(), 10000);
    Collector pongs;
    pongs.attach(manager, QStringLiteral("demo/pong"), nullptr);
    // Ping until the responder is subscribed; then five pings get five pongs.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            manager.emitEvent(QStringLiteral("demo/ping"), {0});
            return pongs.count() > 0;
        }(),
        20000);
    for (int i = 1; i <= 5; ++i)
        manager.emitEvent(QStringLiteral("demo/ping"), {i});
    // Late answers to the probing pings (0) may come in between: look at the values.
    auto answered = [&] {
        QMutexLocker lock(&pongs.mutex);
        QList<int> values;
        for (const EventData &e : std::as_const(pongs.events)) {
            if (const int v = e.args.value(0).toInt())
                values.append(v);
        }
        return values;
    };
    QTRY_COMPARE_WITH_TIMEOUT(answered(), (QList<int>{10, 20, 30, 40, 50}), 10000);
    QVERIFY(peer.waitForFinished(10000)); // it quits after five answered pings
    QCOMPARE(peer.exitCode(), 0);
}

void tst_Mqtt::brokerRestartLosesNoQos1Event()
{
    Manager sender, receiver;
    const QString prefix = QStringLiteral("t-restart/");
    // Fixed client ids and persistent sessions: the broker keeps the receiver's share.
    MqttBridge out(&sender, optionsFor(QStringLiteral("aioevt-test-out"), prefix));
    MqttBridge in(&receiver, optionsFor(QStringLiteral("aioevt-test-in"), prefix));
    out.forward(QStringLiteral("stream"));
    in.receive(QStringLiteral("stream"));
    out.connectToBroker();
    in.connectToBroker();
    QTRY_VERIFY_WITH_TIMEOUT(out.isConnected() && in.isConnected(), 10000);
    QTest::qWait(300);

    QMutex mutex;
    QSet<int> seen;
    receiver.on(QStringLiteral("stream"), [&](int n) {
        QMutexLocker lock(&mutex);
        seen.insert(n);
    });
    constexpr int total = 3000;
    std::atomic<int> emitted{0};
    testutils::JoiningThread producer([&] {
        for (int i = 0; i < total; ++i) {
            sender.emitEvent(QStringLiteral("stream"), {i});
            emitted = i + 1;
            if (i % 50 == 0)
                QThread::msleep(10); // a steady stream that spans the restart
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(emitted.load() > total / 4, 20000);
    QVERIFY(runBrokerScript(QStringLiteral("stop")));
    QTRY_VERIFY_WITH_TIMEOUT(!out.isConnected() && !in.isConnected(), 10000);
    QTest::qWait(300); // events published meanwhile are kept by the sending bridge
    QVERIFY(runBrokerScript(QStringLiteral("restart"))); // same port, same data folder
    producer.join();
    QTRY_VERIFY_WITH_TIMEOUT(out.isConnected() && in.isConnected(), 60000);
    auto missing = [&] {
        QMutexLocker lock(&mutex);
        return total - int(seen.size());
    };
    QTRY_COMPARE_WITH_TIMEOUT(missing(), 0, 60000);
    QCOMPARE(out.droppedCount() + in.droppedCount(), 0u);
    QTRY_COMPARE(out.queuedCount(), 0u);
}

QTEST_GUILESS_MAIN(tst_Mqtt)
#include "tst_mqtt.moc"
