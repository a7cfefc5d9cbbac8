// SPDX-License-Identifier: MIT
// Coroutines (QCoro): Task callbacks, co_await on aioevt's futures, coro::wait().
#include "testutils.h"

#include <aioevt/aioevt.h>
#include <aioevt/coro.h>

#include <QCoro/QCoroTimer>

#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <stdexcept>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::WorkerThread;

class tst_Coro : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void taskCallbackAwaitsAnotherEventBeforeFinishing();
    void taskCallbackAnswersRequest();
    void throwingTaskIsReportedAndFailsRequest();
    void onceTaskCountsAtStart();
    void suspendedCoroutineKeepsItsCaptures();
    void coAwaitWaitResumesOnTheAwaitingThread();
    void coroWaitGivesNulloptOnTimeout();
    void coAwaitRequestWaitAnyWaitAll();
};

void tst_Coro::taskCallbackAwaitsAnotherEventBeforeFinishing()
{
    Manager manager;
    WorkerThread worker("coroutine");
    QStringList steps;
    QMutex mutex;
    auto note = [&](const QString &step) {
        QMutexLocker lock(&mutex);
        steps << step;
    };
    manager.on(
        QStringLiteral("start"),
        [&](int n) -> QCoro::Task<int> {
            note(QStringLiteral("started"));
            // Suspends here; the worker's loop keeps running meanwhile.
            const auto go = co_await coro::wait(manager, QStringLiteral("go"), 10s);
            note(go ? QStringLiteral("resumed on %1").arg(QThread::currentThread()->objectName())
                    : QStringLiteral("timed out"));
            co_return n + (go ? go->args.value(0).toInt() : 0);
        },
        worker);
    auto answers = manager.request(QStringLiteral("start"), {1}, {}, 10s);
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("go")), 1); // the coroutine is waiting
    QVERIFY(!answers.isFinished());
    manager.emitEvent(QStringLiteral("go"), {41});
    QTRY_VERIFY(answers.isFinished());
    QCOMPARE(answers.result(), QVariantList{42});
    QMutexLocker lock(&mutex);
    QCOMPARE(steps,
             (QStringList{QStringLiteral("started"), QStringLiteral("resumed on coroutine")}));
}

void tst_Coro::taskCallbackAnswersRequest()
{
    Manager manager;
    manager.on(QStringLiteral("q"), []() -> QCoro::Task<QString> {
        QTimer timer;
        timer.start(20ms);
        co_await timer; // really asynchronous
        co_return QStringLiteral("late answer");
    });
    manager.on(QStringLiteral("q"), []() -> QCoro::Task<> { co_return; });
    auto answers = manager.request(QStringLiteral("q"), {}, {}, 10s);
    QTRY_VERIFY(answers.isFinished());
    QCOMPARE(answers.result().size(), 2);
    QCOMPARE(answers.result().at(0).toString(), QStringLiteral("late answer"));
    QVERIFY(!answers.result().at(1).isValid());
}

void tst_Coro::throwingTaskIsReportedAndFailsRequest()
{
    Manager manager;
    QSignalSpy failed(&manager, &Manager::callbackFailed);
    manager.on(QStringLiteral("bad"), []() -> QCoro::Task<int> {
        QTimer timer;
        timer.start(10ms);
        co_await timer;
        throw std::runtime_error("coroutine failed");
    });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("coroutine failed")));
    auto answers = manager.request(QStringLiteral("bad"), {}, {}, 10s);
    QTRY_VERIFY(answers.isFinished());
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("coroutine failed")));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, answers.waitForFinished());
}

void tst_Coro::onceTaskCountsAtStart()
{
    Manager manager;
    int starts = 0;
    manager.once(QStringLiteral("job"), [&]() -> QCoro::Task<> {
        ++starts;
        co_await coro::wait(manager, QStringLiteral("never"), 50ms);
    });
    manager.emitEvent(QStringLiteral("job"));
    QTRY_COMPARE(starts, 1);
    QCOMPARE(manager.subscriberCount(QStringLiteral("job")), 0); // used up while suspended
    manager.emitEvent(QStringLiteral("job"));
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("never")), 0); // its wait timed out
    QCOMPARE(starts, 1);
}

void tst_Coro::suspendedCoroutineKeepsItsCaptures()
{
    Manager manager;
    auto result = std::make_shared<QString>();
    const QString captured = QStringLiteral("still here");
    // A Once callback is freed once used; its coroutine is still suspended then and reads
    // its captures after resuming (ASan would see a use after free otherwise).
    manager.once(QStringLiteral("job"), [&manager, result, captured]() -> QCoro::Task<> {
        co_await coro::wait(manager, QStringLiteral("go"), 10s);
        *result = captured;
    });
    manager.emitEvent(QStringLiteral("job"));
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("go")), 1);
    QCOMPARE(manager.subscriberCount(QStringLiteral("job")), 0);
    manager.emitEvent(QStringLiteral("go"));
    QTRY_COMPARE(*result, captured);

    // The same when a recurring coroutine callback is unregistered while suspended.
    result->clear();
    Subscription s
        = manager.on(QStringLiteral("job"), [&manager, result, captured]() -> QCoro::Task<> {
              co_await coro::wait(manager, QStringLiteral("go"), 10s);
              *result = captured;
          });
    manager.emitEvent(QStringLiteral("job"));
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("go")), 1);
    s.unregister();
    manager.emitEvent(QStringLiteral("go"));
    QTRY_COMPARE(*result, captured);
}

void tst_Coro::coAwaitWaitResumesOnTheAwaitingThread()
{
    Manager manager;
    WorkerThread emitter("emitter");
    std::optional<EventData> got;
    QThread *resumedOn = nullptr;
    auto coroutine = [&]() -> QCoro::Task<> {
        // The future is fulfilled on the emitting thread; co_await resumes here.
        QFuture<EventData> next = manager.wait(QStringLiteral("ping"), 10s);
        manager.emitEvent(QStringLiteral("trigger"));
        got = co_await next;
        resumedOn = QThread::currentThread();
    };
    manager.on(
        QStringLiteral("trigger"), [&] { manager.emitEvent(QStringLiteral("ping"), {7}); },
        emitter);
    coroutine();
    QTRY_VERIFY(got.has_value());
    QCOMPARE(got->args, QVariantList{7});
    QCOMPARE(resumedOn, QThread::currentThread());
}

void tst_Coro::coroWaitGivesNulloptOnTimeout()
{
    Manager manager;
    bool done = false;
    std::optional<EventData> got{EventData{}};
    // Named: a coroutine lambda's captures live in the lambda object, which must outlive
    // the suspended coroutine.
    auto timesOut = [&]() -> QCoro::Task<> {
        got = co_await coro::wait(manager, QStringLiteral("silence"), 30ms);
        done = true;
    };
    timesOut();
    QTRY_VERIFY(done);
    QVERIFY(!got.has_value());
    QCOMPARE(manager.subscriberCount(QStringLiteral("silence")), 0);

    // A predicate is honoured.
    done = false;
    auto filtered = [&]() -> QCoro::Task<> {
        got = co_await coro::wait(manager, QStringLiteral("n"), 10s,
                                  [](const EventData &e) { return e.args.value(0).toInt() > 1; });
        done = true;
    };
    filtered();
    manager.emitEvent(QStringLiteral("n"), {1});
    manager.emitEvent(QStringLiteral("n"), {2});
    QTRY_VERIFY(done);
    QCOMPARE(got->args, QVariantList{2});
}

void tst_Coro::coAwaitRequestWaitAnyWaitAll()
{
    Manager manager;
    WorkerThread worker("answers");
    manager.on(
        QStringLiteral("double"), [](int n) { return 2 * n; }, worker);
    bool done = false;
    QVariantList answers;
    EventData any;
    QList<EventData> all;
    // Built outside the coroutine: GCC 12 miscompiles some braced lists inside one.
    const QStringList names{QStringLiteral("a"), QStringLiteral("b")};
    const QVariantList args{21};
    auto scenario = [&]() -> QCoro::Task<> {
        answers = co_await manager.request(QStringLiteral("double"), args, {}, 10s);
        auto anyFuture = manager.waitAny(names, 10s);
        auto allFuture = manager.waitAll(names, 10s);
        manager.emitEvent(QStringLiteral("b"), {1});
        manager.emitEvent(QStringLiteral("a"), {2});
        any = co_await anyFuture;
        all = co_await allFuture;
        done = true;
    };
    scenario();
    QTRY_VERIFY(done);
    QCOMPARE(answers, QVariantList{42});
    QCOMPARE(any.name, QStringLiteral("b"));
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).args, QVariantList{2});
    QCOMPARE(all.at(1).args, QVariantList{1});
}

QTEST_GUILESS_MAIN(tst_Coro)
#include "tst_coro.moc"
