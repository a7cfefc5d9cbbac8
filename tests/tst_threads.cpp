// SPDX-License-Identifier: MIT
// Which thread runs a callback, and what happens when that thread starts late or ends.
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtCore/QSemaphore>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::JoiningThread;
using testutils::WorkerThread;

namespace {

/* A thread that runs no event loop: it waits on a gate and then finishes. */
class GateThread : public QThread
{
public:
    QSemaphore gate;
    ~GateThread() override
    {
        gate.release();
        wait();
    }

protected:
    void run() override { gate.acquire(); }
};

} // namespace

class tst_Threads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsOnChosenThread();
    void defaultsToCallingThread();
    void threadNotStartedYetGetsEventsOnStart();
    void finishedThreadLosesSubscriptions();
    void onWithFinishedThreadIsInvalid();
    void queuedDeliveriesToFinishedThreadAreReported();
    void deletedThreadLosesSubscriptionsAndReports();
    void contextRunsOnItsThreadAndFollowsMoveToThread();
    void contextDestroyedEndsSubscription();
    void contextDestroyedWithDeliveriesQueued();
    void emitFromPlainThreads();
    void plainThreadRunsCallbacksInsideWaitFor();
};

void tst_Threads::runsOnChosenThread()
{
    Manager manager;
    WorkerThread worker("worker");
    std::atomic<QThread *> ranOn{nullptr};
    std::atomic<int> calls{0};
    QVERIFY(manager
                .on(
                    QStringLiteral("e"),
                    [&] {
                        ranOn = QThread::currentThread();
                        ++calls;
                    },
                    worker)
                .isValid());
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(calls.load(), 1);
    QCOMPARE(ranOn.load(), worker.get());

    // The same through the member-function and context forms: the receiver's thread.
    QObject context;
    context.moveToThread(worker);
    std::atomic<QThread *> contextRanOn{nullptr};
    manager.on(QStringLiteral("c"), &context, [&] { contextRanOn = QThread::currentThread(); });
    manager.emitEvent(QStringLiteral("c"));
    QTRY_COMPARE(contextRanOn.load(), worker.get());
    QMetaObject::invokeMethod(
        &context, [&] { context.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
}

void tst_Threads::defaultsToCallingThread()
{
    Manager manager;
    WorkerThread worker("worker");
    std::atomic<QThread *> ranOn{nullptr};
    QObject anchor;
    anchor.moveToThread(worker);
    // on() called on the worker thread, without a thread argument.
    QMetaObject::invokeMethod(
        &anchor,
        [&] { manager.on(QStringLiteral("e"), [&] { ranOn = QThread::currentThread(); }); },
        Qt::BlockingQueuedConnection);
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(ranOn.load(), worker.get());
    QMetaObject::invokeMethod(
        &anchor, [&] { anchor.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
}

void tst_Threads::threadNotStartedYetGetsEventsOnStart()
{
    Manager manager;
    WorkerThread late("late", /*start=*/false);
    std::atomic<int> calls{0};
    std::atomic<QThread *> ranOn{nullptr};
    QVERIFY(manager
                .on(
                    QStringLiteral("e"),
                    [&](int) {
                        ++calls;
                        ranOn = QThread::currentThread();
                    },
                    late)
                .isValid());
    for (int i = 0; i < 3; ++i)
        manager.emitEvent(QStringLiteral("e"), {i});
    QCoreApplication::processEvents();
    QCOMPARE(calls.load(), 0); // nothing can run before the thread exists
    late->start();
    QTRY_COMPARE(calls.load(), 3);
    QCOMPARE(ranOn.load(), late.get());
}

void tst_Threads::finishedThreadLosesSubscriptions()
{
    Manager manager;
    WorkerThread worker("worker");
    const Subscription s = manager.on(
        QStringLiteral("e"), [] {}, worker);
    QCOMPARE(manager.subscriberCount(QStringLiteral("e")), 1);
    worker.stop();
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("e")), 0);
    QVERIFY(!s.isActive());
    QVERIFY(manager.eventNames().isEmpty());
}

void tst_Threads::onWithFinishedThreadIsInvalid()
{
    Manager manager;
    WorkerThread worker("worker");
    worker.stop();
    QTest::ignoreMessage(QtWarningMsg, "cannot subscribe to \"e\": the target thread has finished");
    const Subscription s = manager.on(
        QStringLiteral("e"), [] {}, worker);
    QVERIFY(!s.isValid());
    QCOMPARE(manager.subscriberCount(QStringLiteral("e")), 0);
}

void tst_Threads::queuedDeliveriesToFinishedThreadAreReported()
{
    Manager manager;
    QSignalSpy failed(&manager, &Manager::deliveryFailed);
    GateThread thread; // runs no event loop: deliveries stay queued
    thread.start();
    std::atomic<int> calls{0};
    manager.on(
        QStringLiteral("lost"), [&] { ++calls; }, &thread);
    for (int i = 0; i < 3; ++i)
        manager.emitEvent(QStringLiteral("lost"));
    QTest::ignoreMessage(QtWarningMsg,
                         "dropped 3 deliveries of \"lost\": its target thread finished");
    thread.gate.release();
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("lost"));
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("its target thread finished"));
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("lost")), 0);
    QCOMPARE(calls.load(), 0);
    // Emitting again is harmless: nobody is subscribed any more.
    manager.emitEvent(QStringLiteral("lost"));
    QCoreApplication::processEvents();
    QCOMPARE(failed.count(), 1);
}

void tst_Threads::deletedThreadLosesSubscriptionsAndReports()
{
    Manager manager;
    QSignalSpy failed(&manager, &Manager::deliveryFailed);
    auto *thread = new QThread; // never started
    manager.on(
        QStringLiteral("gone"), [] {}, thread);
    manager.emitEvent(QStringLiteral("gone"));
    QTest::ignoreMessage(QtWarningMsg,
                         "dropped 1 delivery of \"gone\": its target thread was destroyed");
    delete thread;
    QCOMPARE(failed.count(), 1);
    QCOMPARE(manager.subscriberCount(QStringLiteral("gone")), 0);
}

void tst_Threads::contextRunsOnItsThreadAndFollowsMoveToThread()
{
    Manager manager;
    WorkerThread worker("worker");
    QObject context;
    std::atomic<QThread *> ranOn{nullptr};
    std::atomic<int> calls{0};
    manager.on(QStringLiteral("e"), &context, [&] {
        ranOn = QThread::currentThread();
        ++calls;
    });
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(calls.load(), 1);
    QCOMPARE(ranOn.load(), QThread::currentThread());

    context.moveToThread(worker);
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(calls.load(), 2);
    QCOMPARE(ranOn.load(), worker.get());

    // Moved after the emission but before delivery: it still runs where the context is.
    QMetaObject::invokeMethod(
        &context, [&] { context.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
    manager.emitEvent(QStringLiteral("e"));
    context.moveToThread(worker);
    QTRY_COMPARE(calls.load(), 3);
    QCOMPARE(ranOn.load(), worker.get());
    QMetaObject::invokeMethod(
        &context, [&] { context.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
}

void tst_Threads::contextDestroyedEndsSubscription()
{
    Manager manager;
    int calls = 0;
    auto *context = new QObject;
    const Subscription s = manager.on(QStringLiteral("e"), context, [&] { ++calls; });
    QCOMPARE(manager.subscriberCount(QStringLiteral("e")), 1);
    delete context;
    QCOMPARE(manager.subscriberCount(QStringLiteral("e")), 0);
    QVERIFY(!s.isActive());
    manager.emitEvent(QStringLiteral("e"));
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void tst_Threads::contextDestroyedWithDeliveriesQueued()
{
    Manager manager;
    int calls = 0;
    int otherCalls = 0;
    auto *context = new QObject;
    manager.on(QStringLiteral("e"), context, [&] { ++calls; });
    manager.on(QStringLiteral("e"), [&] { ++otherCalls; });
    manager.emitEvent(QStringLiteral("e"));
    manager.emitEvent(QStringLiteral("e"));
    delete context; // the queued deliveries to it become no-ops
    QTRY_COMPARE(otherCalls, 2);
    QCOMPARE(calls, 0);
}

void tst_Threads::emitFromPlainThreads()
{
    Manager manager;
    std::atomic<int> calls{0};
    QThread *const mainThread = QThread::currentThread();
    std::atomic<bool> wrongThread{false};
    manager.on(QStringLiteral("e"), [&](int) {
        if (QThread::currentThread() != mainThread)
            wrongThread = true;
        ++calls;
    });
    {
        std::vector<std::unique_ptr<JoiningThread>> threads;
        for (int t = 0; t < 4; ++t) {
            threads.push_back(std::make_unique<JoiningThread>([&manager, t] {
                for (int i = 0; i < 250; ++i)
                    manager.emitEvent(QStringLiteral("e"), {t * 1000 + i});
            }));
        }
    }
    QTRY_COMPARE(calls.load(), 1000);
    QVERIFY(!wrongThread);
}

void tst_Threads::plainThreadRunsCallbacksInsideWaitFor()
{
    Manager manager;
    std::atomic<QThread *> ranOn{nullptr};
    std::atomic<QThread *> plainThread{nullptr};
    std::atomic<bool> gotDone{false};
    QSemaphore subscribed;
    {
        JoiningThread plain([&] {
            plainThread = QThread::currentThread();
            manager.on(QStringLiteral("ping"), [&] {
                ranOn = QThread::currentThread();
                manager.emitEvent(QStringLiteral("done"));
            });
            // waitFor subscribes before it returns control to the loop; signal first.
            subscribed.release();
            gotDone = manager.waitFor(QStringLiteral("done"), 10s).has_value();
        });
        subscribed.acquire();
        QTRY_COMPARE(manager.subscriberCount(QStringLiteral("done")), 1);
        manager.emitEvent(QStringLiteral("ping"));
    }
    QVERIFY(gotDone);
    QCOMPARE(ranOn.load(), plainThread.load());
    // The plain thread has ended: its subscription went with it.
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("ping")), 0);
}

QTEST_GUILESS_MAIN(tst_Threads)
#include "tst_threads.moc"
