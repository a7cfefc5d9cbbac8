// The installed MQTT bridge links and runs without libmosquitto's headers: a bridge that
// was never connected counts what it could not forward.
#include <aioevt/aioevt.h>
#include <aioevt/mqttbridge.h>

#include <QtCore/QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    aioevt::Manager manager;
    aioevt::MqttBridge bridge(&manager, aioevt::MqttBridge::Options{});
    if (!bridge.forward(QStringLiteral("sensor/#")) || bridge.bridgeId().isEmpty())
        return 1;
    manager.emitEvent(QStringLiteral("sensor/temp"), {21.5});
    manager.emitEvent(QStringLiteral("other"), {1}); // not forwarded at all
    if (bridge.droppedCount() != 1 || bridge.publishedCount() != 0)
        return 1;
    std::puts("consumer: ok");
    return 0;
}
