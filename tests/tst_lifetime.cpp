// SPDX-License-Identifier: MIT
// Destroying the manager while work is pending, and handles that outlive it.
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtTest/QTest>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::WorkerThread;

class tst_Lifetime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queuedDeliveriesBecomeNoOps();
    void handlesOutliveTheManager();
    void pendingEmitAfterIsDropped();
    void callbackMayDestroyItsManager();
    void instanceIsOneManager();
    void noTimerWarningsOverAManagersLife();
};

// The same with a worker thread blocked in a callback, plus pending waits and a delayed
// emission: tst_faults' managerDestroyedWithEverythingPending.
void tst_Lifetime::queuedDeliveriesBecomeNoOps()
{
    auto manager = std::make_unique<Manager>();
    int calls = 0;
    manager->on(QStringLiteral("e"), [&] { ++calls; });
    for (int i = 0; i < 100; ++i)
        manager->emitEvent(QStringLiteral("e"));
    manager.reset();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void tst_Lifetime::handlesOutliveTheManager()
{
    Subscription s;
    PendingEmission p;
    Emitter e;
    std::unique_ptr<EventSpy> spy;
    {
        ScopedSubscription scoped;
        {
            Manager manager;
            s = manager.on(QStringLiteral("a"), [] {});
            scoped = manager.on(QStringLiteral("b"), [] {});
            p = manager.emitAfter(10s, QStringLiteral("a"));
            e = manager.emitter(QStringLiteral("a"));
            spy = std::make_unique<EventSpy>(&manager, QStringLiteral("a"));
            QVERIFY(s.isActive());
            QVERIFY(p.isPending());
        }
        QVERIFY(s.isValid());
        QVERIFY(!s.isActive());
        QVERIFY(!s.unregister());
        QVERIFY(!p.isPending());
        e(1); // nothing happens
        QCOMPARE(spy->count(), 0);
        QVERIFY(!scoped.isActive());
    } // scoped unregisters against a dead manager
    spy.reset();
}

void tst_Lifetime::pendingEmitAfterIsDropped()
{
    int calls = 0;
    {
        Manager manager;
        manager.on(QStringLiteral("late"), [&] { ++calls; });
        manager.emitAfter(1ms, QStringLiteral("late"));
        manager.emitAfter(10s, QStringLiteral("late"));
    }
    QTest::qWait(20); // let a stray timer show itself, if there were one
    QCOMPARE(calls, 0);
}

void tst_Lifetime::callbackMayDestroyItsManager()
{
    auto *manager = new Manager;
    int after = 0;
    manager->on(QStringLiteral("e"), [&] { delete manager; });
    manager->on(QStringLiteral("e"), [&] { ++after; });
    manager->emitEvent(QStringLiteral("e"));
    manager->emitEvent(QStringLiteral("e"));
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
    QCOMPARE(after, 0); // the rest of the batch became no-ops
}

void tst_Lifetime::instanceIsOneManager()
{
    Manager *fromMain = Manager::instance();
    std::atomic<Manager *> fromThread{nullptr};
    {
        testutils::JoiningThread t([&] { fromThread = Manager::instance(); });
    }
    QCOMPARE(fromThread.load(), fromMain);
    QCOMPARE(fromMain->thread(), qApp->thread());
}

namespace {
QStringList g_messages;
QtMessageHandler g_previous = nullptr;
void collect(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    g_messages.append(text); // only this thread logs during the test below
    g_previous(type, context, text);
}
} // namespace

void tst_Lifetime::noTimerWarningsOverAManagersLife()
{
    g_messages.clear();
    g_previous = qInstallMessageHandler(collect);
    {
        Manager manager;
        QFuture<EventData> pending = manager.wait(QStringLiteral("never"), 10s); // timer + sweep
        manager.emitAfter(10s, QStringLiteral("later"));
        QFuture<EventData> done = manager.wait(QStringLiteral("now"));
        manager.emitEvent(QStringLiteral("now"));
        QVERIFY(done.isFinished());
    } // destroyed with a timer, a delayed emission and a sweep pending
    qInstallMessageHandler(g_previous);
    for (const QString &message : std::as_const(g_messages))
        QVERIFY2(!message.contains(QLatin1String("Timer")), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_Lifetime)
#include "tst_lifetime.moc"
