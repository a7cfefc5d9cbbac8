// SPDX-License-Identifier: MIT
#include <aioevt/callback.h>
#include <aioevt/cancelederror.h>
#include <aioevt/timeouterror.h>

namespace aioevt {

TimeoutError::TimeoutError(const QString &message)
    : m_message(message.isEmpty() ? QByteArrayLiteral("aioevt: the wait timed out")
                                  : message.toUtf8())
{ }

const char *TimeoutError::what() const noexcept
{
    return m_message.constData();
}

void TimeoutError::raise() const
{
    throw *this;
}

TimeoutError *TimeoutError::clone() const
{
    return new TimeoutError(*this);
}

CanceledError::CanceledError(const QString &message)
    : m_message(message.isEmpty() ? QByteArrayLiteral("aioevt: the wait was cancelled")
                                  : message.toUtf8())
{ }

const char *CanceledError::what() const noexcept
{
    return m_message.constData();
}

void CanceledError::raise() const
{
    throw *this;
}

CanceledError *CanceledError::clone() const
{
    return new CanceledError(*this);
}

namespace detail {

CallableBase::~CallableBase() = default;

bool convertArgument(const QVariant &value, QMetaType target, void *out, qsizetype index,
                     CallOutcome &outcome)
{
    QVariant converted = value;
    if (value.isValid() && converted.convert(target)) {
        target.destruct(out);
        target.construct(out, converted.constData());
        return true;
    }
    outcome.mismatch = true;
    outcome.problem = QStringLiteral("argument %1 is %2, which does not convert to %3")
                          .arg(index + 1)
                          .arg(QString::fromLatin1(value.isValid() ? value.typeName() : "invalid"),
                               QString::fromLatin1(target.name()));
    return false;
}

void reportTooFewArguments(qsizetype expected, qsizetype given, CallOutcome &outcome)
{
    outcome.mismatch = true;
    outcome.problem
        = QStringLiteral("it takes %1 argument(s) but %2 were emitted").arg(expected).arg(given);
}

} // namespace detail

} // namespace aioevt
