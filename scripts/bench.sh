#!/usr/bin/env bash
# Builds the benchmark in Release and runs it with Qt's default (glib) event dispatcher
# and with QT_NO_GLIB=1. Writes bench/results/: a markdown table and a JSON file per
# dispatcher, machine.txt, and scaling.png (case i) drawn with gnuplot.
#   scripts/bench.sh [--reps N]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$ROOT/scripts/setup.sh"
configure_and_build "$ROOT/build-release" -DCMAKE_BUILD_TYPE=Release \
    -DAIOEVT_BUILD_TESTS=OFF -DAIOEVT_BUILD_EXAMPLES=OFF >/dev/null
out="$ROOT/bench/results"
mkdir -p "$out"
bench="$ROOT/build-release/bench/aioevt-bench"

{
    echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "Cores: $(nproc), memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
    echo "OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
    echo "Compiler: $(c++ --version | head -n 1)"
    echo "Qt: $(qmake6 -query QT_VERSION 2>/dev/null || echo unknown)"
} >"$out/machine.txt"

# Case m needs a broker: a private Mosquitto on a free port, stopped on exit.
broker="$ROOT/build-release/bench-broker"
bash "$ROOT/tests/mqtt/broker.sh" start "$broker"
trap 'bash "$ROOT/tests/mqtt/broker.sh" stop "$broker"' EXIT
set -- "$@" --mqtt-port-file "$broker/port"

"$bench" "$@" --markdown "$out/glib.md" --json "$out/glib.json" --scaling "$out/scaling-glib.dat"
QT_NO_GLIB=1 "$bench" "$@" --markdown "$out/noglib.md" --json "$out/noglib.json" \
    --scaling "$out/scaling-noglib.dat"

gnuplot <<GNUPLOT
set terminal pngcairo noenhanced size 900,380 font "sans,10"
set output "$out/scaling.png"
set multiplot layout 1,2 title "aioevt scaling (Release, Qt default dispatcher and QT_NO_GLIB=1)"
set grid
set yrange [0:*]
set key top left
set ylabel "million deliveries per second"
set xlabel "emitting threads"
set xtics (1, 2, 4)
plot "< grep emitters $out/scaling-glib.dat" using 2:(\$3/1e6) with linespoints title "glib", \
     "< grep emitters $out/scaling-noglib.dat" using 2:(\$3/1e6) with linespoints title "QT_NO_GLIB"
set xlabel "subscribers per name (one target thread)"
set logscale x
set xtics (1, 10, 100, 1000)
plot "< grep subscribers $out/scaling-glib.dat" using 2:(\$3/1e6) with linespoints title "glib", \
     "< grep subscribers $out/scaling-noglib.dat" using 2:(\$3/1e6) with linespoints title "QT_NO_GLIB"
unset multiplot
GNUPLOT
echo "results in $out"
