// SPDX-License-Identifier: MIT
// wait() futures and blocking waitFor(): results, predicates, timeouts, cancellation.
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtCore/QSemaphore>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <stdexcept>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::JoiningThread;
using testutils::WorkerThread;

class tst_Wait : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void futureIsFulfilledAtEmissionTime();
    void futureNeedsNoLoopOnTheWaitingSide();
    void predicateSelectsTheEmission();
    void timeoutFailsWithTimeoutErrorAndRemovesWaiter_data();
    void timeoutFailsWithTimeoutErrorAndRemovesWaiter();
    void cancellingTheFutureRemovesTheWaiter();
    void waiterCountsAsOneSubscriber();
    void emptyNameGivesFailedFuture();
    void waitForReturnsTheEvent();
    void waitForTimesOutAndRemovesWaiter();
    void waitForKeepsTheThreadsWorkRunning();
    void waitForOnPlainThread();
    void waitForInsideCallbackLetsTheBatchContinue();
    void eventStaysValidAcrossNestedWaitFor();
    void destroyingManagerCancelsPendingFutures();
    void destroyingManagerEndsBlockingWaits();
};

void tst_Wait::futureIsFulfilledAtEmissionTime()
{
    Manager manager;
    QFuture<EventData> future = manager.wait(QStringLiteral("x"));
    QVERIFY(!future.isFinished());
    manager.emitEvent(QStringLiteral("x"), {1, QStringLiteral("a")}, {{QStringLiteral("k"), 2}});
    // No event processing in between: subscribed at call time, fulfilled at emission time.
    QVERIFY(future.isFinished());
    QVERIFY(!future.isCanceled());
    const EventData data = future.result();
    QCOMPARE(data.name, QStringLiteral("x"));
    QCOMPARE(data.args, (QVariantList{1, QStringLiteral("a")}));
    QCOMPARE(data.kwargs.value(QStringLiteral("k")).toInt(), 2);
    QCOMPARE(manager.subscriberCount(QStringLiteral("x")), 0);
}

void tst_Wait::futureNeedsNoLoopOnTheWaitingSide()
{
    Manager manager;
    QFuture<EventData> future = manager.wait(QStringLiteral("x"), 10s);
    JoiningThread emitter([&] { manager.emitEvent(QStringLiteral("x"), {42}); });
    future.waitForFinished(); // blocks this thread without running its event loop
    QCOMPARE(future.result().args.value(0).toInt(), 42);
}

void tst_Wait::predicateSelectsTheEmission()
{
    Manager manager;
    QFuture<EventData> future = manager.wait(QStringLiteral("n"), Forever, [](const EventData &e) {
        return e.args.value(0).toInt() == 3;
    });
    for (int i = 1; i <= 4; ++i)
        manager.emitEvent(QStringLiteral("n"), {i});
    QVERIFY(future.isFinished());
    QCOMPARE(future.result().args.value(0).toInt(), 3);

    // A predicate that throws rejects that emission and keeps waiting.
    QFuture<EventData> picky = manager.wait(QStringLiteral("p"), 10s, [](const EventData &e) {
        if (e.args.isEmpty())
            throw std::runtime_error("no args");
        return true;
    });
    QTest::ignoreMessage(QtWarningMsg, "a wait predicate of \"p\" threw: no args");
    manager.emitEvent(QStringLiteral("p"));
    QVERIFY(!picky.isFinished());
    manager.emitEvent(QStringLiteral("p"), {1});
    QVERIFY(picky.isFinished());
}

void tst_Wait::timeoutFailsWithTimeoutErrorAndRemovesWaiter_data()
{
    QTest::addColumn<bool>("intOverload");
    QTest::newRow("chrono") << false;
    QTest::newRow("int milliseconds") << true;
}

void tst_Wait::timeoutFailsWithTimeoutErrorAndRemovesWaiter()
{
    QFETCH(bool, intOverload);
    Manager manager;
    QFuture<EventData> future = intOverload ? manager.wait(QStringLiteral("never"), 30)
                                            : manager.wait(QStringLiteral("never"), 30ms);
    QCOMPARE(manager.subscriberCount(QStringLiteral("never")), 1);
    bool timedOut = false;
    try {
        future.waitForFinished();
    } catch (const TimeoutError &e) {
        timedOut = true;
        QVERIFY(QByteArray(e.what()).contains("never"));
    }
    QVERIFY(timedOut);
    QCOMPARE(manager.subscriberCount(QStringLiteral("never")), 0);
    // A late emission changes nothing.
    manager.emitEvent(QStringLiteral("never"));
}

void tst_Wait::cancellingTheFutureRemovesTheWaiter()
{
    Manager manager;
    QFuture<EventData> future = manager.wait(QStringLiteral("x"));
    QCOMPARE(manager.subscriberCount(QStringLiteral("x")), 1);
    future.cancel();
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("x")), 0);
    QVERIFY(future.isCanceled());
    QTRY_VERIFY(future.isFinished());

    // Cancelled with a timeout pending: the timeout does not fire later.
    QFuture<EventData> timed = manager.wait(QStringLiteral("y"), 50ms);
    timed.cancel();
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("y")), 0);
}

void tst_Wait::waiterCountsAsOneSubscriber()
{
    Manager manager;
    manager.on(QStringLiteral("x"), [] {});
    QFuture<EventData> f = manager.wait(QStringLiteral("x"));
    QCOMPARE(manager.subscriberCount(QStringLiteral("x")), 2);
    QVERIFY(manager.hasSubscribers(QStringLiteral("x")));
    QCOMPARE(manager.eventNames(), QStringList{QStringLiteral("x")});
    manager.emitEvent(QStringLiteral("x"));
    QCOMPARE(manager.subscriberCount(QStringLiteral("x")), 1);
}

void tst_Wait::emptyNameGivesFailedFuture()
{
    Manager manager;
    QTest::ignoreMessage(QtWarningMsg, "wait(): the event name is empty");
    QFuture<EventData> future = manager.wait(QString());
    QVERIFY(future.isFinished());
    bool invalid = false;
    try {
        future.waitForFinished();
    } catch (const std::invalid_argument &) {
        invalid = true;
    }
    QVERIFY(invalid);

    QTest::ignoreMessage(QtWarningMsg, "waitFor(): the event name is empty");
    QVERIFY(!manager.waitFor(QString(), 10ms).has_value());
}

void tst_Wait::waitForReturnsTheEvent()
{
    Manager manager;
    WorkerThread worker("worker");
    QObject anchor;
    anchor.moveToThread(worker);
    // The emission comes from another thread while this one waits in its local loop.
    QMetaObject::invokeMethod(&anchor, [&] {
        while (manager.subscriberCount(QStringLiteral("x")) == 0)
            QThread::yieldCurrentThread();
        manager.emitEvent(QStringLiteral("x"), {7});
    });
    const std::optional<EventData> got = manager.waitFor(QStringLiteral("x"), 10s);
    QVERIFY(got.has_value());
    QCOMPARE(got->args.value(0).toInt(), 7);
    QCOMPARE(manager.subscriberCount(QStringLiteral("x")), 0);
    QMetaObject::invokeMethod(
        &anchor, [&] { anchor.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
}

void tst_Wait::waitForTimesOutAndRemovesWaiter()
{
    Manager manager;
    QVERIFY(!manager.waitFor(QStringLiteral("never"), 20ms).has_value());
    QVERIFY(!manager.waitFor(QStringLiteral("never"), 20).has_value());
    QCOMPARE(manager.subscriberCount(QStringLiteral("never")), 0);

    // With a predicate that rejects everything.
    manager.emitAfter(1ms, QStringLiteral("p"), {1});
    QVERIFY(!manager.waitFor(QStringLiteral("p"), 50ms, [](const EventData &) { return false; }));
    QCOMPARE(manager.subscriberCount(QStringLiteral("p")), 0);
}

void tst_Wait::waitForKeepsTheThreadsWorkRunning()
{
    Manager manager;
    int work = 0;
    manager.on(QStringLiteral("work"), [&] {
        ++work;
        manager.emitEvent(QStringLiteral("done"), {work});
    });
    bool timerRan = false;
    QTimer::singleShot(0, [&] { timerRan = true; });
    manager.emitEvent(QStringLiteral("work"));
    const auto done = manager.waitFor(QStringLiteral("done"), 10s);
    QVERIFY(done.has_value());
    QCOMPARE(done->args.value(0).toInt(), 1);
    QVERIFY(timerRan);
}

void tst_Wait::waitForOnPlainThread()
{
    Manager manager;
    std::optional<EventData> got;
    {
        JoiningThread plain([&] { got = manager.waitFor(QStringLiteral("x"), 10s); });
        QTRY_COMPARE(manager.subscriberCount(QStringLiteral("x")), 1);
        manager.emitEvent(QStringLiteral("x"), {QStringLiteral("hi")});
    }
    QVERIFY(got.has_value());
    QCOMPARE(got->args.value(0).toString(), QStringLiteral("hi"));

    // A timeout on a plain thread uses that thread's own local timer.
    bool timedOut = false;
    {
        JoiningThread plain([&] { timedOut = !manager.waitFor(QStringLiteral("y"), 20ms); });
    }
    QVERIFY(timedOut);
}

void tst_Wait::waitForInsideCallbackLetsTheBatchContinue()
{
    Manager manager;
    std::optional<EventData> nested;
    int second = 0;
    // Both deliveries of "a" arrive in one batch; the first blocks in waitFor until the
    // second has run and emitted "b".
    manager.on(QStringLiteral("a"), [&] { nested = manager.waitFor(QStringLiteral("b"), 10s); });
    manager.on(QStringLiteral("a"), [&] {
        ++second;
        manager.emitEvent(QStringLiteral("b"), {2});
    });
    manager.emitEvent(QStringLiteral("a"));
    QTRY_VERIFY(nested.has_value());
    QCOMPARE(second, 1);
    QCOMPARE(nested->args.value(0).toInt(), 2);

    // Later events keep flowing after the nested loop.
    manager.emitEvent(QStringLiteral("a"));
    QTRY_COMPARE(second, 2);
}

void tst_Wait::eventStaysValidAcrossNestedWaitFor()
{
    Manager manager;
    QStringList seen;
    // The callback's own event must outlive the other emissions the nested loop runs
    // (and frees) before "done" arrives.
    manager.on(QStringLiteral("outer"), [&](const EventData &event) {
        const auto done = manager.waitFor(QStringLiteral("done"), 10s);
        QVERIFY(done.has_value());
        seen << event.name + QLatin1Char(':') + event.args.value(0).toString();
    });
    manager.on(QStringLiteral("filler"), [&](const EventData &event) {
        if (event.args.value(0).toInt() == 99)
            manager.emitEvent(QStringLiteral("done"));
    });
    manager.emitEvent(QStringLiteral("outer"), {QStringLiteral("payload")});
    for (int i = 0; i < 100; ++i)
        manager.emitEvent(QStringLiteral("filler"), {i});
    QTRY_COMPARE(seen, QStringList{QStringLiteral("outer:payload")});
}

void tst_Wait::destroyingManagerCancelsPendingFutures()
{
    auto manager = std::make_unique<Manager>();
    QFuture<EventData> forever = manager->wait(QStringLiteral("x"));
    QFuture<EventData> timed = manager->wait(QStringLiteral("y"), 10s);
    manager.reset();
    for (QFuture<EventData> *f : {&forever, &timed}) {
        QVERIFY(f->isFinished());
        QVERIFY(f->isCanceled());
        bool canceled = false;
        try {
            f->waitForFinished();
        } catch (const CanceledError &e) {
            canceled = QByteArray(e.what()).contains("destroyed");
        }
        QVERIFY(canceled);
    }
}

void tst_Wait::destroyingManagerEndsBlockingWaits()
{
    auto *manager = new Manager;
    std::optional<EventData> got = EventData{};
    std::atomic<bool> returned{false};
    {
        JoiningThread plain([&] {
            got = manager->waitFor(QStringLiteral("x"));
            returned = true;
        });
        QTRY_COMPARE(manager->subscriberCount(QStringLiteral("x")), 1);
        delete manager;
    }
    QVERIFY(returned);
    QVERIFY(!got.has_value());
}

QTEST_GUILESS_MAIN(tst_Wait)
#include "tst_wait.moc"
