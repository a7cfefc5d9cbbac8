// SPDX-License-Identifier: MIT
// Callback forms, typed-argument conversion, mismatches, exceptions and bad input.
#include <aioevt/aioevt.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>
#include <stdexcept>

using namespace aioevt;
using namespace std::chrono_literals;

namespace {

int g_freeCalls = 0;
int g_freeSum = 0;
void freeCallback(int a, int b)
{
    ++g_freeCalls;
    g_freeSum += a + b;
}

class Receiver : public QObject
{
    Q_OBJECT
public:
    int calls = 0;
    QString lastText;
    QThread *ranOn = nullptr;
    void onText(const QString &text)
    {
        ++calls;
        lastText = text;
        ranOn = QThread::currentThread();
    }
    void onConst(int) const { ++constCalls; }
    mutable int constCalls = 0;
};

} // namespace

class tst_Callbacks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typedParameters_data();
    void typedParameters();
    void fewerParametersThanEmitted();
    void eventDataParameter();
    void noParameters();
    void kwargsReachEventData();
    void functionPointer();
    void memberFunction();
    void stdFunctionAndMutableLambda();
    void mismatchSkipsOnlyThatCallback_data();
    void mismatchSkipsOnlyThatCallback();
    void throwingCallbackDoesNotStopOthers();
    void emptyNameIsRejected();
    void emptyCallableIsRejected();
    void nullContextIsRejected();
    void emitEmptyNameWarnsAndDoesNothing();
};

void tst_Callbacks::typedParameters_data()
{
    QTest::addColumn<QVariantList>("args");
    QTest::addColumn<int>("expectedInt");
    QTest::addColumn<QString>("expectedText");
    QTest::addColumn<double>("expectedReal");

    QTest::newRow("exact types") << QVariantList{7, QStringLiteral("x"), 2.5} << 7
                                 << QStringLiteral("x") << 2.5;
    QTest::newRow("string to int") << QVariantList{QStringLiteral("12"), QStringLiteral("y"), 1}
                                   << 12 << QStringLiteral("y") << 1.0;
    QTest::newRow("int to string")
        << QVariantList{3, 42, QStringLiteral("0.5")} << 3 << QStringLiteral("42") << 0.5;
}

void tst_Callbacks::typedParameters()
{
    QFETCH(QVariantList, args);
    QFETCH(int, expectedInt);
    QFETCH(QString, expectedText);
    QFETCH(double, expectedReal);

    Manager manager;
    int gotInt = -1;
    QString gotText;
    double gotReal = -1;
    int calls = 0;
    manager.on(QStringLiteral("typed"), [&](int i, const QString &text, double real) {
        ++calls;
        gotInt = i;
        gotText = text;
        gotReal = real;
    });
    manager.emitEvent(QStringLiteral("typed"), args);
    QTRY_COMPARE(calls, 1);
    QCOMPARE(gotInt, expectedInt);
    QCOMPARE(gotText, expectedText);
    QCOMPARE(gotReal, expectedReal);
}

void tst_Callbacks::fewerParametersThanEmitted()
{
    Manager manager;
    QString got;
    manager.on(QStringLiteral("e"), [&](const QString &first) { got = first; });
    manager.emitEvent(QStringLiteral("e"), {QStringLiteral("a"), 2, 3.0});
    QTRY_COMPARE(got, QStringLiteral("a"));
}

void tst_Callbacks::eventDataParameter()
{
    Manager manager;
    std::optional<EventData> got;
    manager.on(QStringLiteral("e"), [&](const EventData &data) { got = data; });
    manager.emitEvent(QStringLiteral("e"), {1, QStringLiteral("two")}, {{QStringLiteral("k"), 3}});
    QTRY_VERIFY(got.has_value());
    QCOMPARE(got->name, QStringLiteral("e"));
    QCOMPARE(got->args, (QVariantList{1, QStringLiteral("two")}));
    QCOMPARE(got->kwargs.value(QStringLiteral("k")).toInt(), 3);

    // By value works too.
    int byValue = 0;
    manager.on(QStringLiteral("v"), [&](EventData data) { byValue = data.args.size(); });
    manager.emitEvent(QStringLiteral("v"), {1, 2, 3});
    QTRY_COMPARE(byValue, 3);
}

void tst_Callbacks::noParameters()
{
    Manager manager;
    int calls = 0;
    manager.on(QStringLiteral("e"), [&] { ++calls; });
    manager.emitEvent(QStringLiteral("e"), {1, 2});
    manager.emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(calls, 2);
}

void tst_Callbacks::kwargsReachEventData()
{
    Manager manager;
    QVariantMap got;
    manager.on(QStringLiteral("k"), [&](const EventData &e) { got = e.kwargs; });
    EventData data;
    data.args = {1};
    data.kwargs = {{QStringLiteral("user"), QStringLiteral("ada")}};
    manager.emitEvent(QStringLiteral("k"), data);
    QTRY_COMPARE(got.value(QStringLiteral("user")).toString(), QStringLiteral("ada"));
}

void tst_Callbacks::functionPointer()
{
    Manager manager;
    g_freeCalls = 0;
    g_freeSum = 0;
    QVERIFY(manager.on(QStringLiteral("sum"), &freeCallback).isValid());
    QVERIFY(manager.on(QStringLiteral("sum"), freeCallback).isValid()); // a function decays
    manager.emitEvent(QStringLiteral("sum"), {2, 3});
    QTRY_COMPARE(g_freeCalls, 2);
    QCOMPARE(g_freeSum, 10);
}

void tst_Callbacks::memberFunction()
{
    Manager manager;
    Receiver receiver;
    QVERIFY(manager.on(QStringLiteral("text"), &receiver, &Receiver::onText).isValid());
    QVERIFY(manager.on(QStringLiteral("n"), &receiver, &Receiver::onConst).isValid());
    manager.emitEvent(QStringLiteral("text"), {QStringLiteral("hello")});
    manager.emitEvent(QStringLiteral("n"), {5});
    QTRY_COMPARE(receiver.calls, 1);
    QTRY_COMPARE(receiver.constCalls, 1);
    QCOMPARE(receiver.lastText, QStringLiteral("hello"));
    QCOMPARE(receiver.ranOn, QThread::currentThread());
}

void tst_Callbacks::stdFunctionAndMutableLambda()
{
    Manager manager;
    int total = 0;
    std::function<void(int)> fn = [&](int v) { total += v; };
    manager.on(QStringLiteral("f"), fn);
    int counter = 0;
    manager.on(QStringLiteral("f"), [&total, counter](int) mutable { total += ++counter * 100; });
    manager.emitEvent(QStringLiteral("f"), {1});
    manager.emitEvent(QStringLiteral("f"), {1});
    QTRY_COMPARE(total, 1 + 100 + 1 + 200);
}

void tst_Callbacks::mismatchSkipsOnlyThatCallback_data()
{
    QTest::addColumn<QVariantList>("args");
    QTest::addColumn<QString>("warning");
    QTest::newRow("too few")
        << QVariantList{1}
        << QStringLiteral(
               "a callback of \"m\" was skipped: it takes 2 argument(s) but 1 were emitted");
    QTest::newRow("not convertible")
        << QVariantList{QStringLiteral("not a number"), 2}
        << QStringLiteral("a callback of \"m\" was skipped: argument 1 is QString, which does not "
                          "convert to int");
    QTest::newRow("invalid variant")
        << QVariantList{QVariant(), 2}
        << QStringLiteral("a callback of \"m\" was skipped: argument 1 is invalid, which does not "
                          "convert to int");
}

void tst_Callbacks::mismatchSkipsOnlyThatCallback()
{
    QFETCH(QVariantList, args);
    QFETCH(QString, warning);
    Manager manager;
    int typedCalls = 0;
    int otherCalls = 0;
    manager.on(QStringLiteral("m"), [&](int, int) { ++typedCalls; });
    manager.on(QStringLiteral("m"), [&](const EventData &) { ++otherCalls; });
    QTest::ignoreMessage(QtWarningMsg, qPrintable(warning));
    manager.emitEvent(QStringLiteral("m"), args);
    QTRY_COMPARE(otherCalls, 1);
    QCOMPARE(typedCalls, 0);
    // The mismatched callback is still registered and runs for a fitting emission.
    manager.emitEvent(QStringLiteral("m"), {1, 2});
    QTRY_COMPARE(typedCalls, 1);
}

void tst_Callbacks::throwingCallbackDoesNotStopOthers()
{
    Manager manager;
    QSignalSpy failed(&manager, &Manager::callbackFailed);
    int before = 0;
    int after = 0;
    manager.on(QStringLiteral("t"), [&] { ++before; });
    manager.on(QStringLiteral("t"), [] { throw std::runtime_error("boom"); });
    manager.on(QStringLiteral("t"), [&] { ++after; });
    QTest::ignoreMessage(QtWarningMsg, "a callback of \"t\" threw: boom");
    manager.emitEvent(QStringLiteral("t"));
    QTRY_COMPARE(after, 1);
    QCOMPARE(before, 1);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("t"));
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("boom"));

    // A non-std exception is caught too, and the thread keeps running events.
    manager.on(QStringLiteral("u"), [] { throw 42; });
    QTest::ignoreMessage(QtWarningMsg, "a callback of \"u\" threw: an exception of unknown type");
    manager.emitEvent(QStringLiteral("u"));
    QTRY_COMPARE(failed.count(), 2);
    manager.emitEvent(QStringLiteral("t"));
    QTRY_COMPARE(after, 2);
}

void tst_Callbacks::emptyNameIsRejected()
{
    Manager manager;
    QTest::ignoreMessage(QtWarningMsg, "on(): the event name is empty; nothing was registered");
    const Subscription s = manager.on(QString(), [] {});
    QVERIFY(!s.isValid());
    QVERIFY(!s.isActive());
    QCOMPARE(s.id(), 0u);
    QVERIFY(manager.eventNames().isEmpty());
}

void tst_Callbacks::emptyCallableIsRejected()
{
    Manager manager;
    std::function<void()> empty;
    QTest::ignoreMessage(QtWarningMsg, "on(\"e\"): the callback is empty; nothing was registered");
    QVERIFY(!manager.on(QStringLiteral("e"), empty).isValid());
    void (*nullFunction)(int, int) = nullptr;
    QTest::ignoreMessage(QtWarningMsg, "on(\"e\"): the callback is empty; nothing was registered");
    QVERIFY(!manager.on(QStringLiteral("e"), nullFunction).isValid());
    Receiver receiver;
    void (Receiver::*nullMember)(const QString &) = nullptr;
    QTest::ignoreMessage(QtWarningMsg, "on(\"e\"): the callback is empty; nothing was registered");
    QVERIFY(!manager.on(QStringLiteral("e"), &receiver, nullMember).isValid());
    QCOMPARE(manager.subscriberCount(QStringLiteral("e")), 0);
}

void tst_Callbacks::nullContextIsRejected()
{
    Manager manager;
    const QObject *context = nullptr;
    QTest::ignoreMessage(QtWarningMsg,
                         "on(\"e\"): the context or receiver is null; nothing was registered");
    QVERIFY(!manager.on(QStringLiteral("e"), context, [] {}).isValid());
    QCOMPARE(manager.subscriberCount(QStringLiteral("e")), 0);
}

void tst_Callbacks::emitEmptyNameWarnsAndDoesNothing()
{
    Manager manager;
    int calls = 0;
    manager.onAny([&] { ++calls; });
    QTest::ignoreMessage(QtWarningMsg, "emitEvent(): the event name is empty; nothing was emitted");
    manager.emitEvent(QString());
    manager.emitEvent(QStringLiteral("real"));
    QTRY_COMPARE(calls, 1);
    QCoreApplication::processEvents();
    QCOMPARE(calls, 1);
}

QTEST_GUILESS_MAIN(tst_Callbacks)
#include "tst_callbacks.moc"
