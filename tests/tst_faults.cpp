// SPDX-License-Identifier: MIT
// Faults at the worst moment: threads and objects dying with work in flight, the manager
// going away, callbacks that throw or block. No crash, no hang, losses reported.
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtCore/QLoggingCategory>
#include <QtCore/QMutex>
#include <QtCore/QRegularExpression>
#include <QtCore/QSemaphore>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::JoiningThread;
using testutils::WorkerThread;

namespace {

// Sums the N of every "dropped N deliveries" warning.
QMutex g_mutex;
int g_droppedReported = 0;
QtMessageHandler g_previous = nullptr;
void countDrops(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    static const QRegularExpression dropped(QStringLiteral("^dropped (\\d+) deliver"));
    const auto match = dropped.match(text);
    if (match.hasMatch()) {
        QMutexLocker lock(&g_mutex);
        g_droppedReported += match.captured(1).toInt();
        return;
    }
    g_previous(type, context, text);
}

} // namespace

class tst_Faults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void targetThreadEndsWithEventsInFlight_data();
    void targetThreadEndsWithEventsInFlight();
    void contextDeletedOnItsThreadWithDeliveriesQueued();
    void managerDestroyedWithEverythingPending();
    void callbackThrowsOnEveryCall();
    void blockingCallbackHoldsUpOnlyItsThread();
};

void tst_Faults::targetThreadEndsWithEventsInFlight_data()
{
    QTest::addColumn<bool>("deleteThread");
    QTest::newRow("quit") << false;
    QTest::newRow("quit and delete") << true;
}

void tst_Faults::targetThreadEndsWithEventsInFlight()
{
    QFETCH(bool, deleteThread);
    for (int attempt = 0; attempt < 5; ++attempt) {
        Manager manager;
        auto worker = std::make_unique<WorkerThread>("doomed");
        std::atomic<int> delivered{0};
        std::atomic<int> emitted{0};
        std::atomic<bool> stop{false};
        manager.on(
            QStringLiteral("flow"), [&] { ++delivered; }, worker->get());
        {
            QMutexLocker lock(&g_mutex);
            g_droppedReported = 0;
        }
        g_previous = qInstallMessageHandler(countDrops);
        int emittedBeforeEnd = 0;
        {
            JoiningThread emitter([&] {
                while (!stop.load()) {
                    manager.emitEvent(QStringLiteral("flow"));
                    ++emitted;
                }
            });
            while (emitted.load() < 2000 * (attempt + 1))
                QThread::yieldCurrentThread();
            // Every emission so far saw the subscription: it must be delivered or reported.
            emittedBeforeEnd = emitted.load();
            if (deleteThread)
                worker->destroy();
            else
                worker->stop();
            QTRY_COMPARE(manager.subscriberCount(QStringLiteral("flow")), 0);
            stop = true;
        }
        qInstallMessageHandler(g_previous);
        QMutexLocker lock(&g_mutex);
        QVERIFY2(delivered.load() + g_droppedReported >= emittedBeforeEnd,
                 qPrintable(QStringLiteral("delivered %1 + reported dropped %2 < %3 emitted")
                                .arg(delivered.load())
                                .arg(g_droppedReported)
                                .arg(emittedBeforeEnd)));
        QVERIFY(delivered.load() + g_droppedReported <= emitted.load());
    }
}

void tst_Faults::contextDeletedOnItsThreadWithDeliveriesQueued()
{
    Manager manager;
    WorkerThread worker("worker");
    auto *context = new QObject;
    context->moveToThread(worker);
    QSemaphore entered;
    QSemaphore release;
    std::atomic<int> contextCalls{0};
    manager.on(
        QStringLiteral("block"),
        [&] {
            entered.release();
            release.acquire();
            delete context; // on its own thread, with deliveries to it queued behind us
        },
        worker);
    manager.on(QStringLiteral("to-context"), context, [&] { ++contextCalls; });
    manager.emitEvent(QStringLiteral("block"));
    QVERIFY(entered.tryAcquire(1, 10000));
    for (int i = 0; i < 100; ++i)
        manager.emitEvent(QStringLiteral("to-context"));
    release.release();
    QVERIFY(testutils::drainQueue(manager, worker));
    QCOMPARE(contextCalls.load(), 0);
    QCOMPARE(manager.subscriberCount(QStringLiteral("to-context")), 0);
}

void tst_Faults::managerDestroyedWithEverythingPending()
{
    auto manager = std::make_unique<Manager>();
    WorkerThread worker("worker");
    testutils::ThreadBlocker blocker(*manager, worker);
    std::atomic<int> calls{0};
    manager->on(
        QStringLiteral("e"), [&] { ++calls; }, worker);
    QVERIFY(blocker.block());
    for (int i = 0; i < 100; ++i)
        manager->emitEvent(QStringLiteral("e"));
    QFuture<EventData> future = manager->wait(QStringLiteral("never"), 10s);
    manager->emitAfter(1ms, QStringLiteral("e"));
    std::atomic<bool> blockingReturned{false};
    std::optional<EventData> blockingResult = EventData{};
    JoiningThread plain([&] {
        blockingResult = manager->waitFor(QStringLiteral("never"), 10s);
        blockingReturned = true;
    });
    QTRY_COMPARE(manager->subscriberCount(QStringLiteral("never")), 2);
    manager.reset();
    blocker.release();
    plain.join();
    QVERIFY(blockingReturned);
    QVERIFY(!blockingResult);
    QVERIFY(future.isCanceled());
    worker.stop();
    QCOMPARE(calls.load(), 0);
}

void tst_Faults::callbackThrowsOnEveryCall()
{
    QLoggingCategory::setFilterRules(QStringLiteral("aioevt.warning=false"));
    Manager manager;
    WorkerThread worker("worker");
    QSignalSpy failed(&manager, &Manager::callbackFailed);
    std::atomic<int> others{0};
    manager.on(
        QStringLiteral("t"), [](int n) { throw std::runtime_error(std::to_string(n)); }, worker);
    manager.on(
        QStringLiteral("t"), [&] { ++others; }, worker);
    constexpr int n = 1000;
    for (int i = 0; i < n; ++i)
        manager.emitEvent(QStringLiteral("t"), {i});
    QTRY_COMPARE(others.load(), n);
    QTRY_COMPARE(failed.count(), n);
    QCOMPARE(failed.at(n - 1).at(1).toString(), QString::number(n - 1));
    QLoggingCategory::setFilterRules(QString());
}

void tst_Faults::blockingCallbackHoldsUpOnlyItsThread()
{
    Manager manager;
    WorkerThread slow("slow");
    WorkerThread fast("fast");
    QSemaphore release;
    std::atomic<int> fastCalls{0};
    std::atomic<int> slowCalls{0};
    manager.on(
        QStringLiteral("e"),
        [&] {
            if (slowCalls++ == 0)
                release.acquire(); // blocks its own thread only
        },
        slow);
    manager.on(
        QStringLiteral("e"), [&] { ++fastCalls; }, fast);
    for (int i = 0; i < 1000; ++i)
        manager.emitEvent(QStringLiteral("e")); // never blocks the emitter either
    QTRY_COMPARE(fastCalls.load(), 1000);
    QCOMPARE(slowCalls.load(), 1);
    release.release();
    QTRY_COMPARE(slowCalls.load(), 1000);
}

QTEST_GUILESS_MAIN(tst_Faults)
#include "tst_faults.moc"
