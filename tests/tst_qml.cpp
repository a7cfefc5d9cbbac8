// SPDX-License-Identifier: MIT
// The QML module: EventManager singleton, EventListener, Promise-returning wait, bad input.
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtCore/QThread>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::JoiningThread;
using testutils::WorkerThread;

namespace {

/* Seen from JavaScript as `probe`: records the thread a JS handler runs on. */
class Probe : public QObject
{
    Q_OBJECT
public:
    QThread *ranOn = nullptr;
    Q_INVOKABLE void record() { ranOn = QThread::currentThread(); }
};

} // namespace

class tst_Qml : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QQmlEngine> m_engine;
    Probe m_probe;

    std::unique_ptr<QObject> load(const QByteArray &body)
    {
        QQmlComponent component(m_engine.get());
        component.setData("import QtQml\nimport Aioevt\nQtObject {\n" + body + "\n}\n", QUrl());
        std::unique_ptr<QObject> object(component.create());
        if (!object)
            qWarning() << component.errors();
        return object;
    }
    // Runs a JavaScript snippet; returns the message of what it threw, or "" if nothing.
    QString jsError(const QString &code)
    {
        const QJSValue result = m_engine->evaluate(code);
        return result.isError() ? result.property(QStringLiteral("message")).toString() : QString();
    }
    QJSValue js(const QString &code) { return m_engine->evaluate(code); }

private Q_SLOTS:
    void init()
    {
        m_engine = std::make_unique<QQmlEngine>();
        m_engine->addImportPath(QStringLiteral(AIOEVT_QML_IMPORT_PATH));
        m_engine->globalObject().setProperty(QStringLiteral("probe"),
                                             m_engine->newQObject(&m_probe));
        QQmlEngine::setObjectOwnership(&m_probe, QQmlEngine::CppOwnership);
        // Makes the singleton available to evaluate() too.
        auto holder = load("property var em: EventManager");
        QVERIFY(holder);
        m_engine->globalObject().setProperty(QStringLiteral("EventManager"),
                                             m_engine->toScriptValue(holder->property("em")));
        m_probe.ranOn = nullptr;
    }
    void cleanup()
    {
        m_engine.reset();
        Manager::instance()->unregister(QStringLiteral("x"));
        QCOMPARE(Manager::instance()->eventNames(), QStringList());
    }

    void cppWorkerToJsHandlerOnEngineThread();
    void jsEmitsToCppWorker();
    void singletonSharesCppEvents();
    void waitResolves();
    void waitRejectsOnTimeoutAndRemovesWaiter();
    void onceInJavaScript();
    void unregisterByIdAndByName();
    void eventListener();
    void eventListenerRebindsAndDisables();
    void eventListenerOnce();
    void jsCallbackDroppedWithItsEngine();
    void throwingJsCallbackIsReported();
    void badInputRaisesJavaScriptErrors_data();
    void badInputRaisesJavaScriptErrors();
};

void tst_Qml::cppWorkerToJsHandlerOnEngineThread()
{
    auto object = load("property var got: null\n"
                       "Component.onCompleted: EventManager.on('toQml', function(args, kwargs) {"
                       "  probe.record(); got = {first: args[0], second: args[1], who: kwargs.who};"
                       "})");
    QVERIFY(object);
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("toQml")), 1);
    {
        JoiningThread worker([] {
            Manager::instance()->emitEvent(QStringLiteral("toQml"), {7, QStringLiteral("seven")},
                                           {{QStringLiteral("who"), QStringLiteral("worker")}});
        });
    }
    QTRY_VERIFY(object->property("got").toMap().contains(QStringLiteral("first")));
    const QVariantMap got = object->property("got").toMap();
    QCOMPARE(got.value(QStringLiteral("first")).toInt(), 7);
    QCOMPARE(got.value(QStringLiteral("second")).toString(), QStringLiteral("seven"));
    QCOMPARE(got.value(QStringLiteral("who")).toString(), QStringLiteral("worker"));
    QCOMPARE(m_probe.ranOn, m_engine->thread());
    object.reset();
    js(QStringLiteral("EventManager.unregister('toQml')"));
}

void tst_Qml::jsEmitsToCppWorker()
{
    WorkerThread worker("worker");
    std::atomic<QThread *> ranOn{nullptr};
    QMutex mutex;
    EventData got;
    Manager::instance()->on(
        QStringLiteral("fromQml"),
        [&](const EventData &e) {
            QMutexLocker lock(&mutex);
            got = e;
            ranOn = QThread::currentThread();
        },
        worker);
    QCOMPARE(jsError(QStringLiteral(
                 "EventManager.emitEvent('fromQml', [1, 'two', [3]], {k: 'v', n: 4.5})")),
             QString());
    QTRY_COMPARE(ranOn.load(), worker.get());
    QMutexLocker lock(&mutex);
    QCOMPARE(got.args.value(0).toInt(), 1);
    QCOMPARE(got.args.value(1).toString(), QStringLiteral("two"));
    QCOMPARE(got.args.value(2).toList().value(0).toInt(), 3);
    QCOMPARE(got.kwargs.value(QStringLiteral("k")).toString(), QStringLiteral("v"));
    QCOMPARE(got.kwargs.value(QStringLiteral("n")).toDouble(), 4.5);
    lock.unlock();
    Manager::instance()->unregister(QStringLiteral("fromQml"));
}

void tst_Qml::singletonSharesCppEvents()
{
    // C++ subscribers are counted from QML, and emitAfter from QML reaches them.
    EventSpy spy(Manager::instance(), QStringLiteral("later"));
    const Subscription s = Manager::instance()->on(QStringLiteral("later"), [] {});
    QCOMPARE(js(QStringLiteral("EventManager.subscriberCount('later')")).toInt(), 1);
    QCOMPARE(jsError(QStringLiteral("EventManager.emitAfter(10, 'later', [5], {a: 1})")),
             QString());
    QVERIFY(spy.wait(10s));
    QCOMPARE(spy.at(0).args.value(0).toInt(), 5);
    QCOMPARE(spy.at(0).kwargs.value(QStringLiteral("a")).toInt(), 1);
    Manager::instance()->unregister(s);
}

void tst_Qml::waitResolves()
{
    js(QStringLiteral("var resolved = null; EventManager.wait('x', 10000).then(function(e) {"
                      " resolved = e; })"));
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 1);
    Manager::instance()->emitEvent(QStringLiteral("x"), {42}, {{QStringLiteral("k"), 1}});
    QTRY_VERIFY(js(QStringLiteral("resolved !== null")).toBool());
    QCOMPARE(js(QStringLiteral("resolved.name")).toString(), QStringLiteral("x"));
    QCOMPARE(js(QStringLiteral("resolved.args[0]")).toInt(), 42);
    QCOMPARE(js(QStringLiteral("resolved.kwargs.k")).toInt(), 1);

    // Without a timeout it waits for as long as it takes.
    js(QStringLiteral("var late = null; EventManager.wait('x').then(function(e) { late = e; })"));
    Manager::instance()->emitEvent(QStringLiteral("x"));
    QTRY_VERIFY(js(QStringLiteral("late !== null")).toBool());
}

void tst_Qml::waitRejectsOnTimeoutAndRemovesWaiter()
{
    js(QStringLiteral("var rejected = null; EventManager.wait('x', 20).then(function() {},"
                      " function(error) { rejected = error; })"));
    QTRY_VERIFY(js(QStringLiteral("rejected !== null")).toBool());
    QVERIFY(js(QStringLiteral("rejected instanceof Error")).toBool());
    QVERIFY(js(QStringLiteral("rejected.message")).toString().contains(QLatin1String("\"x\"")));
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 0);
}

void tst_Qml::onceInJavaScript()
{
    js(QStringLiteral("var count = 0; var id = EventManager.on('x', function() { count++; },"
                      " true)"));
    QVERIFY(js(QStringLiteral("typeof id === 'number' && id > 0")).toBool());
    Manager::instance()->emitEvent(QStringLiteral("x"));
    Manager::instance()->emitEvent(QStringLiteral("x"));
    QTRY_COMPARE(js(QStringLiteral("count")).toInt(), 1);
    QCoreApplication::processEvents();
    QCOMPARE(js(QStringLiteral("count")).toInt(), 1);
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 0);
}

void tst_Qml::unregisterByIdAndByName()
{
    const Subscription cpp = Manager::instance()->on(QStringLiteral("x"), [] {});
    js(QStringLiteral("var a = EventManager.on('x', function() {});"
                      "var b = EventManager.on('x', function() {});"
                      "var c = EventManager.on('x', function() {});"));
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 4);
    QCOMPARE(js(QStringLiteral("EventManager.unregister(a)")).toInt(), 1);
    QCOMPARE(js(QStringLiteral("EventManager.unregister(a)")).toInt(), 0);
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 3);
    // By name: the JavaScript subscriptions of this engine only, not the C++ one.
    QCOMPARE(js(QStringLiteral("EventManager.unregister('x')")).toInt(), 2);
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 1);
    QVERIFY(cpp.isActive());
    Manager::instance()->unregister(cpp);
}

void tst_Qml::eventListener()
{
    auto object = load("property var got: []\n"
                       "property EventListener listener: EventListener {\n"
                       "  name: 'x'\n"
                       "  onTriggered: (args, kwargs) => { probe.record();"
                       "    got = got.concat([args[0] + kwargs.plus]); }\n"
                       "}");
    QVERIFY(object);
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 1);
    {
        JoiningThread worker([] {
            Manager::instance()->emitEvent(QStringLiteral("x"), {1},
                                           {{QStringLiteral("plus"), 10}});
        });
    }
    QTRY_COMPARE(object->property("got").toList().size(), 1);
    QCOMPARE(object->property("got").toList().value(0).toInt(), 11);
    QCOMPARE(m_probe.ranOn, m_engine->thread());
    object.reset(); // destroying the listener unregisters it
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 0);
}

void tst_Qml::eventListenerRebindsAndDisables()
{
    auto object = load("property int hits: 0\n"
                       "property EventListener listener: EventListener {\n"
                       "  name: 'x'; onTriggered: hits++ }");
    QVERIFY(object);
    auto *listener = object->property("listener").value<QObject *>();
    QVERIFY(listener);
    listener->setProperty("name", QStringLiteral("y"));
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 0);
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("y")), 1);
    Manager::instance()->emitEvent(QStringLiteral("y"));
    QTRY_COMPARE(object->property("hits").toInt(), 1);
    listener->setProperty("enabled", false);
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("y")), 0);
    QVERIFY(!listener->property("active").toBool());
    Manager::instance()->emitEvent(QStringLiteral("y"));
    listener->setProperty("enabled", true);
    Manager::instance()->emitEvent(QStringLiteral("y"));
    QTRY_COMPARE(object->property("hits").toInt(), 2);
    QCoreApplication::processEvents();
    QCOMPARE(object->property("hits").toInt(), 2); // the emission while disabled was missed
    object.reset();
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("y")), 0);
}

void tst_Qml::eventListenerOnce()
{
    auto object = load("property int hits: 0\n"
                       "property EventListener listener: EventListener {\n"
                       "  name: 'x'; once: true; onTriggered: hits++ }");
    QVERIFY(object);
    auto *listener = object->property("listener").value<QObject *>();
    QVERIFY(listener->property("active").toBool());
    Manager::instance()->emitEvent(QStringLiteral("x"));
    Manager::instance()->emitEvent(QStringLiteral("x"));
    QTRY_COMPARE(object->property("hits").toInt(), 1);
    QVERIFY(!listener->property("active").toBool());
    QCoreApplication::processEvents();
    QCOMPARE(object->property("hits").toInt(), 1);
}

void tst_Qml::jsCallbackDroppedWithItsEngine()
{
    js(QStringLiteral("EventManager.on('x', function() {}); EventManager.wait('x');"));
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 2);
    m_engine.reset();
    QTRY_COMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 0);
    Manager::instance()->emitEvent(QStringLiteral("x")); // nobody left: nothing runs
    QCoreApplication::processEvents();
}

void tst_Qml::throwingJsCallbackIsReported()
{
    QSignalSpy failed(Manager::instance(), &Manager::callbackFailed);
    js(QStringLiteral("var after = 0; EventManager.on('x', function() { throw new Error('bad'); });"
                      "EventManager.on('x', function() { after++; });"));
    QTest::ignoreMessage(QtWarningMsg, "a callback of \"x\" threw: JavaScript Error: bad");
    Manager::instance()->emitEvent(QStringLiteral("x"));
    QTRY_COMPARE(js(QStringLiteral("after")).toInt(), 1);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("JavaScript Error: bad"));
}

void tst_Qml::badInputRaisesJavaScriptErrors_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty name")
        << "EventManager.emitEvent('')"
        << "EventManager.emitEvent: the event name must be a non-empty string";
    QTest::newRow("no name") << "EventManager.emitEvent(undefined)"
                             << "EventManager.emitEvent: the event name must be a non-empty string";
    QTest::newRow("number as name") << "EventManager.on(5, function() {})"
                                    << "EventManager.on: the event name must be a non-empty string";
    QTest::newRow("non-function callback") << "EventManager.on('x', 42)"
                                           << "EventManager.on: the callback must be a function";
    QTest::newRow("non-boolean once") << "EventManager.on('x', function() {}, 'yes')"
                                      << "EventManager.on: once must be a boolean";
    QTest::newRow("non-array args") << "EventManager.emitEvent('x', 5)"
                                    << "EventManager.emitEvent: args must be an array";
    QTest::newRow("non-object kwargs") << "EventManager.emitEvent('x', [], 3)"
                                       << "EventManager.emitEvent: kwargs must be an object";
    QTest::newRow("array kwargs") << "EventManager.emitEvent('x', [], [1])"
                                  << "EventManager.emitEvent: kwargs must be an object";
    QTest::newRow("function in args")
        << "EventManager.emitEvent('x', [1, function() {}])"
        << "EventManager.emitEvent: args[1] is a function, which cannot cross threads";
    QTest::newRow("function in kwargs")
        << "EventManager.emitEvent('x', [], {deep: {cb: function() {}}})"
        << "EventManager.emitEvent: kwargs.deep.cb is a function, which cannot cross threads";
    QTest::newRow("QObject in args")
        << "EventManager.emitEvent('x', [probe])"
        << "EventManager.emitEvent: args[0] is a QObject, which cannot cross threads";
    QTest::newRow("bad delay")
        << "EventManager.emitAfter('soon', 'x')"
        << "EventManager.emitAfter: the delay must be a number of milliseconds, 0 or more";
    QTest::newRow("negative delay")
        << "EventManager.emitAfter(-1, 'x')"
        << "EventManager.emitAfter: the delay must be a number of milliseconds, 0 or more";
    QTest::newRow("bad timeout")
        << "EventManager.wait('x', 'long')"
        << "EventManager.wait: the timeout must be a number of milliseconds (negative: no limit)";
    QTest::newRow("bad unregister") << "EventManager.unregister({})"
                                    << "EventManager.unregister: expects a subscription id (a "
                                       "number) or an event name (a non-empty string)";
    QTest::newRow("bad count")
        << "EventManager.subscriberCount(null)"
        << "EventManager.subscriberCount: the event name must be a non-empty string";
}

void tst_Qml::badInputRaisesJavaScriptErrors()
{
    QFETCH(QString, code);
    QFETCH(QString, message);
    QCOMPARE(jsError(code), message);
    // The engine and the manager keep working afterwards.
    QCOMPARE(Manager::instance()->subscriberCount(QStringLiteral("x")), 0);
    EventSpy spy(Manager::instance(), QStringLiteral("ok"));
    QCOMPARE(jsError(QStringLiteral("EventManager.emitEvent('ok', [1])")), QString());
    QCOMPARE(spy.count(), 1);
}

QTEST_GUILESS_MAIN(tst_Qml)
#include "tst_qml.moc"
