// SPDX-License-Identifier: MIT
// Everything at once: emitters on plain threads, target QThreads, recurring and Once
// subscribers, waiters with timeouts, and a thread that keeps registering and
// unregistering. Bounded in count and time; scripts/soak.sh runs it in a loop
// (AIOEVT_SOAK_SECONDS) and reports memory.
#include "testutils.h"

#include <aioevt/aioevt.h>

#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <malloc.h>

#include <atomic>
#include <random>

using namespace aioevt;
using namespace std::chrono_literals;
using testutils::JoiningThread;
using testutils::WorkerThread;

namespace {

constexpr int kEmitters = 4;
constexpr int kTargets = 4;
constexpr int kRecurringPerTarget = 2;
constexpr int kOnce = 40;

int eventsPerEmitter()
{
    const int fromEnv = qEnvironmentVariableIntValue("AIOEVT_STRESS_EVENTS");
    return fromEnv > 0 ? fromEnv : 5000;
}

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/statm"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    return status.readAll().split(' ').value(1).toLongLong() * 4;
}

/* What the heap holds right now: unlike RSS it does not keep the allocator's peak, so it
   shows a leak as steady growth. */
qint64 heapInUseKiB()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    return qint64(mallinfo2().uordblks / 1024);
#else
    return 0;
#endif
}

/* A recurring subscriber: checks that each emitter's events arrive once and in order.
   Written only on its target thread; read after that thread has drained. */
struct Recorder
{
    std::array<int, kEmitters> last{};
    std::atomic<int> count{0};
    std::atomic<int> outOfOrder{0};
    Recorder() { last.fill(-1); }
    void record(int emitter, int seq)
    {
        if (seq != last[emitter] + 1)
            ++outOfOrder;
        last[emitter] = seq;
        ++count;
    }
};

struct RoundResult
{
    qint64 emitted = 0;
    qint64 delivered = 0;
    int waitsFulfilled = 0;
    int waitsTimedOut = 0;
    int churned = 0;
};

} // namespace

class tst_Stress : public QObject
{
    Q_OBJECT

private:
    void round(Manager &manager, RoundResult &result); // QCOMPARE needs a void function

private Q_SLOTS:
    void everythingAtOnce();
};

void tst_Stress::round(Manager &manager, RoundResult &result)
{
    const int perEmitter = eventsPerEmitter();
    QSignalSpy failed(&manager, &Manager::deliveryFailed);
    QSignalSpy threw(&manager, &Manager::callbackFailed);
    std::vector<std::unique_ptr<WorkerThread>> targets;
    for (int t = 0; t < kTargets; ++t)
        targets.push_back(std::make_unique<WorkerThread>("target"));

    // Recurring subscribers, registered for the whole emission phase.
    std::vector<std::unique_ptr<Recorder>> recorders;
    std::vector<Subscription> recurring;
    for (int t = 0; t < kTargets; ++t) {
        for (int r = 0; r < kRecurringPerTarget; ++r) {
            recorders.push_back(std::make_unique<Recorder>());
            Recorder *recorder = recorders.back().get();
            if (r % 2 == 0) {
                recurring.push_back(manager.on(
                    QStringLiteral("stress"),
                    [recorder](int e, int seq) { recorder->record(e, seq); }, targets[t]->get()));
            } else {
                recurring.push_back(manager.on(
                    QStringLiteral("stress"),
                    [recorder](const EventData &d) {
                        recorder->record(d.args.at(0).toInt(), d.args.at(1).toInt());
                    },
                    targets[t]->get()));
            }
        }
    }
    // Once subscribers, spread over the targets.
    std::vector<std::atomic<int>> onceRuns(kOnce);
    for (int i = 0; i < kOnce; ++i)
        manager.once(
            QStringLiteral("stress"), [&onceRuns, i] { ++onceRuns[i]; },
            targets[i % kTargets]->get());

    std::atomic<bool> emitting{true};
    std::atomic<int> ranAfterUnregister{0};
    std::atomic<int> waitsFulfilled{0};
    std::atomic<int> waitsTimedOut{0};
    std::atomic<int> waitsOther{0};
    std::atomic<int> churned{0};
    {
        // Waiters: each either gets an event or times out and is removed.
        JoiningThread waiter([&] {
            std::mt19937 random(7);
            while (emitting.load()) {
                QFuture<EventData> f = manager.wait(QStringLiteral("stress"),
                                                    std::chrono::milliseconds(1 + random() % 3));
                try {
                    f.waitForFinished();
                    ++waitsFulfilled;
                } catch (const TimeoutError &) {
                    ++waitsTimedOut;
                } catch (...) {
                    ++waitsOther;
                }
            }
        });
        // Churn: registers and unregisters all the time, on its own thread, and runs its
        // queue both while subscribed and after unregister: once unregister returns, no
        // queued call may start. (A call already running on another thread may finish:
        // unregister does not wait for it, like QObject::disconnect.)
        JoiningThread churn([&] {
            QEventLoop loop; // gives this plain thread an event dispatcher
            while (emitting.load()) {
                bool alive = true;
                Subscription s
                    = manager.on(QStringLiteral("stress"), [&alive, &ranAfterUnregister] {
                          if (!alive)
                              ++ranAfterUnregister;
                      });
                loop.processEvents(); // may run it: still subscribed
                s.unregister();
                alive = false;
                loop.processEvents(); // deliveries queued before unregister must not run
                ++churned;
            }
        });
        std::vector<std::unique_ptr<JoiningThread>> emitters;
        for (int e = 0; e < kEmitters; ++e) {
            emitters.push_back(std::make_unique<JoiningThread>([&manager, e, perEmitter] {
                for (int seq = 0; seq < perEmitter; ++seq)
                    manager.emitEvent(QStringLiteral("stress"), {e, seq});
            }));
        }
        emitters.clear(); // joins the emitters
        emitting = false;
    } // joins the waiter and churn threads

    const int expected = kEmitters * perEmitter;
    for (const auto &recorder : recorders)
        [&] { QTRY_COMPARE_WITH_TIMEOUT(recorder->count.load(), expected, 60000); }();
    for (const auto &recorder : recorders) {
        QCOMPARE(recorder->count.load(), expected);
        QCOMPARE(recorder->outOfOrder.load(), 0);
        result.delivered += recorder->count.load();
    }
    for (int i = 0; i < kOnce; ++i)
        QTRY_COMPARE(onceRuns[i].load(), 1);
    for (const Subscription &s : recurring)
        QVERIFY(manager.unregister(s) == 1);

    // Let every queue drain (a marker behind everything on each thread), then check that
    // nothing ran twice, nothing ran late, and nobody is left subscribed.
    for (const auto &target : targets)
        QVERIFY(testutils::drainQueue(manager, target->get()));
    for (int i = 0; i < kOnce; ++i)
        QCOMPARE(onceRuns[i].load(), 1);
    QCOMPARE(ranAfterUnregister.load(), 0);
    QCOMPARE(waitsOther.load(), 0);
    QCOMPARE(manager.subscriberCount(QStringLiteral("stress")), 0);
    QVERIFY(manager.eventNames().isEmpty());
    QCOMPARE(failed.count(), 0); // every target thread was alive: nothing may be dropped
    QCOMPARE(threw.count(), 0);

    result.emitted = expected;
    result.waitsFulfilled = waitsFulfilled;
    result.waitsTimedOut = waitsTimedOut;
    result.churned = churned;
}

void tst_Stress::everythingAtOnce()
{
    const int soakSeconds = qEnvironmentVariableIntValue("AIOEVT_SOAK_SECONDS");
    const qint64 startKiB = residentKiB();
    const qint64 startHeapKiB = heapInUseKiB();
    QElapsedTimer clock;
    clock.start();
    int rounds = 0;
    RoundResult total;
    do {
        Manager manager;
        RoundResult r;
        round(manager, r);
        if (QTest::currentTestFailed())
            return;
        ++rounds;
        total.emitted += r.emitted;
        total.delivered += r.delivered;
        total.waitsFulfilled += r.waitsFulfilled;
        total.waitsTimedOut += r.waitsTimedOut;
        total.churned += r.churned;
        if (soakSeconds > 0) {
            std::printf(
                "round %d: %lld s, emitted %lld, delivered %lld, waits %d got / %d timed out, "
                "%d churned, dropped 0 (expected 0, unexpected 0), heap in use %lld KiB, "
                "RSS %lld KiB\n",
                rounds, clock.elapsed() / 1000, qint64(total.emitted), qint64(total.delivered),
                total.waitsFulfilled, total.waitsTimedOut, total.churned, heapInUseKiB(),
                residentKiB());
            std::fflush(stdout);
        }
    } while (clock.elapsed() < soakSeconds * 1000LL);
    qInfo("stress: %d round(s), %d emitting threads, %d target threads, %lld events emitted, "
          "%lld recurring deliveries, %d Once subscribers per round, waits %d fulfilled / %d "
          "timed out, %d register/unregister cycles, 0 lost; heap in use %lld KiB -> %lld KiB, "
          "RSS %lld KiB -> %lld KiB",
          rounds, kEmitters, kTargets, qint64(total.emitted), qint64(total.delivered), kOnce,
          total.waitsFulfilled, total.waitsTimedOut, total.churned, startHeapKiB, heapInUseKiB(),
          startKiB, residentKiB());
}

QTEST_GUILESS_MAIN(tst_Stress)
#include "tst_stress.moc"
