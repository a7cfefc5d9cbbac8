// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>

#include <QtCore/qbytearray.h>
#include <QtCore/qexception.h>
#include <QtCore/qstring.h>

namespace aioevt {

/*!
    The exception a waiting future finishes with when its timeout passes before a
    matching emission (Python aioevt raises \c asyncio.TimeoutError there).
    \c what() names the event and the timeout.
*/
class AIOEVT_EXPORT TimeoutError : public QException
{
public:
    explicit TimeoutError(const QString &message = QString());
    const char *what() const noexcept override;
    void raise() const override;
    TimeoutError *clone() const override;

private:
    QByteArray m_message;
};

} // namespace aioevt
