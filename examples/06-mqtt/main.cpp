// SPDX-License-Identifier: MIT
// 06: two processes exchange events through an MQTT broker (Mosquitto).
//   This process forwards "demo/ping" and receives "demo/pong"; it starts a second
//   process of the same program (--responder), which does the opposite and answers each
//   ping. Neither knows MQTT: they emit and subscribe as usual; the bridges carry it.
//   Needs a broker: `mosquitto` on 127.0.0.1:1883, or --port N / --port-file FILE.
#include <aioevt/aioevt.h>
#include <aioevt/mqttbridge.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTimer>

#include <cstdio>

static void say(const QString &role, const QString &line)
{
    std::printf("[%-9s] %s\n", qPrintable(role), qPrintable(line));
    std::fflush(stdout);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("responder"), QStringLiteral("Answer pings (the second process).")},
         {QStringLiteral("port"), QStringLiteral("Broker port."), QStringLiteral("port"),
          QStringLiteral("1883")},
         {QStringLiteral("port-file"), QStringLiteral("Read the broker port from a file."),
          QStringLiteral("file")},
         {QStringLiteral("count"), QStringLiteral("Pings to exchange."), QStringLiteral("n"),
          QStringLiteral("3")}});
    parser.process(app);
    int port = parser.value(QStringLiteral("port")).toInt();
    if (parser.isSet(QStringLiteral("port-file"))) {
        QFile file(parser.value(QStringLiteral("port-file")));
        if (file.open(QIODevice::ReadOnly))
            port = file.readAll().trimmed().toInt();
    }
    const int count = parser.value(QStringLiteral("count")).toInt();
    const bool responder = parser.isSet(QStringLiteral("responder"));
    const QString role = responder ? QStringLiteral("responder") : QStringLiteral("initiator");

    aioevt::Manager events;
    aioevt::MqttBridge::Options options;
    options.port = port;
    options.topicPrefix = QStringLiteral("aioevt-demo/");
    aioevt::MqttBridge bridge(&events, options);
    bridge.forward(responder ? QStringLiteral("demo/pong") : QStringLiteral("demo/ping"));
    bridge.receive(responder ? QStringLiteral("demo/ping") : QStringLiteral("demo/pong"));
    bridge.connectToBroker();
    QTimer::singleShot(30000, &app, [&] { app.exit(1); }); // give up if nobody answers

    if (responder) {
        events.on(QStringLiteral("demo/ping"), [&](int n) {
            events.emitEvent(QStringLiteral("demo/pong"), {n * 10});
            if (n > 0)
                say(role, QStringLiteral("ping %1 -> pong %2").arg(n).arg(n * 10));
            if (n == count)
                QTimer::singleShot(200, &app, &QCoreApplication::quit); // let the pong go out
        });
        return app.exec();
    }

    // The initiator starts the responder, then pings (0 until the responder is
    // subscribed, then 1..count) and waits for the pongs.
    QProcess peer;
    peer.setProcessChannelMode(QProcess::ForwardedChannels);
    peer.start(QCoreApplication::applicationFilePath(),
               {QStringLiteral("--responder"), QStringLiteral("--port"), QString::number(port),
                QStringLiteral("--count"), QString::number(count)});
    int pongs = 0;
    bool started = false;
    QTimer probe;
    QObject::connect(&probe, &QTimer::timeout,
                     [&] { events.emitEvent(QStringLiteral("demo/ping"), {0}); });
    events.on(QStringLiteral("demo/pong"), [&](int value) {
        if (value == 0) {
            if (!started) { // the responder listens: the real pings
                started = true;
                probe.stop();
                for (int i = 1; i <= count; ++i)
                    events.emitEvent(QStringLiteral("demo/ping"), {i});
            }
            return;
        }
        say(role, QStringLiteral("pong %1").arg(value));
        if (++pongs == count)
            app.quit();
    });
    probe.start(100);
    const int rc = app.exec();
    peer.waitForFinished(10000);
    const bool ok = rc == 0 && pongs == count && peer.exitCode() == 0;
    say(role,
        ok ? QStringLiteral("done: %1 events each way through the broker").arg(count)
           : QStringLiteral("FAILED"));
    return ok ? 0 : 1;
}
