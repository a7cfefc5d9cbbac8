// SPDX-License-Identifier: MIT
// libFuzzer target for the MQTT bridge's payload decoder: any bytes from the network
// must give a message or a clear refusal, never a crash, a hang or a leak.
#include "payload_p.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    aioevt::mqtt::Message message;
    QString error;
    if (aioevt::mqtt::decodePayload(bytes, message, error)) {
        // What was accepted is usable: a well-formed message with a sender.
        if (message.bridgeId.isEmpty() || message.sequence == 0)
            __builtin_trap();
    } else if (error.isEmpty()) {
        __builtin_trap(); // every refusal says why
    }
    // Topic handling sees network input too.
    const QString topic = QString::fromUtf8(bytes.left(256));
    const QString name = aioevt::mqtt::eventNameForTopic(topic, QStringLiteral("aioevt/"));
    if (!name.isEmpty())
        (void)aioevt::mqtt::filterMatches(QStringLiteral("a/+/#"), name);
    return 0;
}
