// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the tests: threads that always stop and join, so a failing test
// cannot hang or abort the run.

#include <aioevt/manager.h>

#include <QtCore/QSemaphore>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <atomic>

#include <memory>
#include <thread>

namespace testutils {

/* A started QThread running its event loop; quits and joins on destruction. */
class WorkerThread
{
public:
    explicit WorkerThread(const char *name, bool start = true) : m_thread(new QThread)
    {
        m_thread->setObjectName(QString::fromLatin1(name));
        if (start)
            m_thread->start();
    }
    ~WorkerThread() { stop(); }
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    QThread *get() const { return m_thread.get(); }
    operator QThread *() const { return m_thread.get(); }
    QThread *operator->() const { return m_thread.get(); }

    void stop()
    {
        if (m_thread) {
            m_thread->quit();
            m_thread->wait();
        }
    }
    /* Stops the thread and deletes the QThread object. */
    void destroy()
    {
        stop();
        m_thread.reset();
    }

private:
    std::unique_ptr<QThread> m_thread;
};

/* std::thread that joins on destruction. */
class JoiningThread
{
public:
    template<typename F> explicit JoiningThread(F &&f) : m_thread(std::forward<F>(f)) { }
    ~JoiningThread() { join(); }
    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    std::thread m_thread;
};

/* Returns once everything queued to `thread` before the call has run: a marker queued
   behind it arrives (false after 10 s). Leaves no subscription behind. */
inline bool drainQueue(aioevt::Manager &manager, QThread *thread)
{
    auto arrived = std::make_shared<std::atomic<bool>>(false); // outlives a timed-out call
    manager.once(
        QStringLiteral("test.drained"), [arrived] { *arrived = true; }, thread);
    manager.emitEvent(QStringLiteral("test.drained"));
    return QTest::qWaitFor([&] { return arrived->load(); }, 10000);
}

/* Holds a target thread inside an aioevt callback, so that deliveries queue up behind
   it, until release(). The callback only touches the blocker's semaphores. */
class ThreadBlocker
{
public:
    ThreadBlocker(aioevt::Manager &manager, QThread *thread) : m_manager(&manager)
    {
        manager.on(
            QStringLiteral("test.block"),
            [this] {
                m_entered.release();
                m_release.acquire();
            },
            thread);
    }
    ~ThreadBlocker() { release(); }
    /* Emits the blocking event and returns once the thread is inside the callback. */
    bool block()
    {
        m_manager->emitEvent(QStringLiteral("test.block"));
        return m_entered.tryAcquire(1, 10000);
    }
    void release()
    {
        if (!m_released) {
            m_released = true;
            m_release.release();
        }
    }

private:
    aioevt::Manager *m_manager;
    QSemaphore m_entered;
    QSemaphore m_release;
    bool m_released = false;
};

} // namespace testutils
