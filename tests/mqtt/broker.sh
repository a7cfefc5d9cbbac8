#!/usr/bin/env bash
# A private Mosquitto broker for the MQTT tests: 127.0.0.1, a free port, its own config
# and data folder (persistence on, so sessions and queued QoS 1 messages survive a
# restart).
#   broker.sh start DIR     picks a port, writes DIR/port, starts the broker
#   broker.sh stop DIR      stops it (SIGTERM: it saves its data first)
#   broker.sh restart DIR   stop, then start again on the same port with the same data
set -euo pipefail
command="$1" dir="$2"

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
    mkdir -p "$dir/data"
    if [ ! -f "$dir/port" ]; then
        local port
        for _ in $(seq 1 100); do
            port=$((20000 + RANDOM % 40000))
            if port_is_free "$port"; then break; fi
        done
        echo "$port" >"$dir/port"
    fi
    local port
    port="$(cat "$dir/port")"
    # As root, Mosquitto would drop to its own user, which cannot write our data folder.
    cat >"$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $dir/data/
autosave_interval 1
max_queued_messages 0
max_inflight_messages 0
pid_file $dir/mosquitto.pid
log_dest file $dir/mosquitto.log
user $(id -un)
CONF
    mosquitto -c "$dir/mosquitto.conf" -d
    for _ in $(seq 1 100); do
        if ! port_is_free "$port"; then return 0; fi
        sleep 0.05
    done
    echo "broker.sh: mosquitto did not start on port $port" >&2
    cat "$dir/mosquitto.log" >&2 || true
    return 1
}

stop() {
    [ -f "$dir/mosquitto.pid" ] || return 0
    local pid
    pid="$(cat "$dir/mosquitto.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$dir/mosquitto.pid"; return 0; }
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/mosquitto.pid"
}

case "$command" in
start) rm -rf "$dir" && start ;;
stop) stop ;;
restart) stop && start ;;
*) echo "usage: broker.sh start|stop|restart DIR" >&2 && exit 2 ;;
esac
