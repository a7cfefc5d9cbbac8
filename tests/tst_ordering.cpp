// SPDX-License-Identifier: MIT
// Emission order, registration order, changes during a callback, and Once under contention.
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtCore/QSemaphore>
#include <QtTest/QTest>

#include <atomic>
#include <mutex>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::JoiningThread;
using testutils::WorkerThread;

class tst_Ordering : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perEmitterOrderIsKept();
    void registrationOrderOnOneThread();
    void registerInsideCallbackTakesEffectNextEmission();
    void unregisterInsideCallbackIsFinal();
    void unregisterFromAnotherThreadStopsQueuedDeliveries();
    void onceRunsExactlyOnceUnderContention();
    void onceIsInactiveWhenEmitReturns();
};

void tst_Ordering::perEmitterOrderIsKept()
{
    Manager manager;
    WorkerThread target("target");
    constexpr int emitters = 4;
    constexpr int perEmitter = 2000;
    std::vector<int> last(emitters, -1); // written on the target thread only
    std::atomic<int> outOfOrder{0};
    std::atomic<int> calls{0};
    manager.on(
        QStringLiteral("seq"),
        [&](int emitter, int seq) {
            if (seq != last[emitter] + 1)
                ++outOfOrder;
            last[emitter] = seq;
            ++calls;
        },
        target);
    {
        std::vector<std::unique_ptr<JoiningThread>> threads;
        for (int e = 0; e < emitters; ++e) {
            threads.push_back(std::make_unique<JoiningThread>([&manager, e] {
                for (int i = 0; i < perEmitter; ++i)
                    manager.emitEvent(QStringLiteral("seq"), {e, i});
            }));
        }
    }
    QTRY_COMPARE(calls.load(), emitters * perEmitter);
    QCOMPARE(outOfOrder.load(), 0);
}

void tst_Ordering::registrationOrderOnOneThread()
{
    Manager manager;
    WorkerThread target("target");
    std::mutex mutex;
    QList<int> order;
    for (int i = 0; i < 5; ++i) {
        manager.on(
            QStringLiteral("e"),
            [&, i] {
                std::lock_guard lock(mutex);
                order.append(i);
            },
            target);
    }
    manager.emitEvent(QStringLiteral("e"));
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(
        [&] {
            std::lock_guard lock(mutex);
            return order.size();
        }(),
        10);
    QCOMPARE(order, (QList<int>{0, 1, 2, 3, 4, 0, 1, 2, 3, 4}));
}

void tst_Ordering::registerInsideCallbackTakesEffectNextEmission()
{
    Manager manager;
    int outer = 0;
    int inner = 0;
    manager.on(QStringLiteral("e"), [&] {
        if (++outer == 1)
            manager.on(QStringLiteral("e"), [&] { ++inner; });
    });
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(outer, 1);
    QCoreApplication::processEvents();
    QCOMPARE(inner, 0); // not for the emission that was running
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(inner, 1);
    QCOMPARE(outer, 2);
}

void tst_Ordering::unregisterInsideCallbackIsFinal()
{
    Manager manager;
    Subscription second;
    int firstCalls = 0;
    int secondCalls = 0;
    manager.on(QStringLiteral("e"), [&] {
        ++firstCalls;
        QVERIFY(second.unregister());
    });
    second = manager.on(QStringLiteral("e"), [&] { ++secondCalls; });
    // Both deliveries are queued in one batch; the first callback removes the second.
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(firstCalls, 1);
    QCoreApplication::processEvents();
    QCOMPARE(secondCalls, 0);
    QVERIFY(!second.isActive());

    // A callback may unregister itself.
    Subscription self;
    int selfCalls = 0;
    self = manager.on(QStringLiteral("s"), [&] {
        ++selfCalls;
        self.unregister();
    });
    manager.emitEvent(QStringLiteral("s"));
    manager.emitEvent(QStringLiteral("s"));
    QTRY_COMPARE(selfCalls, 1);
    QCoreApplication::processEvents();
    QCOMPARE(selfCalls, 1);
}

void tst_Ordering::unregisterFromAnotherThreadStopsQueuedDeliveries()
{
    Manager manager;
    WorkerThread target("target");
    testutils::ThreadBlocker blocker(manager, target);
    std::atomic<int> victimCalls{0};
    const Subscription victim = manager.on(
        QStringLiteral("victim"), [&] { ++victimCalls; }, target);
    QVERIFY(blocker.block());
    for (int i = 0; i < 10; ++i)
        manager.emitEvent(QStringLiteral("victim")); // queued behind the blocked callback
    QCOMPARE(manager.unregister(victim), 1);
    blocker.release();
    QVERIFY(testutils::drainQueue(manager, target)); // proves the queue was drained
    QCOMPARE(victimCalls.load(), 0);
}

void tst_Ordering::onceRunsExactlyOnceUnderContention()
{
    Manager manager;
    WorkerThread target("target");
    constexpr int onceCount = 50;
    constexpr int emitters = 6;
    std::vector<std::atomic<int>> runs(onceCount);
    std::vector<Subscription> subscriptions;
    for (int i = 0; i < onceCount; ++i) {
        subscriptions.push_back(manager.once(
            QStringLiteral("go"), [&runs, i] { ++runs[i]; }, i % 2 ? target.get() : nullptr));
    }
    std::atomic<int> ready{0};
    std::atomic<bool> start{false};
    {
        std::vector<std::unique_ptr<JoiningThread>> threads;
        for (int t = 0; t < emitters; ++t) {
            threads.push_back(std::make_unique<JoiningThread>([&] {
                ++ready;
                while (!start.load())
                    std::this_thread::yield();
                for (int i = 0; i < 200; ++i)
                    manager.emitEvent(QStringLiteral("go"));
            }));
        }
        while (ready.load() < emitters)
            std::this_thread::yield();
        start = true;
    }
    for (int i = 0; i < onceCount; ++i)
        QTRY_COMPARE(runs[i].load(), 1);
    // Let anything still queued run, then check that nobody ran twice.
    QVERIFY(testutils::drainQueue(manager, target)); // proves the queue was drained
    QCoreApplication::processEvents();
    for (int i = 0; i < onceCount; ++i) {
        QCOMPARE(runs[i].load(), 1);
        QVERIFY(!subscriptions[i].isActive());
    }
    QCOMPARE(manager.subscriberCount(QStringLiteral("go")), 0);
}

void tst_Ordering::onceIsInactiveWhenEmitReturns()
{
    Manager manager;
    int calls = 0;
    const Subscription s = manager.once(QStringLiteral("e"), [&] { ++calls; });
    QVERIFY(s.isActive());
    QCOMPARE(manager.subscriberCount(QStringLiteral("e")), 1);
    manager.emitEvent(QStringLiteral("e"));
    QVERIFY(!s.isActive()); // before the callback has even run
    QCOMPARE(manager.subscriberCount(QStringLiteral("e")), 0);
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(calls, 1);
    QCoreApplication::processEvents();
    QCOMPARE(calls, 1);
}

QTEST_GUILESS_MAIN(tst_Ordering)
#include "tst_ordering.moc"
