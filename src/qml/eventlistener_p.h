// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/qml.h>
#include <aioevt/scopedsubscription.h>

#include <QtCore/qobject.h>
#include <QtCore/qvariant.h>
#include <QtQml/qqmlengine.h>
#include <QtQml/qqmlparserstatus.h>

namespace aioevt {

/*
    EventListener { name: "x"; once: false; enabled: true; onTriggered: (args, kwargs) => ... }
    Subscribes to Manager::instance() once the component is complete; changing name, once
    or enabled subscribes anew; destroying it unregisters. Runs on its own thread.
*/
class AIOEVT_QML_EXPORT EventListener : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(bool once READ once WRITE setOnce NOTIFY onceChanged)
    Q_PROPERTY(bool enabled READ isEnabled WRITE setEnabled NOTIFY enabledChanged)
    Q_PROPERTY(bool active READ isActive NOTIFY activeChanged)

public:
    explicit EventListener(QObject *parent = nullptr);
    ~EventListener() override;

    QString name() const { return m_name; }
    void setName(const QString &name);
    bool once() const { return m_once; }
    void setOnce(bool once);
    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled);
    /* Subscribed right now (false after a once listener fired). */
    bool isActive() const { return m_subscription.isActive(); }

    void classBegin() override { }
    void componentComplete() override;

Q_SIGNALS:
    void triggered(const QVariantList &args, const QVariantMap &kwargs);
    void nameChanged();
    void onceChanged();
    void enabledChanged();
    void activeChanged();

private:
    void resubscribe();

    QString m_name;
    bool m_once = false;
    bool m_enabled = true;
    bool m_complete = false;
    ScopedSubscription m_subscription;
};

} // namespace aioevt
