// SPDX-License-Identifier: MIT
// The QML consumer smoke test: a C++ worker thread emits, a JavaScript handler on the
// engine's thread answers, C++ gets the answer. With AIOEVT_REGISTER_BY_HAND the types
// come from registerQmlTypes(), else from the installed plugin (import path argv[1]).
#include <aioevt/aioevt.h>
#ifdef AIOEVT_REGISTER_BY_HAND
#include <aioevt/qml.h>
#endif

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <cstdio>
#include <memory>
#include <thread>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
#ifdef AIOEVT_REGISTER_BY_HAND
    aioevt::registerQmlTypes();
#else
    engine.addImportPath(app.arguments().value(1));
#endif
    QQmlComponent component(&engine);
    component.setData("import QtQml\nimport Aioevt\nQtObject {\n"
                      "  Component.onCompleted: EventManager.on('ping', function(args) {\n"
                      "    EventManager.emitEvent('pong', [args[0] + 1]) })\n}\n",
                      QUrl());
    std::unique_ptr<QObject> object(component.create());
    if (!object) {
        std::printf("QML failed: %s\n", qPrintable(component.errorString()));
        return 1;
    }
    std::thread worker(
        [] { aioevt::Manager::instance()->emitEvent(QStringLiteral("ping"), {41}); });
    const auto pong
        = aioevt::Manager::instance()->waitFor(QStringLiteral("pong"), std::chrono::seconds(10));
    worker.join();
    const bool ok = pong && pong->args.value(0).toInt() == 42;
    std::printf("aioevt QML consumer: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
