// SPDX-License-Identifier: MIT
// 01: two worker threads and the main thread exchange events through one manager.
// "alpha" squares the jobs the main thread emits, "beta" adds up the results and says
// when all are in; the main thread waits for that, blocking-style, with a timeout.
#include <aioevt/aioevt.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <cstdio>

using namespace std::chrono_literals;

// Prints a line prefixed with the name of the thread that runs it.
static void say(const QString &line)
{
    std::printf("[%-5s] %s\n", qPrintable(QThread::currentThread()->objectName()),
                qPrintable(line));
    std::fflush(stdout);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QThread::currentThread()->setObjectName(QStringLiteral("main"));
    aioevt::Manager events;

    QThread alpha;
    QThread beta;
    alpha.setObjectName(QStringLiteral("alpha"));
    beta.setObjectName(QStringLiteral("beta"));
    alpha.start();
    beta.start();

    constexpr int jobs = 5;
    // alpha: typed parameters receive the emitted arguments.
    events.on(
        QStringLiteral("job"),
        [&](int n) {
            say(QStringLiteral("job %1 -> square %2").arg(n).arg(n * n));
            events.emitEvent(QStringLiteral("result"), {n, n * n});
        },
        &alpha);

    // beta: keeps a running total, only ever touched on beta's thread.
    int received = 0;
    int total = 0;
    events.on(
        QStringLiteral("result"),
        [&](int n, int square) {
            total += square;
            say(QStringLiteral("result of job %1, total so far %2").arg(n).arg(total));
            if (++received == jobs)
                events.emitEvent(QStringLiteral("done"), {total});
        },
        &beta);

    // main: a one-shot callback on this thread, run while waitFor() below spins its loop.
    events.once(QStringLiteral("done"), [](int sum) {
        say(QStringLiteral("once-callback: all jobs done, sum %1").arg(sum));
    });

    // The jobs go out from this thread's loop once waitFor() below is listening, so that
    // "done" cannot arrive before anyone waits for it.
    QTimer::singleShot(0, [&] {
        for (int n = 1; n <= jobs; ++n)
            events.emitEvent(QStringLiteral("job"), {n});
    });
    const std::optional<aioevt::EventData> done = events.waitFor(QStringLiteral("done"), 10s);
    if (done)
        say(QStringLiteral("waitFor returned %1").arg(done->args.value(0).toInt()));
    else
        say(QStringLiteral("timed out"));

    alpha.quit();
    beta.quit();
    alpha.wait();
    beta.wait();
    return done && done->args.value(0).toInt() == 55 ? 0 : 1;
}
