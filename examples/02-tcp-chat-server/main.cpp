// SPDX-License-Identifier: MIT
// 02: a multithreaded TCP chat server. Each connection lives on one of several
// connection threads; they share events through one manager instead of knowing about
// each other. A line a client sends becomes a "chat.message" event, and every connection
// (subscribed with itself as context, so on its own thread) writes it to its client.
//
//   aioevt-example-02            serve on a free port until interrupted (try: nc 127.0.0.1 PORT)
//   aioevt-example-02 --smoke 4  4 clients on 127.0.0.1 each say hello, check everyone got
//                                every greeting, exit 0 (CI runs this)
#include <aioevt/aioevt.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using aioevt::Manager;

static void say(const QString &line)
{
    std::printf("[%-8s] %s\n", qPrintable(QThread::currentThread()->objectName()),
                qPrintable(line));
    std::fflush(stdout);
}

/* One client connection; lives on a connection thread. */
class Connection : public QObject
{
public:
    Connection(qintptr descriptor, int id, Manager *events)
        : m_descriptor(descriptor), m_id(id), m_events(events)
    { }

    void start() // on the connection thread
    {
        m_socket = new QTcpSocket(this);
        m_socket->setSocketDescriptor(m_descriptor);
        connect(m_socket, &QTcpSocket::readyRead, this, &Connection::readLines);
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        // Context = this: runs on this connection's thread, ends when it is deleted.
        m_events->on(QStringLiteral("chat.message"), this, [this](int from, const QString &text) {
            m_socket->write(QStringLiteral("%1: %2\n").arg(from).arg(text).toUtf8());
        });
        say(QStringLiteral("client %1 connected").arg(m_id));
        m_events->emitEvent(QStringLiteral("chat.joined"), {m_id});
    }

private:
    void readLines()
    {
        while (m_socket->canReadLine()) {
            const QString text = QString::fromUtf8(m_socket->readLine()).trimmed();
            say(QStringLiteral("client %1 says \"%2\"").arg(m_id).arg(text));
            m_events->emitEvent(QStringLiteral("chat.message"), {m_id, text});
        }
    }

    const qintptr m_descriptor;
    const int m_id;
    Manager *const m_events;
    QTcpSocket *m_socket = nullptr;
};

/* Accepts on the main thread and hands each connection to a connection thread. */
class ChatServer : public QTcpServer
{
public:
    ChatServer(Manager *events, int threadCount) : m_events(events)
    {
        for (int i = 0; i < threadCount; ++i) {
            auto thread = std::make_unique<QThread>();
            thread->setObjectName(QStringLiteral("conn-%1").arg(i + 1));
            thread->start();
            m_threads.push_back(std::move(thread));
        }
    }
    ~ChatServer() override
    {
        for (auto &thread : m_threads) {
            thread->quit();
            thread->wait();
        }
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        QThread *thread = m_threads[m_nextId % m_threads.size()].get();
        auto *connection = new Connection(descriptor, ++m_nextId, m_events);
        connection->moveToThread(thread);
        QObject::connect(thread, &QThread::finished, connection, &QObject::deleteLater);
        QMetaObject::invokeMethod(connection, [connection] { connection->start(); });
    }

private:
    Manager *const m_events;
    std::vector<std::unique_ptr<QThread>> m_threads;
    int m_nextId = 0;
};

/* The smoke test: clients on the main thread, each must hear every greeting. */
static int runSmoke(Manager &events, quint16 port, int clientCount)
{
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    std::vector<int> heard(clientCount, 0);
    int joined = 0;
    auto sendGreetings = [&] {
        for (int i = 0; i < clientCount; ++i)
            clients[i]->write(QStringLiteral("hello from client %1\n").arg(i + 1).toUtf8());
    };
    // Greet only once every connection has subscribed, so nobody misses a message.
    events.on(QStringLiteral("chat.joined"), [&] {
        if (++joined == clientCount)
            sendGreetings();
    });
    for (int i = 0; i < clientCount; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QObject::connect(socket.get(), &QTcpSocket::readyRead, socket.get(), [&, i] {
            while (clients[i]->canReadLine()) {
                clients[i]->readLine();
                if (++heard[i] == clientCount
                    && std::count(heard.begin(), heard.end(), clientCount) == clientCount)
                    QCoreApplication::exit(0);
            }
        });
        socket->connectToHost(QStringLiteral("127.0.0.1"), port);
        clients.push_back(std::move(socket));
    }
    QTimer::singleShot(20000, [] {
        say(QStringLiteral("timed out"));
        QCoreApplication::exit(1);
    });
    const int rc = QCoreApplication::exec();
    say(rc == 0 ? QStringLiteral("every client heard all %1 greetings").arg(clientCount)
                : QStringLiteral("FAILED"));
    return rc;
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QThread::currentThread()->setObjectName(QStringLiteral("main"));
    const QStringList args = app.arguments();
    const qsizetype smokeAt = args.indexOf(QStringLiteral("--smoke"));
    const int clients = smokeAt >= 0 ? args.value(smokeAt + 1, QStringLiteral("4")).toInt() : 0;

    Manager events;
    ChatServer server(&events, 2);
    if (!server.listen(QHostAddress::LocalHost, 0)) {
        say(QStringLiteral("cannot listen: %1").arg(server.errorString()));
        return 1;
    }
    say(QStringLiteral("listening on 127.0.0.1:%1").arg(server.serverPort()));
    if (clients > 0)
        return runSmoke(events, server.serverPort(), clients);
    return QCoreApplication::exec();
}
