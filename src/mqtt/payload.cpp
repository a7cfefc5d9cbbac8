// SPDX-License-Identifier: MIT
#include "payload_p.h"

#include <QtCore/qcborarray.h>
#include <QtCore/qcbormap.h>
#include <QtCore/qcborstreamreader.h>
#include <QtCore/qcborvalue.h>
#include <QtCore/qdatetime.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qurl.h>
#include <QtCore/quuid.h>

#include <limits>

namespace aioevt::mqtt {

namespace {

constexpr int kMaxDepth = 64; // nesting of lists and maps we accept either way

bool toCbor(const QVariant &value, QCborValue &out, QString &error, int depth)
{
    if (depth > kMaxDepth) {
        error = QStringLiteral("values nested deeper than %1 levels").arg(kMaxDepth);
        return false;
    }
    switch (value.metaType().id()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        out = QCborValue(nullptr);
        return true;
    case QMetaType::Bool:
        out = QCborValue(value.toBool());
        return true;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::UChar:
        out = QCborValue(value.toLongLong());
        return true;
    case QMetaType::ULong:
    case QMetaType::ULongLong:
        if (value.toULongLong() > quint64(std::numeric_limits<qint64>::max())) {
            error = QStringLiteral("an unsigned integer above 2^63-1");
            return false;
        }
        out = QCborValue(value.toLongLong());
        return true;
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::QString:
    case QMetaType::QByteArray:
    case QMetaType::QDateTime:
    case QMetaType::QUrl:
    case QMetaType::QUuid:
        out = QCborValue::fromVariant(value); // each has a CBOR form of its own
        return true;
    case QMetaType::QStringList:
    case QMetaType::QVariantList: {
        QCborArray array;
        const QVariantList list = value.toList();
        for (const QVariant &item : list) {
            QCborValue converted;
            if (!toCbor(item, converted, error, depth + 1))
                return false;
            array.append(converted);
        }
        out = array;
        return true;
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: {
        QCborMap map;
        const QVariantMap entries = value.toMap();
        for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
            QCborValue converted;
            if (!toCbor(it.value(), converted, error, depth + 1))
                return false;
            map.insert(it.key(), converted);
        }
        out = map;
        return true;
    }
    default:
        error = QStringLiteral("a value of type %1 has no CBOR form")
                    .arg(QString::fromLatin1(value.metaType().name()));
        return false;
    }
}

/* Maps keep only text keys: an event's kwargs are named. */
bool fromCbor(const QCborValue &value, QVariant &out, QString &error, int depth)
{
    if (depth > kMaxDepth) {
        error = QStringLiteral("values nested deeper than %1 levels").arg(kMaxDepth);
        return false;
    }
    if (value.isArray()) {
        QVariantList list;
        const QCborArray array = value.toArray();
        for (const QCborValue &item : array) {
            QVariant converted;
            if (!fromCbor(item, converted, error, depth + 1))
                return false;
            list.append(converted);
        }
        out = list;
        return true;
    }
    if (value.isMap()) {
        QVariantMap map;
        const QCborMap cbor = value.toMap();
        for (auto it = cbor.cbegin(); it != cbor.cend(); ++it) {
            if (!it.key().isString()) {
                error = QStringLiteral("a map key that is not text");
                return false;
            }
            QVariant converted;
            if (!fromCbor(it.value(), converted, error, depth + 1))
                return false;
            map.insert(it.key().toString(), converted);
        }
        out = map;
        return true;
    }
    if (value.isInvalid()) {
        error = QStringLiteral("an invalid CBOR value");
        return false;
    }
    out = value.isNull() || value.isUndefined() ? QVariant() : value.toVariant();
    return true;
}

} // namespace

bool encodePayload(const Message &message, QByteArray &out, QString &error)
{
    QCborValue args;
    QCborValue kwargs;
    if (!toCbor(message.args, args, error, 0) || !toCbor(message.kwargs, kwargs, error, 0))
        return false;
    QCborMap map;
    map.insert(QStringLiteral("args"), args);
    map.insert(QStringLiteral("kwargs"), kwargs);
    map.insert(QStringLiteral("bridge"), message.bridgeId);
    map.insert(QStringLiteral("seq"), qint64(message.sequence));
    out = map.toCborValue().toCbor();
    return true;
}

bool decodePayload(const QByteArray &bytes, Message &out, QString &error)
{
    QCborStreamReader reader(bytes);
    const QCborValue root = QCborValue::fromCbor(reader);
    if (reader.lastError() != QCborError::NoError) {
        error = QStringLiteral("malformed CBOR: %1").arg(reader.lastError().toString());
        return false;
    }
    if (reader.currentOffset() != bytes.size()) {
        error = QStringLiteral("malformed CBOR: %1 bytes after the payload")
                    .arg(bytes.size() - reader.currentOffset());
        return false;
    }
    if (!root.isMap()) {
        error = QStringLiteral("the payload is not a CBOR map");
        return false;
    }
    const QCborMap map = root.toMap();
    const QCborValue args = map.value(QStringLiteral("args"));
    const QCborValue kwargs = map.value(QStringLiteral("kwargs"));
    const QCborValue bridge = map.value(QStringLiteral("bridge"));
    const QCborValue sequence = map.value(QStringLiteral("seq"));
    if (!args.isArray() || !(kwargs.isMap() || kwargs.isUndefined())) {
        error = QStringLiteral("\"args\" must be an array and \"kwargs\" a map");
        return false;
    }
    if (!bridge.isString() || bridge.toString().isEmpty() || !sequence.isInteger()
        || sequence.toInteger() < 1) {
        error
            = QStringLiteral("\"bridge\" must be a non-empty text and \"seq\" a positive integer");
        return false;
    }
    QVariant argsValue;
    QVariant kwargsValue;
    if (!fromCbor(args, argsValue, error, 0)
        || (kwargs.isMap() && !fromCbor(kwargs, kwargsValue, error, 0)))
        return false;
    out.args = argsValue.toList();
    out.kwargs = kwargsValue.toMap();
    out.bridgeId = bridge.toString();
    out.sequence = quint64(sequence.toInteger());
    return true;
}

bool isValidFilter(const QString &filter)
{
    if (filter.isEmpty())
        return false;
    const QStringList levels = filter.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const QString &level = levels.at(i);
        if (level.contains(QLatin1Char('#')) && (level.size() != 1 || i != levels.size() - 1))
            return false; // '#' alone, and last
        if (level.contains(QLatin1Char('+')) && level.size() != 1)
            return false; // '+' alone in its level
    }
    return true;
}

bool filterMatches(const QString &filter, const QString &name)
{
    const QStringList filterLevels = filter.split(QLatin1Char('/'));
    const QStringList nameLevels = name.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < filterLevels.size(); ++i) {
        const QString &level = filterLevels.at(i);
        if (level == QLatin1String("#"))
            return true; // the rest, also the parent level itself
        if (i >= nameLevels.size())
            return false;
        if (level != QLatin1String("+") && level != nameLevels.at(i))
            return false;
    }
    return filterLevels.size() == nameLevels.size();
}

QString eventNameForTopic(const QString &topic, const QString &prefix)
{
    if (!topic.startsWith(prefix) || topic.size() == prefix.size())
        return {};
    QString name = topic.mid(prefix.size());
    if (name.contains(QLatin1Char('+')) || name.contains(QLatin1Char('#'))
        || name.contains(QChar(0)))
        return {};
    return name;
}

} // namespace aioevt::mqtt
