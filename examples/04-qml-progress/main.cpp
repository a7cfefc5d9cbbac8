// SPDX-License-Identifier: MIT
// 04: a Qt Quick app. A C++ worker thread handles "job.start" (emitted by a QML button)
// and reports "job.progress" and "job.done", which a ProgressBar and a log view show.
//
//   aioevt-example-04                         the interactive app
//   aioevt-example-04 --smoke [--screenshot F] a scripted session: click, wait for the job,
//                                             optionally save a screenshot, quit (CI runs it)
#include <aioevt/aioevt.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <cstdio>

using namespace std::chrono_literals;

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool smoke = args.contains(QStringLiteral("--smoke"));
    const qsizetype screenshotAt = args.indexOf(QStringLiteral("--screenshot"));
    const QString screenshot = screenshotAt >= 0 ? args.value(screenshotAt + 1) : QString();
    aioevt::Manager *events = aioevt::Manager::instance(); // the one QML's EventManager uses

    QThread worker;
    worker.setObjectName(QStringLiteral("worker"));
    worker.start();
    events->on(
        QStringLiteral("job.start"),
        [events](int steps) {
            QElapsedTimer clock;
            clock.start();
            for (int step = 1; step <= steps; ++step) {
                QThread::msleep(40); // stands for real work
                events->emitEvent(
                    QStringLiteral("job.progress"), {step, steps},
                    {{QStringLiteral("thread"), QThread::currentThread()->objectName()}});
            }
            events->emitEvent(QStringLiteral("job.done"), {steps},
                              {{QStringLiteral("ms"), qint64(clock.elapsed())}});
        },
        &worker);

    QQmlApplicationEngine engine;
    engine.load(QUrl(QStringLiteral("qrc:/ProgressDemo/04-qml-progress/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    int rc = 0;
    if (smoke) {
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
        QObject *button = window->findChild<QObject *>(QStringLiteral("startButton"));
        // Subscribed before the click, so the end of the job cannot be missed.
        QFuture<aioevt::EventData> done = events->wait(QStringLiteral("job.done"), 20s);
        QMetaObject::invokeMethod(button, "clicked");
        while (!done.isFinished())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QCoreApplication::processEvents(); // let the last deliveries reach the window
        try {
            std::printf("smoke: the job finished after %d steps\n",
                        done.result().args.value(0).toInt());
            if (!screenshot.isEmpty() && !window->grabWindow().save(screenshot))
                rc = 1;
        } catch (const std::exception &e) {
            std::printf("smoke: %s\n", e.what());
            rc = 1;
        }
    } else {
        rc = QGuiApplication::exec();
    }
    worker.quit();
    worker.wait();
    return rc;
}
