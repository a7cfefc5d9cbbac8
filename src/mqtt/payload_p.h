// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qbytearray.h>
#include <QtCore/qstring.h>
#include <QtCore/qvariant.h>

namespace aioevt::mqtt {

/* One event as it travels between bridges. */
struct Message
{
    QVariantList args;
    QVariantMap kwargs;
    QString bridgeId; // the sending bridge
    quint64 sequence = 0; // per sending bridge, from 1
};

/* The payload: a CBOR map {"args": [...], "kwargs": {...}, "bridge": text, "seq": uint}.
   Returns false, with a reason, when a value has no CBOR form (a QObject, a custom type). */
bool encodePayload(const Message &message, QByteArray &out, QString &error);

/* Any bytes: false, with a reason, for anything but a well-formed payload. */
bool decodePayload(const QByteArray &bytes, Message &out, QString &error);

/* MQTT topic-filter rules over '/'-separated names: '+' one level, '#' the rest. */
bool isValidFilter(const QString &filter);
bool filterMatches(const QString &filter, const QString &name);

/* The event name a topic carries below prefix; empty when it carries none. */
QString eventNameForTopic(const QString &topic, const QString &prefix);

} // namespace aioevt::mqtt
