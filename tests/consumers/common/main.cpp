// SPDX-License-Identifier: MIT
// The consumer smoke test: emit on one thread, receive on another, exit 0.
#include <aioevt/aioevt.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    aioevt::Manager events;
    QThread worker;
    worker.start();

    QThread *ranOn = nullptr;
    events.on(
        QStringLiteral("ping"),
        [&](int n) {
            ranOn = QThread::currentThread();
            events.emitEvent(QStringLiteral("pong"), {n + 1});
        },
        &worker);
    events.emitEvent(QStringLiteral("ping"), {41});
    const auto pong = events.waitFor(QStringLiteral("pong"), std::chrono::seconds(10));

    worker.quit();
    worker.wait();
    const bool ok = pong && pong->args.value(0).toInt() == 42 && ranOn == &worker;
    std::printf("aioevt %s consumer: %s\n", AIOEVT_VERSION_STRING, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
