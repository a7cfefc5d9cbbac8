// SPDX-License-Identifier: MIT
// aioevt beside plain Qt doing the same job, in one process and one run. Every case is
// timed several times; the table shows the median (min–max) of each side and the ratio
// of the medians, and checks it against the project's target. Absolute times vary from
// machine to machine; the ratios are what the targets are about.
//
//   aioevt-bench [--tiny] [--reps N] [--json FILE] [--markdown FILE] [--scaling FILE]
#include <aioevt/aioevt.h>
#ifdef AIOEVT_BENCH_MQTT
#include "mqttbench.h"
#endif

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QMutex>
#include <QtCore/QPromise>
#include <QtCore/QSemaphore>
#include <QtCore/QThread>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

using aioevt::EventData;
using aioevt::Manager;
using namespace std::chrono_literals;

namespace {

struct Options
{
    bool tiny = false;
    int reps = 5;
    QString json;
    QString markdown;
    QString scaling;
    QStringList only; // case groups to run (a b c d e f g h i m); empty: all
    int mqttPort = 0; // case m runs only with a broker
};

Options g_options;

bool selected(const char *group)
{
    return g_options.only.isEmpty() || g_options.only.contains(QLatin1String(group));
}

// Counts scaled down by --tiny, so that the CTest run only proves the cases still work.
int scaled(int n)
{
    return g_options.tiny ? std::max(1, n / 1000) : n;
}

struct Stats
{
    double median = 0, min = 0, max = 0; // nanoseconds per operation
};

Stats measure(const std::function<double()> &once)
{
    std::vector<double> samples;
    for (int i = 0; i < g_options.reps; ++i)
        samples.push_back(once());
    std::sort(samples.begin(), samples.end());
    return {samples[samples.size() / 2], samples.front(), samples.back()};
}

/* Both sides of a comparison, alternating repetition by repetition, so that a drift in
   the machine's state (frequency, other load) falls on both alike. */
std::pair<Stats, Stats> measurePair(const std::function<double()> &ours,
                                    const std::function<double()> &theirs)
{
    std::vector<double> a, b;
    for (int i = 0; i < g_options.reps; ++i) {
        a.push_back(ours());
        b.push_back(theirs());
    }
    auto stats = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return Stats{v[v.size() / 2], v.front(), v.back()};
    };
    return {stats(a), stats(b)};
}

QString formatNs(double ns)
{
    if (ns >= 1e6)
        return QStringLiteral("%1 ms").arg(ns / 1e6, 0, 'f', 2);
    if (ns >= 1e3)
        return QStringLiteral("%1 µs").arg(ns / 1e3, 0, 'f', 2);
    return QStringLiteral("%1 ns").arg(ns, 0, 'f', 1);
}

bool g_formatBytes = false; // set while a memory row is printed

QString formatValue(double v)
{
    return g_formatBytes ? QStringLiteral("%1 B").arg(v, 0, 'f', 0) : formatNs(v);
}

QString formatStats(const Stats &s)
{
    return QStringLiteral("%1 (%2–%3)")
        .arg(formatValue(s.median), formatValue(s.min), formatValue(s.max));
}

struct Row
{
    QString id, what, ours, theirs, unit;
    Stats aioevt, plain;
    double ratio = 0; // how many times better aioevt is (>1: better), by the medians
    QString target; // e.g. ">= 4x"
    bool met = true;
    bool bytes = false; // values are bytes, not nanoseconds
};
std::vector<Row> g_rows;

/* Adds a row; `better` says how much better aioevt is: plain/aioevt for costs. */
void addRow(const QString &id, const QString &what, const QString &theirs, const Stats &ours,
            const Stats &plain, double ratio, const QString &target, bool met,
            const QString &unit = QStringLiteral("per event"))
{
    const bool bytes = unit.startsWith(QLatin1String("bytes"));
    Row row{id,  what, QStringLiteral("aioevt"), theirs, unit, ours, plain, ratio, target,
            met, bytes};
    g_rows.push_back(row);
    g_formatBytes = bytes;
    std::printf("%-4s %-58s aioevt %-28s %-16s %-28s ratio %7.2fx  target %-14s %s\n",
                qPrintable(id), qPrintable(what), qPrintable(formatStats(ours)), qPrintable(theirs),
                qPrintable(formatStats(plain)), ratio, qPrintable(target),
                g_options.tiny ? "(tiny run: not judged)" : (met ? "met" : "NOT MET"));
    std::fflush(stdout);
    g_formatBytes = false;
}

/* A started worker thread with an object living in it, joined on destruction. */
struct Worker
{
    QThread thread;
    QObject object;
    explicit Worker(const char *name)
    {
        thread.setObjectName(QString::fromLatin1(name));
        object.moveToThread(&thread);
        thread.start();
    }
    ~Worker()
    {
        QMetaObject::invokeMethod(
            &object, [this] { object.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
};

const QVariantList g_threeArgs{1, QStringLiteral("two"), 3.0};

/* A callback that releases `done` when `remaining` deliveries have arrived. */
auto countdown(std::atomic<int> &remaining, QSemaphore &done)
{
    return [&remaining, &done](const EventData &) {
        if (remaining.fetch_sub(1, std::memory_order_relaxed) == 1)
            done.release();
    };
}

// --- a, b: throughput to one thread --------------------------------------------------

double aioevtThroughput(int events, int subscribers, int emitters = 1)
{
    Manager manager;
    Worker worker("target");
    QSemaphore done;
    std::atomic<int> remaining{events * subscribers * emitters};
    for (int s = 0; s < subscribers; ++s) {
        manager.on(QStringLiteral("bench.a"), countdown(remaining, done), &worker.thread);
    }
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> threads;
    for (int e = 1; e < emitters; ++e) {
        threads.emplace_back([&] {
            for (int i = 0; i < events; ++i)
                manager.emitEvent(QStringLiteral("bench.a"), g_threeArgs);
        });
    }
    for (int i = 0; i < events; ++i)
        manager.emitEvent(QStringLiteral("bench.a"), g_threeArgs);
    for (auto &t : threads)
        t.join();
    done.acquire();
    return double(timer.nsecsElapsed()) / (double(events) * emitters);
}

double plainThroughput(int events, int calls)
{
    Worker worker("target");
    QSemaphore done;
    std::atomic<int> remaining{events * calls};
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i) {
        for (int c = 0; c < calls; ++c) {
            QMetaObject::invokeMethod(
                &worker.object,
                [&, args = g_threeArgs] {
                    Q_UNUSED(args)
                    if (remaining.fetch_sub(1, std::memory_order_relaxed) == 1)
                        done.release();
                },
                Qt::QueuedConnection);
        }
    }
    done.acquire();
    return double(timer.nsecsElapsed()) / events;
}

// --- c: the signal bus ---------------------------------------------------------------

class Bus : public QObject
{
    Q_OBJECT
Q_SIGNALS:
    void event(const QString &name, const QVariantList &args);
};

class BusReceiver : public QObject
{
public:
    BusReceiver(QString name, std::atomic<int> *remaining, QSemaphore *done)
        : m_name(std::move(name)), m_remaining(remaining), m_done(done)
    { }
    void onEvent(const QString &name, const QVariantList &)
    {
        if (name == m_name && m_remaining->fetch_sub(1, std::memory_order_relaxed) == 1)
            m_done->release();
    }

private:
    QString m_name;
    std::atomic<int> *m_remaining;
    QSemaphore *m_done;
};

double signalBus(int events, int receivers)
{
    Worker worker("target");
    Bus bus;
    QSemaphore done;
    std::atomic<int> remaining{events};
    std::vector<std::unique_ptr<BusReceiver>> list;
    for (int r = 0; r < receivers; ++r) {
        const QString name = r == 0 ? QStringLiteral("bench.c") : QStringLiteral("other.%1").arg(r);
        list.push_back(std::make_unique<BusReceiver>(name, &remaining, &done));
        list.back()->moveToThread(&worker.thread);
        QObject::connect(&bus, &Bus::event, list.back().get(), &BusReceiver::onEvent,
                         Qt::QueuedConnection);
    }
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i)
        Q_EMIT bus.event(QStringLiteral("bench.c"), g_threeArgs);
    done.acquire();
    const double ns = double(timer.nsecsElapsed()) / events;
    for (auto &receiver : list) // deleted on their thread's terms: move them back first
        QMetaObject::invokeMethod(
            receiver.get(), [&] { receiver->moveToThread(qApp->thread()); },
            Qt::BlockingQueuedConnection);
    return ns;
}

double aioevtAmongMany(int events, int subscribers)
{
    Manager manager;
    Worker worker("target");
    QSemaphore done;
    std::atomic<int> remaining{events};
    manager.on(QStringLiteral("bench.c"), countdown(remaining, done), &worker.thread);
    for (int r = 1; r < subscribers; ++r)
        manager.on(
            QStringLiteral("other.%1").arg(r), [](const EventData &) {}, &worker.thread);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i)
        manager.emitEvent(QStringLiteral("bench.c"), g_threeArgs);
    done.acquire();
    return double(timer.nsecsElapsed()) / events;
}

// --- d, f: emitting without subscribers, Emitter ---------------------------------------

const QString g_longName = QStringLiteral("application.module.some_event_name");

/* Fills the registry with `count` names that the measured operation does not touch. */
void registerOtherNames(Manager &manager, int count)
{
    for (int n = 0; n < count; ++n)
        manager.on(QStringLiteral("name.%1").arg(n), [] {});
}

double emitNobody(int emits, int otherNames)
{
    Manager manager;
    registerOtherNames(manager, otherNames);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < emits; ++i)
        manager.emitEvent(g_longName);
    return double(timer.nsecsElapsed()) / emits;
}

double mutexHashLookup(int lookups)
{
    QMutex mutex;
    QHash<QString, int> hash;
    hash.insert(QStringLiteral("another"), 1);
    int found = 0;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < lookups; ++i) {
        QMutexLocker lock(&mutex);
        found += hash.value(g_longName);
    }
    const double ns = double(timer.nsecsElapsed()) / lookups;
    return found ? ns + 0 : ns;
}

double emitterCall(int emits)
{
    Manager manager;
    const aioevt::Emitter emitter = manager.emitter(g_longName);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < emits; ++i)
        emitter.emitEvent();
    return double(timer.nsecsElapsed()) / emits;
}

// --- e: round trips ---------------------------------------------------------------------

double aioevtWaitForRoundTrip(int trips)
{
    Manager manager;
    Worker worker("replier");
    QObject here;
    manager.on(
        QStringLiteral("ping"), [&](int n) { manager.emitEvent(QStringLiteral("pong"), {n}); },
        &worker.thread);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < trips; ++i) {
        // Queued on this thread, so the ping goes out from inside waitFor's loop, after
        // the waiter is subscribed: the reply cannot be missed.
        QMetaObject::invokeMethod(
            &here, [&, i] { manager.emitEvent(QStringLiteral("ping"), {i}); },
            Qt::QueuedConnection);
        // No timeout, like the plain side's bare QEventLoop: same work on both sides.
        if (!manager.waitFor(QStringLiteral("pong")))
            qFatal("lost a pong");
    }
    return double(timer.nsecsElapsed()) / trips;
}

double plainLoopRoundTrip(int trips)
{
    Worker worker("replier");
    QObject here;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < trips; ++i) {
        QEventLoop loop;
        // Queued on this thread like the aioevt side, then across and back.
        QMetaObject::invokeMethod(
            &here,
            [&, i] {
                QMetaObject::invokeMethod(
                    &worker.object,
                    [&, i] {
                        QMetaObject::invokeMethod(
                            &here,
                            [&, i] {
                                Q_UNUSED(i)
                                loop.quit();
                            },
                            Qt::QueuedConnection);
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
        loop.exec();
    }
    return double(timer.nsecsElapsed()) / trips;
}

double aioevtFutureRoundTrip(int trips)
{
    Manager manager;
    Worker worker("replier");
    manager.on(
        QStringLiteral("ping"), [&](int n) { manager.emitEvent(QStringLiteral("pong"), {n}); },
        &worker.thread);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < trips; ++i) {
        QFuture<EventData> pong = manager.wait(QStringLiteral("pong"));
        manager.emitEvent(QStringLiteral("ping"), {i});
        pong.waitForFinished();
    }
    return double(timer.nsecsElapsed()) / trips;
}

double plainPromiseRoundTrip(int trips)
{
    Worker worker("replier");
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < trips; ++i) {
        auto promise = std::make_shared<QPromise<EventData>>();
        promise->start();
        QFuture<EventData> future = promise->future();
        QMetaObject::invokeMethod(
            &worker.object,
            [promise, i] {
                promise->addResult(EventData{QStringLiteral("pong"), {i}, {}});
                promise->finish();
            },
            Qt::QueuedConnection);
        future.waitForFinished();
    }
    return double(timer.nsecsElapsed()) / trips;
}

// --- latency: one event on an idle system ------------------------------------------------

double aioevtLatency(int samples)
{
    Manager manager;
    Worker worker("target");
    QSemaphore arrived;
    manager.on(
        QStringLiteral("one"), [&] { arrived.release(); }, &worker.thread);
    double total = 0;
    for (int i = 0; i < samples; ++i) {
        QElapsedTimer timer;
        timer.start();
        manager.emitEvent(QStringLiteral("one"));
        arrived.acquire();
        total += double(timer.nsecsElapsed());
    }
    return total / samples;
}

double plainLatency(int samples)
{
    Worker worker("target");
    QSemaphore arrived;
    double total = 0;
    for (int i = 0; i < samples; ++i) {
        QElapsedTimer timer;
        timer.start();
        QMetaObject::invokeMethod(
            &worker.object, [&] { arrived.release(); }, Qt::QueuedConnection);
        arrived.acquire();
        total += double(timer.nsecsElapsed());
    }
    return total / samples;
}

// --- g: memory --------------------------------------------------------------------------

// Heap bytes in use (glibc), unaffected by memory that earlier repetitions freed but the
// process kept: RSS does not grow again when the heap is reused.
qint64 heapBytesInUse()
{
    return qint64(mallinfo2().uordblks);
}

double bytesPerSubscription(int subscriptions)
{
    QStringList nameList;
    const int names = std::max(1, subscriptions / 1000);
    for (int n = 0; n < names; ++n)
        nameList.append(QStringLiteral("memory.%1").arg(n));
    Manager manager;
    std::vector<aioevt::Subscription> kept; // what an application keeps: the handles
    kept.reserve(size_t(subscriptions));
    const qint64 before = heapBytesInUse();
    for (int i = 0; i < subscriptions; ++i)
        kept.push_back(manager.on(nameList.at(i % names), [] {}));
    const qint64 after = heapBytesInUse();
    // The handles live in a vector reserved before: their own 48 bytes are not counted,
    // only what the registry keeps per subscription.
    return double(after - before) / subscriptions;
}

// --- h: unregister(function pointer) -----------------------------------------------------

void targetCallback() { }

double unregisterFunction(int cycles, int otherNames)
{
    Manager manager;
    registerOtherNames(manager, otherNames);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < cycles; ++i) {
        manager.on(QStringLiteral("target"), &targetCallback);
        if (manager.unregister(&targetCallback) != 1)
            qFatal("unregister(function) removed the wrong count");
    }
    return double(timer.nsecsElapsed()) / cycles;
}

// --- the report --------------------------------------------------------------------------

double ratioOf(const Stats &plain, const Stats &ours)
{
    return ours.median > 0 ? plain.median / ours.median : 0;
}

void writeReports(const QString &dispatcher, const QJsonArray &scaling)
{
    if (!g_options.markdown.isEmpty()) {
        QFile file(g_options.markdown);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            QByteArray md = "| case | what | aioevt: median (min–max) | plain Qt | plain Qt: "
                            "median (min–max) | ratio | target | |\n"
                            "|---|---|---|---|---|---|---|---|\n";
            for (const Row &r : g_rows) {
                g_formatBytes = r.bytes;
                md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6× | %7 | %8 |\n")
                          .arg(r.id, r.what, formatStats(r.aioevt), r.theirs, formatStats(r.plain))
                          .arg(r.ratio, 0, 'f', 2)
                          .arg(r.target,
                               r.met ? QStringLiteral("met") : QStringLiteral("**not met**"))
                          .toUtf8();
            }
            g_formatBytes = false;
            file.write(md);
        }
    }
    if (!g_options.json.isEmpty()) {
        QJsonArray rows;
        for (const Row &r : g_rows) {
            rows.append(QJsonObject{{QStringLiteral("case"), r.id},
                                    {QStringLiteral("what"), r.what},
                                    {QStringLiteral("aioevt_ns"), r.aioevt.median},
                                    {QStringLiteral("aioevt_min_ns"), r.aioevt.min},
                                    {QStringLiteral("aioevt_max_ns"), r.aioevt.max},
                                    {QStringLiteral("baseline"), r.theirs},
                                    {QStringLiteral("baseline_ns"), r.plain.median},
                                    {QStringLiteral("baseline_min_ns"), r.plain.min},
                                    {QStringLiteral("baseline_max_ns"), r.plain.max},
                                    {QStringLiteral("ratio"), r.ratio},
                                    {QStringLiteral("target"), r.target},
                                    {QStringLiteral("met"), r.met}});
        }
        QFile file(g_options.json);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            file.write(
                QJsonDocument(QJsonObject{{QStringLiteral("dispatcher"), dispatcher},
                                          {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
                                          {QStringLiteral("repetitions"), g_options.reps},
                                          {QStringLiteral("rows"), rows},
                                          {QStringLiteral("scaling"), scaling}})
                    .toJson());
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--tiny"))
            g_options.tiny = true;
        else if (args[i] == QLatin1String("--reps"))
            g_options.reps = std::max(1, args.value(++i).toInt());
        else if (args[i] == QLatin1String("--json"))
            g_options.json = args.value(++i);
        else if (args[i] == QLatin1String("--markdown"))
            g_options.markdown = args.value(++i);
        else if (args[i] == QLatin1String("--scaling"))
            g_options.scaling = args.value(++i);
        else if (args[i] == QLatin1String("--only"))
            g_options.only = args.value(++i).split(QLatin1Char(','));
        else if (args[i] == QLatin1String("--mqtt-port"))
            g_options.mqttPort = args.value(++i).toInt();
        else if (args[i] == QLatin1String("--mqtt-port-file")) {
            QFile file(args.value(++i));
            if (file.open(QIODevice::ReadOnly))
                g_options.mqttPort = file.readAll().trimmed().toInt();
        }
    }
    if (g_options.tiny)
        g_options.reps = 1;
    const QString dispatcher = qEnvironmentVariableIsSet("QT_NO_GLIB")
        ? QStringLiteral("QT_NO_GLIB=1 (Qt's UNIX dispatcher)")
        : QStringLiteral("default (glib)");
    const bool glib = !qEnvironmentVariableIsSet("QT_NO_GLIB");
    std::printf("aioevt benchmark, Qt %s, dispatcher: %s, %d repetitions per case\n\n", qVersion(),
                qPrintable(dispatcher), g_options.reps);

    const int events = scaled(1'000'000);
    if (selected("a")) {
        const auto [ours, plain] = measurePair([&] { return aioevtThroughput(events, 1); },
                                               [&] { return plainThroughput(events, 1); });
        const double r = ratioOf(plain, ours);
        addRow(QStringLiteral("a"), QStringLiteral("1 subscriber on another thread, 3 args"),
               QStringLiteral("invokeMethod"), ours, plain, r,
               glib ? QStringLiteral(">= 4x") : QStringLiteral(">= 2x"), r >= (glib ? 4.0 : 2.0));
    }
    if (selected("b")) {
        const int n = scaled(200'000);
        const auto [ours, plain] = measurePair([&] { return aioevtThroughput(n, 10); },
                                               [&] { return plainThroughput(n, 10); });
        const double r = ratioOf(plain, ours);
        addRow(QStringLiteral("b"), QStringLiteral("10 subscribers of one name on one thread"),
               QStringLiteral("10 invokeMethods"), ours, plain, r, QStringLiteral(">= 10x"),
               r >= 10.0);
    }
    if (selected("c")) {
        const int n = scaled(20'000);
        const auto [ours, plain] = measurePair([&] { return aioevtAmongMany(n, 100); },
                                               [&] { return signalBus(n, 100); });
        const double r = ratioOf(plain, ours);
        addRow(QStringLiteral("c"), QStringLiteral("1 matching subscriber among 100 receivers"),
               QStringLiteral("signal bus"), ours, plain, r,
               glib ? QStringLiteral(">= 300x") : QStringLiteral(">= 100x"),
               r >= (glib ? 300.0 : 100.0));
    }
    if (selected("d")) {
        const int n = scaled(2'000'000);
        const auto [one, many]
            = measurePair([&] { return emitNobody(n, 1); },
                          [&] { return emitNobody(n, g_options.tiny ? 1000 : 100'000); });
        const Stats lookup = measure([&] { return mutexHashLookup(n); });
        const double r1 = one.median / lookup.median;
        addRow(QStringLiteral("d1"),
               QStringLiteral("emit a name nobody listens to (1 name registered)"),
               QStringLiteral("mutex+QHash lookup"), one, lookup, 1.0 / r1,
               QStringLiteral("cost <= 2x"), r1 <= 2.0, QStringLiteral("per emit"));
        const double r2 = many.median / one.median;
        addRow(QStringLiteral("d2"), QStringLiteral("the same with 100,000 names registered"),
               QStringLiteral("aioevt, 1 name"), many, one, 1.0 / r2,
               QStringLiteral("cost <= 1.5x"), r2 <= 1.5, QStringLiteral("per emit"));
    }
    if (selected("e")) {
        const int n = scaled(5'000);
        const auto [ours, plain] = measurePair([&] { return aioevtWaitForRoundTrip(n); },
                                               [&] { return plainLoopRoundTrip(n); });
        const double r = ours.median / plain.median;
        addRow(QStringLiteral("e1"), QStringLiteral("waitFor() round trip (A emits, B replies)"),
               QStringLiteral("invokeMethod + QEventLoop"), ours, plain, 1.0 / r,
               QStringLiteral("cost <= 1.2x"), r <= 1.2, QStringLiteral("per round trip"));
        const auto [future, promise] = measurePair([&] { return aioevtFutureRoundTrip(n); },
                                                   [&] { return plainPromiseRoundTrip(n); });
        const double r3 = future.median / promise.median;
        addRow(QStringLiteral("e2"), QStringLiteral("wait() future round trip"),
               QStringLiteral("QPromise round trip"), future, promise, 1.0 / r3,
               QStringLiteral("cost <= 1.2x"), r3 <= 1.2, QStringLiteral("per round trip"));
        const auto [latency, plainLat]
            = measurePair([&] { return aioevtLatency(n); }, [&] { return plainLatency(n); });
        const double r4 = latency.median / plainLat.median;
        addRow(QStringLiteral("L"), QStringLiteral("latency of one emit to an idle thread"),
               QStringLiteral("one invokeMethod"), latency, plainLat, 1.0 / r4,
               QStringLiteral("cost <= 1.2x"), r4 <= 1.2, QStringLiteral("per event"));
    }
    if (selected("f")) {
        const int n = scaled(2'000'000);
        const auto [emitter, byName]
            = measurePair([&] { return emitterCall(n); }, [&] { return emitNobody(n, 1); });
        const double r = ratioOf(byName, emitter);
        addRow(QStringLiteral("f"), QStringLiteral("Emitter (name resolved once)"),
               QStringLiteral("emitEvent(name)"), emitter, byName, r,
               QStringLiteral("faster (> 1x)"), r > 1.0, QStringLiteral("per emit"));
    }
    if (selected("g")) {
        const int n = g_options.tiny ? 10'000 : 1'000'000;
        const Stats bytes = measure([&] { return bytesPerSubscription(n); });
        addRow(QStringLiteral("g"),
               QStringLiteral("memory per subscription at 1,000,000 (heap in use)"),
               QStringLiteral("the 256 B budget"), bytes, Stats{256, 256, 256},
               256.0 / bytes.median, QStringLiteral("<= 256 B"), bytes.median <= 256,
               QStringLiteral("bytes per subscription"));
    }
    if (selected("h")) {
        const int n = scaled(200'000);
        const Stats one = measure([&] { return unregisterFunction(n, 1); });
        const Stats many
            = measure([&] { return unregisterFunction(n, g_options.tiny ? 1000 : 100'000); });
        const double r = many.median / one.median;
        addRow(QStringLiteral("h"),
               QStringLiteral("on + unregister(&function), 100,000 names registered"),
               QStringLiteral("aioevt, 1 name"), many, one, 1.0 / r, QStringLiteral("cost <= 2x"),
               r <= 2.0, QStringLiteral("per cycle"));
    }

#ifdef AIOEVT_BENCH_MQTT
    if (selected("m") && g_options.mqttPort > 0) {
        const int n = scaled(20'000) * (g_options.tiny ? 10 : 1);
        const auto [ours, raw]
            = measurePair([&] { return mqttBridgeThroughput(n, g_options.mqttPort); },
                          [&] { return mqttRawThroughput(n, g_options.mqttPort); });
        const double r = ratioOf(raw, ours);
        addRow(QStringLiteral("m"), QStringLiteral("MQTT: bridge + broker on loopback, QoS 1"),
               QStringLiteral("raw libmosquitto"), ours, raw, r, QStringLiteral(">= 0.8x"),
               r >= 0.8);
    } else if (selected("m")) {
        std::printf("m    skipped: no broker (--mqtt-port N or --mqtt-port-file FILE)\n");
    }
#endif

    // i: scaling, reported as events per second.
    QJsonArray scaling;
    if (selected("i"))
        std::printf("\ni: scaling (events delivered per second)\n");
    const int perEmitter = scaled(400'000);
    for (int emitters : {1, 2, 4}) {
        if (!selected("i"))
            break;
        const Stats s = measure([&] { return aioevtThroughput(perEmitter, 1, emitters); });
        std::printf("   emitting threads %d: %.0f events/s\n", emitters, 1e9 / s.median);
        scaling.append(QJsonObject{{QStringLiteral("kind"), QStringLiteral("emitters")},
                                   {QStringLiteral("n"), emitters},
                                   {QStringLiteral("events_per_second"), 1e9 / s.median}});
    }
    for (int subscribers : {1, 10, 100, 1000}) {
        if (!selected("i"))
            break;
        const int n = std::max(1, scaled(400'000) / subscribers);
        const Stats s = measure([&] { return aioevtThroughput(n, subscribers); });
        std::printf("   subscribers per name %4d: %.0f deliveries/s\n", subscribers,
                    1e9 * subscribers / s.median);
        scaling.append(
            QJsonObject{{QStringLiteral("kind"), QStringLiteral("subscribers")},
                        {QStringLiteral("n"), subscribers},
                        {QStringLiteral("events_per_second"), 1e9 * subscribers / s.median}});
    }
    if (!g_options.scaling.isEmpty()) {
        QFile file(g_options.scaling);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            for (const QJsonValue &v : std::as_const(scaling)) {
                const QJsonObject o = v.toObject();
                file.write(QStringLiteral("%1 %2 %3\n")
                               .arg(o[QStringLiteral("kind")].toString())
                               .arg(o[QStringLiteral("n")].toInt())
                               .arg(o[QStringLiteral("events_per_second")].toDouble(), 0, 'f', 0)
                               .toUtf8());
            }
        }
    }
    writeReports(dispatcher, scaling);
    const long unmet
        = std::count_if(g_rows.begin(), g_rows.end(), [](const Row &r) { return !r.met; });
    std::printf("\n%zu cases, %ld target(s) not met%s\n", g_rows.size(), unmet,
                g_options.tiny ? " (tiny run: sizes too small to judge)" : "");
    return 0;
}

#include "bench.moc"
