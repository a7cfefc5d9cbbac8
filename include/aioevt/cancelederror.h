// SPDX-License-Identifier: MIT
#pragma once

#include <aioevt/aioevt_export.h>

#include <QtCore/qbytearray.h>
#include <QtCore/qexception.h>
#include <QtCore/qstring.h>

namespace aioevt {

/*!
    The exception stored in a waiting future that was ended before any emission because
    its manager was destroyed. The future reports \c isCanceled(), and a coroutine that
    awaits it gets this exception instead of a value. \c what() says why.
*/
class AIOEVT_EXPORT CanceledError : public QException
{
public:
    explicit CanceledError(const QString &message = QString());
    const char *what() const noexcept override;
    void raise() const override;
    CanceledError *clone() const override;

private:
    QByteArray m_message;
};

} // namespace aioevt
