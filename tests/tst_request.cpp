// SPDX-License-Identifier: MIT
// Callbacks returning QFuture, request() and its answers, waitAny() and waitAll().
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtCore/QPromise>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <stdexcept>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::WorkerThread;

namespace {

/* Waits (running this thread's loop) until future has finished. */
template<typename T> bool finishes(const QFuture<T> &future)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, 10000);
}

template<typename T> QString failureOf(QFuture<T> future)
{
    try {
        future.waitForFinished();
    } catch (const TimeoutError &) {
        return QStringLiteral("TimeoutError");
    } catch (const CanceledError &) {
        return QStringLiteral("CanceledError");
    } catch (const std::invalid_argument &) {
        return QStringLiteral("invalid_argument");
    } catch (const std::exception &e) {
        return QString::fromLocal8Bit(e.what());
    }
    return QStringLiteral("no failure");
}

/* Runs request(name) to its end and says how it failed (see failureOf). */
QString requestFailure(Manager &manager, const QString &name,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    auto future = manager.request(name, {}, {}, timeout);
    if (!finishes(future))
        return QStringLiteral("did not finish");
    return failureOf(future);
}

} // namespace

class tst_Request : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestCollectsAnswersInRegistrationOrder();
    void requestAcrossThreeThreadsIncludingTheCallers();
    void requestWithoutSubscribersGivesEmptyList();
    void voidAndSkippedCallbacksAnswerInvalid();
    void requestFailsWithTheCallbacksException();
    void requestTimesOutAndLeavesNoSubscriber();
    void requestEndsWhenTheManagerIsDestroyed();
    void requestIgnoresWaitersAndAnyCallbacks();
    void futureCallbackAnswersWhenItsFutureEnds();
    void failingFutureIsReportedLikeAThrow();
    void canceledFutureIsReported();
    void onceFutureCallbackCountsAtStart();
    void waitAnyGivesTheFirstAndRemovesAllWaiters();
    void waitAllGivesOneEventPerNameInOrder();
    void waitAnyAndWaitAllTimeOutAndLeaveNoSubscriber();
    void waitAnyCancelledRemovesWaiters();
    void badNamesGiveFailedFutures();
};

void tst_Request::requestCollectsAnswersInRegistrationOrder()
{
    Manager manager;
    WorkerThread worker("answers");
    manager.on(
        QStringLiteral("sum"), [](int a, int b) { return a + b; }, worker);
    manager.on(
        QStringLiteral("sum"), [](int a, int b) { return QString::number(a * b); }, worker);
    manager.on(
        QStringLiteral("sum"),
        [](const EventData &e) { return e.kwargs.value(QStringLiteral("k")); }, worker);
    auto future = manager.request(QStringLiteral("sum"), {2, 3}, {{QStringLiteral("k"), 7}}, 10s);
    QVERIFY(finishes(future));
    const QVariantList answers = future.result();
    QCOMPARE(answers.size(), 3);
    QCOMPARE(answers.at(0).toInt(), 5);
    QCOMPARE(answers.at(1).toString(), QStringLiteral("6"));
    QCOMPARE(answers.at(2).toInt(), 7);
}

void tst_Request::requestAcrossThreeThreadsIncludingTheCallers()
{
    Manager manager;
    WorkerThread first("first");
    WorkerThread second("second");
    manager.on(
        QStringLiteral("who"), [] { return QThread::currentThread()->objectName(); }, first);
    // On the calling thread: served when this thread's loop runs, not inside request().
    QThread::currentThread()->setObjectName(QStringLiteral("caller"));
    bool ranInsideRequest = false;
    bool inRequest = false;
    manager.on(QStringLiteral("who"), [&] {
        ranInsideRequest = inRequest;
        return QThread::currentThread()->objectName();
    });
    manager.on(
        QStringLiteral("who"), [] { return QThread::currentThread()->objectName(); }, second);
    inRequest = true;
    auto future = manager.request(QStringLiteral("who"), {}, {}, 10s);
    inRequest = false;
    QVERIFY(!future.isFinished()); // the caller's own callback has not run yet
    QVERIFY(finishes(future));
    QVERIFY(!ranInsideRequest);
    QCOMPARE(future.result(),
             (QVariantList{QStringLiteral("first"), QStringLiteral("caller"),
                           QStringLiteral("second")}));
}

void tst_Request::requestWithoutSubscribersGivesEmptyList()
{
    Manager manager;
    auto future = manager.request(QStringLiteral("nobody"));
    QVERIFY(future.isFinished());
    QCOMPARE(future.result(), QVariantList{});
}

void tst_Request::voidAndSkippedCallbacksAnswerInvalid()
{
    Manager manager;
    WorkerThread worker("answers");
    manager.on(
        QStringLiteral("mixed"), [] {}, worker);
    manager.on(
        QStringLiteral("mixed"), [](int a, int b, int c) { return a + b + c; },
        worker); // too few args
    manager.on(
        QStringLiteral("mixed"), [](int a) { return a; }, worker);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("mixed.*skipped")));
    auto future = manager.request(QStringLiteral("mixed"), {4}, {}, 10s);
    QVERIFY(finishes(future));
    const QVariantList answers = future.result();
    QCOMPARE(answers.size(), 3);
    QVERIFY(!answers.at(0).isValid());
    QVERIFY(!answers.at(1).isValid());
    QCOMPARE(answers.at(2).toInt(), 4);
}

void tst_Request::requestFailsWithTheCallbacksException()
{
    Manager manager;
    WorkerThread worker("answers");
    QSignalSpy failed(&manager, &Manager::callbackFailed);
    manager.on(
        QStringLiteral("ask"), [] { return 1; }, worker);
    manager.on(
        QStringLiteral("ask"), []() -> int { throw std::runtime_error("no answer for you"); },
        worker);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no answer for you")));
    QCOMPARE(requestFailure(manager, QStringLiteral("ask")), QStringLiteral("no answer for you"));
    QTRY_COMPARE(failed.count(), 1);
}

void tst_Request::requestTimesOutAndLeavesNoSubscriber()
{
    Manager manager;
    WorkerThread worker("slow");
    auto never = std::make_shared<QPromise<int>>(); // an answer that does not come in time
    never->start();
    manager.on(
        QStringLiteral("slow"), [] { return 1; }, worker);
    manager.on(
        QStringLiteral("slow"), [never] { return never->future(); }, worker);
    QCOMPARE(requestFailure(manager, QStringLiteral("slow"), 100ms),
             QStringLiteral("TimeoutError"));
    QCOMPARE(manager.subscriberCount(QStringLiteral("slow")), 2); // only the two callbacks
    manager.unregister(QStringLiteral("slow"));
    QCOMPARE(manager.subscriberCount(QStringLiteral("slow")), 0);
    QCOMPARE(manager.eventNames(), QStringList{});
    never->addResult(2); // a late answer is ignored
    never->finish();
}

void tst_Request::requestEndsWhenTheManagerIsDestroyed()
{
    auto manager = std::make_unique<Manager>();
    WorkerThread worker("blocked");
    testutils::ThreadBlocker blocker(*manager, worker);
    QVERIFY(blocker.block());
    manager->on(
        QStringLiteral("late"), [] { return 1; }, worker);
    auto future = manager->request(QStringLiteral("late")); // queued behind the blocker
    QVERIFY(!future.isFinished());
    manager.reset(); // drops the queued delivery
    blocker.release();
    QVERIFY(finishes(future));
    QCOMPARE(failureOf(future), QStringLiteral("CanceledError"));
}

void tst_Request::requestIgnoresWaitersAndAnyCallbacks()
{
    Manager manager;
    auto waited = manager.wait(QStringLiteral("q"), 10s);
    int anySeen = 0;
    manager.onAny([&](const EventData &) {
        ++anySeen;
        return 99;
    });
    manager.on(QStringLiteral("q"), [] { return 1; });
    auto future = manager.request(QStringLiteral("q"), {}, {}, 10s);
    QVERIFY(finishes(future));
    QCOMPARE(future.result(), QVariantList{1});
    QVERIFY(waited.isFinished()); // the waiter saw the emission
    QTRY_COMPARE(anySeen, 1);
}

void tst_Request::futureCallbackAnswersWhenItsFutureEnds()
{
    Manager manager;
    WorkerThread worker("async");
    auto promise = std::make_shared<QPromise<QString>>();
    manager.on(
        QStringLiteral("job"),
        [promise](int n) {
            promise->start();
            // Ends later, from another thread than the callback's.
            QTimer::singleShot(50, QCoreApplication::instance(), [promise, n] {
                promise->addResult(QStringLiteral("done %1").arg(n));
                promise->finish();
            });
            return promise->future();
        },
        worker);
    manager.on(
        QStringLiteral("job"), [] { return QtFuture::makeReadyFuture(7); }, worker);
    auto future = manager.request(QStringLiteral("job"), {3}, {}, 10s);
    QVERIFY(finishes(future));
    QCOMPARE(future.result(), (QVariantList{QStringLiteral("done 3"), 7}));
}

void tst_Request::failingFutureIsReportedLikeAThrow()
{
    Manager manager;
    WorkerThread worker("async");
    QSignalSpy failed(&manager, &Manager::callbackFailed);
    manager.on(
        QStringLiteral("job"),
        [] {
            return QtFuture::makeExceptionalFuture<int>(
                std::make_exception_ptr(std::runtime_error("async trouble")));
        },
        worker);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("async trouble")));
    manager.emitEvent(QStringLiteral("job"));
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("job"));
    QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("async trouble")));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("async trouble")));
    QCOMPARE(requestFailure(manager, QStringLiteral("job")), QStringLiteral("async trouble"));
}

void tst_Request::canceledFutureIsReported()
{
    Manager manager;
    QSignalSpy failed(&manager, &Manager::callbackFailed);
    manager.on(QStringLiteral("job"), [] {
        QPromise<int> abandoned; // destroyed unfinished: its future ends cancelled
        abandoned.start();
        return abandoned.future();
    });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("canceled")));
    QCOMPARE(requestFailure(manager, QStringLiteral("job")), QStringLiteral("CanceledError"));
    QCOMPARE(failed.count(), 1);
}

void tst_Request::onceFutureCallbackCountsAtStart()
{
    Manager manager;
    auto promise = std::make_shared<QPromise<int>>();
    int starts = 0;
    manager.once(QStringLiteral("job"), [&, promise] {
        ++starts;
        promise->start();
        return promise->future();
    });
    auto first = manager.request(QStringLiteral("job"), {}, {}, 10s);
    QTRY_COMPARE(starts, 1);
    // Started but not finished: already used up.
    QCOMPARE(manager.subscriberCount(QStringLiteral("job")), 0);
    auto second = manager.request(QStringLiteral("job"));
    QVERIFY(second.isFinished());
    QCOMPARE(second.result(), QVariantList{});
    promise->addResult(5);
    promise->finish();
    QVERIFY(finishes(first));
    QCOMPARE(first.result(), QVariantList{5});
    QCOMPARE(starts, 1);
}

void tst_Request::waitAnyGivesTheFirstAndRemovesAllWaiters()
{
    Manager manager;
    auto future
        = manager.waitAny({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, 10s);
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 1);
    QCOMPARE(manager.subscriberCount(QStringLiteral("c")), 1);
    testutils::JoiningThread([&] { manager.emitEvent(QStringLiteral("b"), {2}); }).join();
    manager.emitEvent(QStringLiteral("a"), {1}); // after the first: no effect
    QVERIFY(finishes(future));
    QCOMPARE(future.result().name, QStringLiteral("b"));
    QCOMPARE(future.result().args, QVariantList{2});
    for (const char *name : {"a", "b", "c"})
        QCOMPARE(manager.subscriberCount(QString::fromLatin1(name)), 0);
}

void tst_Request::waitAllGivesOneEventPerNameInOrder()
{
    Manager manager;
    auto future
        = manager.waitAll({QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("x")}, 10s);
    QCOMPARE(manager.subscriberCount(QStringLiteral("x")), 1); // listed twice, counted once
    manager.emitEvent(QStringLiteral("y"), {1});
    QCOMPARE(manager.subscriberCount(QStringLiteral("y")), 0); // served: removed at once
    QVERIFY(!future.isFinished());
    manager.emitEvent(QStringLiteral("y"), {2}); // not the first: ignored
    manager.emitEvent(QStringLiteral("x"), {3});
    QVERIFY(future.isFinished());
    const QList<EventData> events = future.result();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).name, QStringLiteral("x"));
    QCOMPARE(events.at(0).args, QVariantList{3});
    QCOMPARE(events.at(1).name, QStringLiteral("y"));
    QCOMPARE(events.at(1).args, QVariantList{1});
    QCOMPARE(manager.subscriberCount(QStringLiteral("x")), 0);
}

void tst_Request::waitAnyAndWaitAllTimeOutAndLeaveNoSubscriber()
{
    Manager manager;
    auto any = manager.waitAny({QStringLiteral("p"), QStringLiteral("q")}, 50ms);
    auto all = manager.waitAll({QStringLiteral("p"), QStringLiteral("r")}, 80ms);
    manager.emitEvent(QStringLiteral("r")); // all: one of two, then the timeout
    QVERIFY(finishes(any));
    QVERIFY(finishes(all));
    QCOMPARE(failureOf(any), QStringLiteral("TimeoutError"));
    QCOMPARE(failureOf(all), QStringLiteral("TimeoutError"));
    for (const char *name : {"p", "q", "r"})
        QCOMPARE(manager.subscriberCount(QString::fromLatin1(name)), 0);
    QCOMPARE(manager.eventNames(), QStringList{});
}

void tst_Request::waitAnyCancelledRemovesWaiters()
{
    Manager manager;
    auto any = manager.waitAny({QStringLiteral("m"), QStringLiteral("n")});
    QCOMPARE(manager.subscriberCount(QStringLiteral("n")), 1);
    any.cancel();
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("m"))
                     + manager.subscriberCount(QStringLiteral("n")),
                 0);
    auto all = manager.waitAll({QStringLiteral("m"), QStringLiteral("n")});
    auto manager2 = std::make_unique<Manager>();
    auto orphan = manager2->waitAll({QStringLiteral("m")});
    manager2.reset();
    QVERIFY(orphan.isFinished());
    QCOMPARE(failureOf(orphan), QStringLiteral("CanceledError"));
    all.cancel();
    QTRY_COMPARE(manager.subscriberCount(QStringLiteral("m")), 0);
}

void tst_Request::badNamesGiveFailedFutures()
{
    Manager manager;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("request.*empty")));
    QCOMPARE(failureOf(manager.request(QString())), QStringLiteral("invalid_argument"));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("waitAny.*at least one")));
    QCOMPARE(failureOf(manager.waitAny({})), QStringLiteral("invalid_argument"));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("waitAll.*empty event name")));
    QCOMPARE(failureOf(manager.waitAll({QStringLiteral("a"), QString()})),
             QStringLiteral("invalid_argument"));
    QCOMPARE(manager.eventNames(), QStringList{});
}

QTEST_GUILESS_MAIN(tst_Request)
#include "tst_request.moc"
