// SPDX-License-Identifier: MIT
// 05: coroutines and request/reply.
//   - a QCoro::Task callback that awaits another event before it answers;
//   - request(): every subscriber's answer, from three threads, as one future;
//   - co_await on aioevt's futures, and coro::wait() with std::nullopt on timeout.
#include <aioevt/aioevt.h>
#include <aioevt/coro.h>

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

// The main coroutine: asks, awaits the answers, then waits for something that never comes.
static QCoro::Task<bool> run(aioevt::Manager &events)
{
    const QVariantList order{QStringLiteral("coffee")};
    // Three kitchens answer; the "slow" one first awaits a "beans" event.
    const QVariantList answers = co_await events.request(QStringLiteral("order"), order, {}, 5s);
    for (const QVariant &answer : answers)
        say(QStringLiteral("answer: %1").arg(answer.toString()));

    // No "refund" within 100 ms: std::nullopt instead of an exception.
    const auto refund = co_await aioevt::coro::wait(events, QStringLiteral("refund"), 100ms);
    say(refund ? QStringLiteral("refund?!") : QStringLiteral("no refund within 100 ms"));
    co_return answers.size() == 3 && !refund;
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QThread::currentThread()->setObjectName(QStringLiteral("main"));
    aioevt::Manager events;
    QThread fast, slow;
    fast.setObjectName(QStringLiteral("fast"));
    slow.setObjectName(QStringLiteral("slow"));
    fast.start();
    slow.start();

    // A plain callback answers at once.
    events.on(
        QStringLiteral("order"),
        [](const QString &what) { return QStringLiteral("%1 now").arg(what); }, &fast);
    // A coroutine callback suspends until "beans" arrive; its answer is its co_return.
    events.on(
        QStringLiteral("order"),
        [&events](QString what) -> QCoro::Task<QString> {
            say(QStringLiteral("waiting for beans"));
            const auto beans = co_await aioevt::coro::wait(events, QStringLiteral("beans"), 5s);
            co_return QStringLiteral("%1 with %2 beans")
                .arg(what, beans ? beans->args.value(0).toString() : QStringLiteral("no"));
        },
        &slow);
    // On the calling thread: served when this thread's loop runs (no deadlock).
    events.on(QStringLiteral("order"),
              [](const QString &what) { return QStringLiteral("%1 to go").arg(what); });

    events.emitAfter(50ms, QStringLiteral("beans"), {QStringLiteral("fresh")});

    bool ok = false;
    QCoro::connect(run(events), &app, [&](bool result) {
        ok = result;
        app.quit();
    });
    QTimer::singleShot(10s, &app, [&] { app.exit(1); }); // a safety net for the smoke test
    app.exec();

    fast.quit();
    slow.quit();
    fast.wait();
    slow.wait();
    say(ok ? QStringLiteral("done") : QStringLiteral("FAILED"));
    return ok ? 0 : 1;
}
