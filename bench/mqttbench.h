// SPDX-License-Identifier: MIT
#pragma once

// Case m: events through the MQTT bridge and a Mosquitto broker on loopback, beside raw
// libmosquitto publishing the same payloads. Both return nanoseconds per event, from the
// first publish to the last message received.
double mqttBridgeThroughput(int events, int port);
double mqttRawThroughput(int events, int port);
