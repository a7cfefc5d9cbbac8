// SPDX-License-Identifier: MIT
// Model-based test: random sequences of register (every form), unregister (every form),
// emit, wait and "run the queued calls", checked step by step against a small reference
// model of who must be called how often. Seeded and reproducible; many seeds.
#include <aioevt/aioevt.h>

#include <QtTest/QTest>

#include <map>
#include <random>

using namespace aioevt;

namespace {

int g_calls[2] = {0, 0}; // calls of the two free functions
void freeA()
{
    ++g_calls[0];
}
void freeB()
{
    ++g_calls[1];
}

class Receiver : public QObject
{
    Q_OBJECT
public:
    int calls = 0;
    void onEvent() { ++calls; }
};

enum class Form { Lambda, Context, FreeA, FreeB, Member };

/* The reference model: what the manager must do, in the simplest possible terms. */
struct ModelSub
{
    QString name;
    Form form;
    bool once;
    bool registered = true;
    int pending = 0; // queued calls not run yet
    int done = 0; // calls that ran
    Subscription handle;
};

struct ModelWait
{
    QString name;
    QFuture<EventData> future;
    bool registered = true;
    bool fulfilled = false;
};

} // namespace

class tst_Model : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomSequences_data();
    void randomSequences();
};

void tst_Model::randomSequences_data()
{
    QTest::addColumn<int>("seed");
    for (int seed = 1; seed <= 40; ++seed)
        QTest::addRow("seed %d", seed) << seed;
}

void tst_Model::randomSequences()
{
    QFETCH(int, seed);
    std::mt19937 random(seed);
    auto pick = [&](int n) { return int(random() % unsigned(n)); };
    const QStringList names{QStringLiteral("n0"), QStringLiteral("n1"), QStringLiteral("n2")};

    Manager manager;
    Receiver receiver;
    QObject context;
    g_calls[0] = g_calls[1] = 0;
    std::vector<std::unique_ptr<ModelSub>> subs;
    std::vector<ModelWait> waits;
    std::vector<int> lambdaCalls; // by sub index

    auto live = [&](const std::function<bool(const ModelSub &)> &match) {
        int n = 0;
        for (const auto &s : subs)
            n += (s->registered && match(*s)) ? 1 : 0;
        return n;
    };
    auto unregisterInModel = [&](const std::function<bool(const ModelSub &)> &match) {
        for (auto &s : subs) {
            if (s->registered && match(*s)) {
                s->registered = false;
                s->pending = 0; // final: queued calls do not run
            }
        }
    };

    for (int step = 0; step < 300; ++step) {
        const QString name = names.at(pick(names.size()));
        const int op = pick(100);
        if (op < 30) { // register
            auto s = std::make_unique<ModelSub>();
            s->name = name;
            s->form = Form(pick(5));
            s->once = pick(4) == 0;
            const Recurrence r = s->once ? Once : Recurring;
            const int index = int(subs.size());
            lambdaCalls.push_back(0);
            switch (s->form) {
            case Form::Lambda:
                s->handle = manager.on(
                    name, [&lambdaCalls, index] { ++lambdaCalls[index]; }, r);
                break;
            case Form::Context:
                s->handle = manager.on(
                    name, &context, [&lambdaCalls, index] { ++lambdaCalls[index]; }, r);
                break;
            case Form::FreeA:
                s->handle = manager.on(name, &freeA, r);
                break;
            case Form::FreeB:
                s->handle = manager.on(name, &freeB, r);
                break;
            case Form::Member:
                s->handle = manager.on(name, &receiver, &Receiver::onEvent, r);
                break;
            }
            QVERIFY(s->handle.isValid());
            subs.push_back(std::move(s));
        } else if (op < 40 && !subs.empty()) { // unregister(subscription)
            ModelSub &s = *subs[size_t(pick(int(subs.size())))];
            const int expected = s.registered ? 1 : 0;
            QCOMPARE(manager.unregister(s.handle), expected);
            s.registered = false;
            s.pending = 0; // also stops a consumed Once's queued call
        } else if (op < 45) { // unregister(name)
            int expected = live([&](const ModelSub &s) { return s.name == name; });
            for (auto &w : waits)
                expected += (w.registered && w.name == name) ? 1 : 0;
            QCOMPARE(manager.unregister(name), expected);
            unregisterInModel([&](const ModelSub &s) { return s.name == name; });
            for (auto &w : waits)
                w.registered = w.registered && w.name != name;
        } else if (op < 50) { // unregister(context or receiver)
            const bool useReceiver = pick(2);
            const Form form = useReceiver ? Form::Member : Form::Context;
            const int expected = live([&](const ModelSub &s) { return s.form == form; });
            QCOMPARE(manager.unregister(useReceiver ? static_cast<QObject *>(&receiver) : &context),
                     expected);
            unregisterInModel([&](const ModelSub &s) { return s.form == form; });
        } else if (op < 55) { // unregister(function) or unregister(name, function)
            const int which = pick(3);
            const bool byName = pick(2);
            const Form form = which == 0 ? Form::FreeA : which == 1 ? Form::FreeB : Form::Member;
            auto match
                = [&](const ModelSub &s) { return s.form == form && (!byName || s.name == name); };
            const int expected = live(match);
            int got = 0;
            if (which == 0)
                got = byName ? manager.unregister(name, &freeA) : manager.unregister(&freeA);
            else if (which == 1)
                got = byName ? manager.unregister(name, &freeB) : manager.unregister(&freeB);
            else
                got = byName ? manager.unregister(name, &Receiver::onEvent)
                             : manager.unregister(&Receiver::onEvent);
            QCOMPARE(got, expected);
            unregisterInModel(match);
        } else if (op < 85) { // emit
            manager.emitEvent(name);
            for (auto &s : subs) {
                if (s->registered && s->name == name) {
                    ++s->pending;
                    if (s->once)
                        s->registered = false; // consumed; its call is still queued
                }
            }
            for (auto &w : waits) {
                if (w.registered && w.name == name) {
                    w.registered = false;
                    w.fulfilled = true;
                }
            }
        } else if (op < 92) { // wait
            waits.push_back({name, manager.wait(name), true, false});
        } else { // run everything queued on this thread
            QCoreApplication::sendPostedEvents();
            for (auto &s : subs) {
                s->done += s->pending;
                s->pending = 0;
            }
        }

        // After every step: counts and activity agree with the model.
        for (const QString &n : names) {
            int expected = live([&](const ModelSub &s) { return s.name == n; });
            for (const auto &w : waits)
                expected += (w.registered && w.name == n) ? 1 : 0;
            QCOMPARE(manager.subscriberCount(n), expected);
        }
        for (const auto &s : subs)
            QCOMPARE(s->handle.isActive(), s->registered);
    }

    // Run what is left, then compare every count.
    QCoreApplication::sendPostedEvents();
    int expectedFree[2] = {0, 0};
    int expectedMember = 0;
    for (size_t i = 0; i < subs.size(); ++i) {
        const ModelSub &s = *subs[i];
        const int total = s.done + s.pending;
        switch (s.form) {
        case Form::Lambda:
        case Form::Context:
            QCOMPARE(lambdaCalls[i], total);
            break;
        case Form::FreeA:
            expectedFree[0] += total;
            break;
        case Form::FreeB:
            expectedFree[1] += total;
            break;
        case Form::Member:
            expectedMember += total;
            break;
        }
    }
    QCOMPARE(g_calls[0], expectedFree[0]);
    QCOMPARE(g_calls[1], expectedFree[1]);
    QCOMPARE(receiver.calls, expectedMember);
    for (const auto &w : waits) {
        QVERIFY(w.future.isFinished() == !w.registered);
        QCOMPARE(w.future.isFinished() && !w.future.isCanceled(), w.fulfilled);
    }
}

QTEST_GUILESS_MAIN(tst_Model)
#include "tst_model.moc"
