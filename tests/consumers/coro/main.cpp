// A coroutine callback answers a request, through the installed aioevt::coro.
#include <aioevt/aioevt.h>
#include <aioevt/coro.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    aioevt::Manager manager;
    manager.on(QStringLiteral("twice"), [](int n) -> QCoro::Task<int> { co_return 2 * n; });
    int exitCode = 1;
    const QVariantList args{21};
    auto ask = [&]() -> QCoro::Task<> {
        const QVariantList answers
            = co_await manager.request(QStringLiteral("twice"), args, {}, std::chrono::seconds(10));
        if (answers == QVariantList{42}) {
            std::puts("consumer: ok");
            exitCode = 0;
        }
        app.quit();
    };
    ask();
    QTimer::singleShot(10000, &app, &QCoreApplication::quit);
    app.exec();
    return exitCode;
}
