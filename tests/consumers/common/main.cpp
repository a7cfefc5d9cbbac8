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
    // Subscribe before triggering: wait() listens from the moment it returns.
    QFuture<aioevt::EventData> reply
        = events.wait(QStringLiteral("pong"), std::chrono::seconds(10));
    events.emitEvent(QStringLiteral("ping"), {41});
    std::optional<aioevt::EventData> pong;
    try {
        pong = reply.result(); // blocks until the reply arrives (or throws on timeout)
    } catch (const aioevt::TimeoutError &) { }

    worker.quit();
    worker.wait();
    const bool ok = pong && pong->args.value(0).toInt() == 42 && ranOn == &worker;
    std::printf("aioevt %s consumer: %s\n", AIOEVT_VERSION_STRING, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
