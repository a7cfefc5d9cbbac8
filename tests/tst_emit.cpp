// SPDX-License-Identifier: MIT
// emitAfter, Emitter, EventSpy, onAny and introspection.
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtCore/QMutex>
#include <QtTest/QTest>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::JoiningThread;
using testutils::WorkerThread;

namespace {

// Collects every message, to prove that some message never appears.
QMutex g_messagesMutex;
QStringList g_messages;
QtMessageHandler g_previousHandler = nullptr;
void collectingHandler(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    {
        QMutexLocker lock(&g_messagesMutex);
        g_messages.append(text);
    }
    g_previousHandler(type, context, text);
}

} // namespace

class tst_Emit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emitAfterDelivers();
    void emitAfterCancel();
    void emitAfterFromPlainThreadStartsNoTimerThere();
    void emitAfterEmptyName();
    void emitterEmitsWithItsArguments();
    void emitterReachesLaterSubscribers();
    void emitterOnInstance();
    void invalidEmitter();
    void eventSpyRecordsFromAnyThread();
    void eventSpyWaitTimesOut();
    void onAnySeesEveryNameAndIsNotCounted();
    void onAnyWithContext();
    void introspection();
    void emittingWithoutSubscribersRegistersNothing();
};

void tst_Emit::emitAfterDelivers()
{
    Manager manager;
    EventSpy spy(&manager, QStringLiteral("later"));
    const PendingEmission p = manager.emitAfter(20ms, QStringLiteral("later"), {1},
                                                {{QStringLiteral("k"), QStringLiteral("v")}});
    QVERIFY(p.isValid());
    QVERIFY(spy.wait(10s));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).args, QVariantList{1});
    QCOMPARE(spy.at(0).kwargs.value(QStringLiteral("k")).toString(), QStringLiteral("v"));
    QTRY_VERIFY(!p.isPending());

    manager.emitAfter(5, QStringLiteral("later")); // int milliseconds
    QVERIFY(spy.wait(10s));
    QCOMPARE(spy.count(), 2);
}

void tst_Emit::emitAfterCancel()
{
    Manager manager;
    EventSpy spy(&manager, QStringLiteral("x"));
    PendingEmission p = manager.emitAfter(50ms, QStringLiteral("x"));
    QVERIFY(p.isPending());
    PendingEmission copy = p;
    QVERIFY(copy.cancel());
    QVERIFY(!p.cancel()); // already cancelled
    QVERIFY(!p.isPending());
    // Proof it never fires: a later emission arrives alone.
    manager.emitAfter(100ms, QStringLiteral("x"), {QStringLiteral("marker")});
    QVERIFY(spy.wait(10s));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).args.value(0).toString(), QStringLiteral("marker"));

    PendingEmission fired = manager.emitAfter(0ms, QStringLiteral("x"));
    QTRY_COMPARE(spy.count(), 2); // it may fire before a spy.wait() could start
    QTRY_VERIFY(!fired.isPending());
    QVERIFY(!fired.cancel()); // too late

    QVERIFY(!PendingEmission().cancel());
}

void tst_Emit::emitAfterFromPlainThreadStartsNoTimerThere()
{
    {
        QMutexLocker lock(&g_messagesMutex);
        g_messages.clear();
    }
    g_previousHandler = qInstallMessageHandler(collectingHandler);
    Manager manager;
    EventSpy spy(&manager, QStringLiteral("fromPlain"));
    QFuture<EventData> timed;
    {
        JoiningThread plain([&] {
            manager.emitAfter(10ms, QStringLiteral("fromPlain"), {QStringLiteral("ok")});
            timed = manager.wait(QStringLiteral("nobody"), 10ms); // its timeout too
        });
    }
    QVERIFY(spy.wait(10s));
    QCOMPARE(spy.at(0).args.value(0).toString(), QStringLiteral("ok"));
    bool timedOut = false;
    try {
        timed.waitForFinished();
    } catch (const TimeoutError &) {
        timedOut = true;
    }
    QVERIFY(timedOut);
    qInstallMessageHandler(g_previousHandler);
    QMutexLocker lock(&g_messagesMutex);
    for (const QString &message : std::as_const(g_messages))
        QVERIFY2(!message.contains(QLatin1String("Timer")), qPrintable(message));
}

void tst_Emit::emitAfterEmptyName()
{
    Manager manager;
    QTest::ignoreMessage(QtWarningMsg,
                         "emitAfter(): the event name is empty; nothing was scheduled");
    const PendingEmission p = manager.emitAfter(1ms, QString());
    QVERIFY(!p.isValid());
    QVERIFY(!p.isPending());
}

void tst_Emit::emitterEmitsWithItsArguments()
{
    Manager manager;
    EventSpy spy(&manager, QStringLiteral("progress"));
    const Emitter progress = manager.emitter(QStringLiteral("progress"));
    QVERIFY(progress.isValid());
    QCOMPARE(progress.name(), QStringLiteral("progress"));
    progress(1, "x", 2.5, QStringLiteral("y"), QVariant(true));
    progress();
    progress.emitEvent({3}, {{QStringLiteral("k"), 4}});
    QCOMPARE(spy.count(), 3);
    const EventData first = spy.takeFirst();
    QCOMPARE(first.args.size(), 5);
    QCOMPARE(first.args.at(0).metaType(), QMetaType::fromType<int>());
    QCOMPARE(first.args.at(1).metaType(), QMetaType::fromType<QString>());
    QCOMPARE(first.args.at(1).toString(), QStringLiteral("x"));
    QCOMPARE(first.args.at(2).toDouble(), 2.5);
    QCOMPARE(first.args.at(4).toBool(), true);
    QVERIFY(spy.takeFirst().args.isEmpty());
    QCOMPARE(spy.first().kwargs.value(QStringLiteral("k")).toInt(), 4);

    Emitter copy = progress;
    int typed = 0;
    manager.on(QStringLiteral("progress"), [&](int value, const QString &) { typed = value; });
    copy(41, "step");
    QTRY_COMPARE(typed, 41);
}

void tst_Emit::emitterReachesLaterSubscribers()
{
    Manager manager;
    const Emitter early(&manager, QStringLiteral("e"));
    early(1); // nobody listens yet
    int calls = 0;
    auto s = manager.on(QStringLiteral("e"), [&] { ++calls; });
    s.unregister();
    manager.on(QStringLiteral("e"), [&] { ++calls; }); // after the name became empty once
    early(2);
    QTRY_COMPARE(calls, 1);
}

void tst_Emit::emitterOnInstance()
{
    EventSpy spy(Manager::instance(), QStringLiteral("global"));
    Emitter global(QStringLiteral("global"));
    global(1);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(Manager::instance(), Manager::instance());
}

void tst_Emit::invalidEmitter()
{
    QTest::ignoreMessage(QtWarningMsg, "Emitter: the event name is empty; it will emit nothing");
    Manager manager;
    const Emitter bad(&manager, QString());
    QVERIFY(!bad.isValid());
    bad(1); // does nothing
    const Emitter none;
    none();
    QVERIFY(manager.eventNames().isEmpty());
}

void tst_Emit::eventSpyRecordsFromAnyThread()
{
    Manager manager;
    EventSpy spy(&manager, QStringLiteral("s"));
    QVERIFY(spy.isValid());
    QCOMPARE(spy.name(), QStringLiteral("s"));
    QCOMPARE(manager.subscriberCount(QStringLiteral("s")), 0); // a spy is not counted
    {
        JoiningThread a([&] { manager.emitEvent(QStringLiteral("s"), {1}); });
        JoiningThread b([&] { manager.emitEvent(QStringLiteral("s"), {2}); });
    }
    QCOMPARE(spy.count(), 2); // recorded at emission time: no loop needed
    int sum = 0;
    for (const EventData &e : spy.events())
        sum += e.args.value(0).toInt();
    QCOMPARE(sum, 3);
    spy.clear();
    QVERIFY(spy.isEmpty());

    JoiningThread later([&] {
        while (manager.subscriberCount(QStringLiteral("started")) == 0)
            std::this_thread::yield();
        manager.emitEvent(QStringLiteral("s"), {9});
    });
    manager.on(QStringLiteral("started"), [] {});
    QVERIFY(spy.wait(10s));
    QCOMPARE(spy.last().args.value(0).toInt(), 9);
}

void tst_Emit::eventSpyWaitTimesOut()
{
    Manager manager;
    EventSpy spy(&manager, QStringLiteral("quiet"));
    manager.emitEvent(QStringLiteral("quiet")); // before the wait: does not count for it
    QVERIFY(!spy.wait(20ms));
    QCOMPARE(spy.count(), 1);
}

void tst_Emit::onAnySeesEveryNameAndIsNotCounted()
{
    Manager manager;
    WorkerThread worker("worker");
    QMutex mutex;
    QStringList seen;
    std::atomic<QThread *> ranOn{nullptr};
    const Subscription any = manager.onAny(
        [&](const EventData &e) {
            QMutexLocker lock(&mutex);
            seen.append(e.name);
            ranOn = QThread::currentThread();
        },
        worker);
    QVERIFY(any.isValid());
    QVERIFY(any.name().isEmpty());
    manager.emitEvent(QStringLiteral("a"));
    manager.emitEvent(QStringLiteral("b"));
    QTRY_COMPARE(
        [&] {
            QMutexLocker lock(&mutex);
            return seen;
        }(),
        (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(ranOn.load(), worker.get());
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 0);
    QVERIFY(manager.eventNames().isEmpty());
    QVERIFY(any.isActive());
    QCOMPARE(manager.unregister(any), 1);
}

void tst_Emit::onAnyWithContext()
{
    Manager manager;
    int calls = 0;
    auto *context = new QObject;
    manager.onAny(context, [&] { ++calls; });
    manager.emitEvent(QStringLiteral("x"));
    QTRY_COMPARE(calls, 1);
    delete context;
    manager.emitEvent(QStringLiteral("x"));
    QCoreApplication::processEvents();
    QCOMPARE(calls, 1);
}

void tst_Emit::introspection()
{
    Manager manager;
    QVERIFY(!manager.hasSubscribers(QStringLiteral("b")));
    manager.on(QStringLiteral("b"), [] {});
    manager.on(QStringLiteral("a"), [] {});
    manager.on(QStringLiteral("b"), [] {});
    QCOMPARE(manager.subscriberCount(QStringLiteral("b")), 2);
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 1);
    QCOMPARE(manager.subscriberCount(QStringLiteral("c")), 0);
    QVERIFY(manager.hasSubscribers(QStringLiteral("a")));
    QCOMPARE(manager.eventNames(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void tst_Emit::emittingWithoutSubscribersRegistersNothing()
{
    Manager manager;
    for (int i = 0; i < 100; ++i)
        manager.emitEvent(QStringLiteral("nobody-%1").arg(i));
    QVERIFY(manager.eventNames().isEmpty());
    QCOMPARE(manager.subscriberCount(QStringLiteral("nobody-1")), 0);
}

QTEST_GUILESS_MAIN(tst_Emit)
#include "tst_emit.moc"
