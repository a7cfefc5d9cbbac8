// SPDX-License-Identifier: MIT
// Every unregister form, its count, its finality, and the RAII handle.
#include <aioevt/aioevt.h>

#include <QtTest/QTest>

using namespace aioevt;
using namespace std::chrono_literals;

namespace {

int g_calls = 0;
void countingCallback()
{
    ++g_calls;
}
void otherCallback(int) { }

class Receiver : public QObject
{
    Q_OBJECT
public:
    int calls = 0;
    void handle() { ++calls; }
    void other(int) { }
};

} // namespace

class tst_Unregister : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { g_calls = 0; }
    void byName();
    void bySubscriptionHandle();
    void byReceiverOrContext();
    void byFunctionPointer();
    void byMemberFunctionPointer();
    void byNameAndFunction();
    void isFinalForQueuedDeliveries();
    void onceConsumedButQueuedCanStillBeStopped();
    void scopedSubscription();
    void subscriptionOfAnotherManager();
};

void tst_Unregister::byName()
{
    Manager manager;
    int calls = 0;
    manager.on(QStringLiteral("a"), [&] { ++calls; });
    manager.on(QStringLiteral("a"), [&] { ++calls; });
    manager.on(QStringLiteral("b"), [&] { ++calls; });
    QFuture<EventData> waiter = manager.wait(QStringLiteral("a"));
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 3);
    QCOMPARE(manager.unregister(QStringLiteral("a")), 3);
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 0);
    QCOMPARE(manager.eventNames(), QStringList{QStringLiteral("b")});
    // The waiter's future ends rather than hanging.
    QVERIFY(waiter.isFinished());
    QVERIFY(waiter.isCanceled());
    QCOMPARE(manager.unregister(QStringLiteral("a")), 0);
    QCOMPARE(manager.unregister(QStringLiteral("unknown")), 0);
    manager.emitEvent(QStringLiteral("a"));
    manager.emitEvent(QStringLiteral("b"));
    QTRY_COMPARE(calls, 1);
}

void tst_Unregister::bySubscriptionHandle()
{
    Manager manager;
    Subscription s = manager.on(QStringLiteral("a"), [] {});
    const Subscription copy = s;
    QVERIFY(s.isValid());
    QVERIFY(s.id() != 0);
    QCOMPARE(s.name(), QStringLiteral("a"));
    QCOMPARE(copy, s);
    QCOMPARE(manager.unregister(copy), 1);
    QVERIFY(!s.isActive());
    QVERIFY(s.isValid()); // still names the registration it was
    QCOMPARE(manager.unregister(s), 0);
    QVERIFY(!s.unregister());

    Subscription t = manager.on(QStringLiteral("a"), [] {});
    QVERIFY(t.unregister());
    QVERIFY(!t.unregister());
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 0);
    QVERIFY(!Subscription().unregister());
}

void tst_Unregister::byReceiverOrContext()
{
    Manager manager;
    Receiver receiver;
    QObject context;
    manager.on(QStringLiteral("a"), &receiver, &Receiver::handle);
    manager.on(QStringLiteral("b"), &receiver, [] {});
    manager.on(QStringLiteral("a"), &context, [] {});
    QCOMPARE(manager.unregister(&receiver), 2);
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 1);
    QCOMPARE(manager.unregister(&receiver), 0);
    QCOMPARE(manager.unregister(&context), 1);
    QCOMPARE(manager.unregister(static_cast<QObject *>(nullptr)), 0);
    QVERIFY(manager.eventNames().isEmpty());
}

void tst_Unregister::byFunctionPointer()
{
    Manager manager;
    manager.on(QStringLiteral("a"), &countingCallback);
    manager.on(QStringLiteral("b"), &countingCallback);
    manager.on(QStringLiteral("a"), &otherCallback);
    manager.on(QStringLiteral("a"), [] {}); // a lambda is not that function
    QCOMPARE(manager.unregister(&countingCallback), 2);
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 2);
    QCOMPARE(manager.subscriberCount(QStringLiteral("b")), 0);
    QCOMPARE(manager.unregister(&countingCallback), 0);
    manager.emitEvent(QStringLiteral("a"));
    QCoreApplication::processEvents();
    QCOMPARE(g_calls, 0);
}

void tst_Unregister::byMemberFunctionPointer()
{
    Manager manager;
    Receiver r1;
    Receiver r2;
    manager.on(QStringLiteral("a"), &r1, &Receiver::handle);
    manager.on(QStringLiteral("a"), &r2, &Receiver::handle);
    manager.on(QStringLiteral("a"), &r2, &Receiver::other);
    QCOMPARE(manager.unregister(&Receiver::handle), 2);
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 1);
    QCOMPARE(manager.unregister(&Receiver::other), 1);
}

void tst_Unregister::byNameAndFunction()
{
    Manager manager;
    manager.on(QStringLiteral("a"), &countingCallback);
    manager.on(QStringLiteral("b"), &countingCallback);
    QCOMPARE(manager.unregister(QStringLiteral("b"), &countingCallback), 1);
    QCOMPARE(manager.unregister(QStringLiteral("b"), &countingCallback), 0);
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 1);
    manager.emitEvent(QStringLiteral("a"));
    manager.emitEvent(QStringLiteral("b"));
    QTRY_COMPARE(g_calls, 1);
}

void tst_Unregister::isFinalForQueuedDeliveries()
{
    Manager manager;
    int calls = 0;
    const Subscription s = manager.on(QStringLiteral("a"), [&] { ++calls; });
    for (int i = 0; i < 5; ++i)
        manager.emitEvent(QStringLiteral("a")); // queued, not run yet
    QCOMPARE(manager.unregister(s), 1);
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void tst_Unregister::onceConsumedButQueuedCanStillBeStopped()
{
    Manager manager;
    int calls = 0;
    Subscription s = manager.once(QStringLiteral("a"), [&] { ++calls; });
    manager.emitEvent(QStringLiteral("a")); // consumed: queued, no longer registered
    QVERIFY(!s.isActive());
    QVERIFY(!s.unregister()); // nothing left to remove from the registry ...
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0); // ... but the queued call is stopped all the same
}

void tst_Unregister::scopedSubscription()
{
    Manager manager;
    {
        ScopedSubscription scoped = manager.on(QStringLiteral("a"), [] {});
        QVERIFY(scoped.isActive());
        QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 1);
        ScopedSubscription moved = std::move(scoped);
        QVERIFY(!scoped.isValid());
        QVERIFY(moved.isActive());
        QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 1);
    }
    QCOMPARE(manager.subscriberCount(QStringLiteral("a")), 0);

    ScopedSubscription assigned(manager.on(QStringLiteral("b"), [] {}));
    assigned = ScopedSubscription(manager.on(QStringLiteral("c"), [] {}));
    QCOMPARE(manager.subscriberCount(QStringLiteral("b")), 0);
    QCOMPARE(manager.subscriberCount(QStringLiteral("c")), 1);

    Subscription kept;
    {
        ScopedSubscription released(manager.on(QStringLiteral("d"), [] {}));
        kept = released.release();
    }
    QVERIFY(kept.isActive());
    QVERIFY(assigned.unregister());
    QCOMPARE(manager.subscriberCount(QStringLiteral("c")), 0);
}

void tst_Unregister::subscriptionOfAnotherManager()
{
    Manager first;
    Manager second;
    const Subscription s = first.on(QStringLiteral("a"), [] {});
    QCOMPARE(second.unregister(s), 0);
    QVERIFY(s.isActive());
    QCOMPARE(first.unregister(s), 1);
}

QTEST_GUILESS_MAIN(tst_Unregister)
#include "tst_unregister.moc"
