// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>

#include <QtCore/qmetatype.h>
#include <QtCore/qobjectdefs.h>
#include <QtCore/qstring.h>
#include <QtCore/qvariant.h>

namespace aioevt {

/*!
    One emission of a named event: its name, positional arguments and keyword arguments.
    The counterpart of Python aioevt's \c EvtData. A plain value type (copyable, cheap to
    move); a \c Q_GADGET, so QML and QVariant can read its fields.
*/
struct AIOEVT_EXPORT EventData
{
    Q_GADGET
    Q_PROPERTY(QString name MEMBER name)
    Q_PROPERTY(QVariantList args MEMBER args)
    Q_PROPERTY(QVariantMap kwargs MEMBER kwargs)

public:
    QString name;
    QVariantList args;
    QVariantMap kwargs;

    friend bool operator==(const EventData &a, const EventData &b)
    {
        return a.name == b.name && a.args == b.args && a.kwargs == b.kwargs;
    }
    friend bool operator!=(const EventData &a, const EventData &b) { return !(a == b); }
};

} // namespace aioevt

Q_DECLARE_METATYPE(aioevt::EventData)
