// SPDX-License-Identifier: MIT
// Built as C++17 with QT_NO_KEYWORDS and QT_NO_CAST_FROM_ASCII (see CMakeLists.txt): the
// public headers must compile so. Also pins the traits the public types promise.
#include <aioevt/aioevt.h>
#ifdef AIOEVT_TEST_MQTT_HEADER
#include <aioevt/mqttbridge.h>
#endif

#include <QtTest/QTest>

#include <type_traits>

static_assert(__cplusplus < 202002L, "this test checks the headers as C++17");

using namespace aioevt;

static_assert(std::is_copy_constructible_v<Subscription>);
static_assert(std::is_nothrow_move_constructible_v<Subscription>);
static_assert(std::is_nothrow_default_constructible_v<Subscription>);
static_assert(!std::is_copy_constructible_v<ScopedSubscription>);
static_assert(!std::is_copy_assignable_v<ScopedSubscription>);
static_assert(std::is_nothrow_move_constructible_v<ScopedSubscription>);
static_assert(std::is_nothrow_move_assignable_v<ScopedSubscription>);
static_assert(std::is_convertible_v<Subscription, ScopedSubscription>);
static_assert(std::is_copy_constructible_v<PendingEmission>);
static_assert(std::is_nothrow_move_constructible_v<PendingEmission>);
static_assert(std::is_copy_constructible_v<Emitter>);
static_assert(std::is_copy_constructible_v<EventData>);
static_assert(std::is_nothrow_move_constructible_v<EventData>);
static_assert(!std::is_copy_constructible_v<EventSpy>);
static_assert(std::is_base_of_v<QException, TimeoutError>);
static_assert(std::is_base_of_v<QException, CanceledError>);
static_assert(std::is_base_of_v<QObject, Manager>);
#ifdef AIOEVT_TEST_MQTT_HEADER
static_assert(std::is_base_of_v<QObject, MqttBridge>);
static_assert(std::is_copy_constructible_v<MqttBridge::Options>);
#endif
// Which callbacks answer later decides how they are stored (C++17 traits).
static_assert(detail::returnsAsync<QFuture<int> (*)()>);
static_assert(!detail::returnsAsync<int (*)(const EventData &)>);
static_assert(Recurrence::Once != Recurrence::Recurring);
static_assert(Forever.count() < 0);

// A QObject pointer is never taken for a callable.
static_assert(!detail::isCallback<QObject *>);
static_assert(!detail::isCallback<QThread *>);
static_assert(detail::isCallback<void (*)()>);

class tst_Headers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void version()
    {
        QCOMPARE(QByteArray(AIOEVT_VERSION_STRING),
                 QByteArray::number(AIOEVT_VERSION_MAJOR) + '.'
                     + QByteArray::number(AIOEVT_VERSION_MINOR) + '.'
                     + QByteArray::number(AIOEVT_VERSION_PATCH));
    }
    void eventDataIsAGadget()
    {
        const EventData data{QStringLiteral("n"), {1}, {}};
        const QVariant v = QVariant::fromValue(data);
        QCOMPARE(v.value<EventData>(), data);
        const QMetaObject &mo = EventData::staticMetaObject;
        QVERIFY(mo.indexOfProperty("name") >= 0);
        QVERIFY(mo.indexOfProperty("args") >= 0);
        QVERIFY(mo.indexOfProperty("kwargs") >= 0);
    }
    void callableFormsCompileAsCpp17()
    {
        Manager manager;
        QObject context;
        int calls = 0;
        manager.on(QStringLiteral("a"), [&calls](int) { ++calls; });
        manager.on(
            QStringLiteral("a"), [&calls] { ++calls; }, Once);
        manager.on(QStringLiteral("a"), &context, [&calls](const EventData &) { ++calls; });
        manager.once(QStringLiteral("a"), [&calls] { ++calls; });
        manager.emitEvent(QStringLiteral("a"), {1});
        QTRY_COMPARE(calls, 4);
    }
};

QTEST_GUILESS_MAIN(tst_Headers)
#include "tst_headers.moc"
