// SPDX-License-Identifier: MIT
// 03: the ways to wait for an event, each with a timeout.
//   - waitFor(): blocking-style, a local event loop on this thread;
//   - wait(): a QFuture, fulfilled on the emitting thread, with a predicate;
//   - a timeout: TimeoutError in the future, std::nullopt from waitFor().
#include <aioevt/aioevt.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <cstdio>

using namespace std::chrono_literals;

static void say(const QString &line)
{
    std::printf("[%-6s] %s\n", qPrintable(QThread::currentThread()->objectName()),
                qPrintable(line));
    std::fflush(stdout);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QThread::currentThread()->setObjectName(QStringLiteral("main"));
    aioevt::Manager events;
    QThread worker;
    worker.setObjectName(QStringLiteral("worker"));
    worker.start();
    bool ok = true;

    // The worker answers "measure" with five "sample" events and then "ready".
    events.on(
        QStringLiteral("measure"),
        [&] {
            for (int i = 1; i <= 5; ++i)
                events.emitEvent(QStringLiteral("sample"), {i * 10});
            events.emitEvent(QStringLiteral("ready"));
        },
        &worker);

    // 1. A future with a predicate: the first sample above 25. Subscribed now, before
    //    "measure" is emitted, so it cannot miss it.
    QFuture<aioevt::EventData> bigSample
        = events.wait(QStringLiteral("sample"), 5s,
                      [](const aioevt::EventData &e) { return e.args.value(0).toInt() > 25; });
    QFuture<void> printed = bigSample.then([](const aioevt::EventData &e) {
        say(QStringLiteral("future: first sample above 25 is %1").arg(e.args.value(0).toInt()));
    });

    // 2. Blocking-style: this thread's loop keeps running while it waits. The trigger is
    //    queued on this thread, so it goes out once waitFor() listens: "ready" cannot be
    //    missed however fast the worker answers.
    QTimer::singleShot(0, [&] { events.emitEvent(QStringLiteral("measure")); });
    if (events.waitFor(QStringLiteral("ready"), 5s))
        say(QStringLiteral("waitFor: the worker is ready"));
    else
        ok = false;
    printed.waitForFinished();
    ok = ok && bigSample.result().args.value(0).toInt() == 30;

    // 3. Timeouts.
    QFuture<aioevt::EventData> never = events.wait(QStringLiteral("never"), 50ms);
    try {
        never.waitForFinished();
        ok = false;
    } catch (const aioevt::TimeoutError &e) {
        say(QStringLiteral("future: %1").arg(QString::fromUtf8(e.what())));
    }
    if (!events.waitFor(QStringLiteral("never"), 50ms))
        say(QStringLiteral("waitFor: no \"never\" within 50 ms"));
    ok = ok && events.subscriberCount(QStringLiteral("never")) == 0; // no waiter left behind

    worker.quit();
    worker.wait();
    return ok ? 0 : 1;
}
