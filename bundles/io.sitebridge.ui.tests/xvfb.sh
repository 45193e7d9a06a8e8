#!/usr/bin/env bash
# Starts (or stops) a private Xvfb for the UI tests.
#   xvfb.sh start DIR   picks a free display (-displayfd), writes DIR/xvfb.properties
#                       (sitebridge.test.display=:N) and DIR/xvfb.pid; a watchdog
#                       kills the Xvfb when the Maven process that started it ends,
#                       so a failed build leaves no X server behind
#   xvfb.sh stop DIR
set -euo pipefail
cmd=$1
dir=$2
mkdir -p "$dir"
case "$cmd" in
  start)
    if [ -f "$dir/xvfb.pid" ] && kill -0 "$(cat "$dir/xvfb.pid")" 2>/dev/null; then
      kill "$(cat "$dir/xvfb.pid")" || true
    fi
    rm -f "$dir/xvfb.display"
    # the watchdog's owner: the Maven JVM (exec-maven-plugin may start us through a shell)
    owner=$PPID
    while [ "$owner" -gt 1 ] && ! tr '\0' ' ' </proc/$owner/cmdline 2>/dev/null | grep -q java; do
      owner=$(ps -o ppid= -p "$owner" | tr -d ' ')
    done
    echo "xvfb.sh: watching $owner: $(tr '\0' ' ' </proc/$owner/cmdline | cut -c1-80)" >"$dir/owner.log"
    # no X server for this build if there is no Xvfb: the tests then fail with a clear message
    command -v Xvfb >/dev/null || { echo "xvfb.sh: Xvfb is not installed" >&2; exit 1; }
    Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$dir/xvfb.display" >"$dir/xvfb.log" 2>&1 &
    xpid=$!
    for _ in $(seq 1 100); do
      [ -s "$dir/xvfb.display" ] && break
      sleep 0.05
    done
    [ -s "$dir/xvfb.display" ] || { echo "xvfb.sh: Xvfb did not start, see $dir/xvfb.log" >&2; kill $xpid || true; exit 1; }
    echo $xpid >"$dir/xvfb.pid"
    echo "sitebridge.test.display=:$(tr -d '[:space:]' <"$dir/xvfb.display")" >"$dir/xvfb.properties"
    # the watchdog: outlives this script, not the build
    nohup bash -c "while kill -0 $owner 2>/dev/null && kill -0 $xpid 2>/dev/null; do sleep 1; done; kill $xpid 2>/dev/null" \
      >/dev/null 2>&1 </dev/null &
    echo "xvfb.sh: Xvfb $(cat "$dir/xvfb.properties") pid $xpid"
    ;;
  stop)
    if [ -f "$dir/xvfb.pid" ]; then
      kill "$(cat "$dir/xvfb.pid")" 2>/dev/null || true
      rm -f "$dir/xvfb.pid"
    fi
    ;;
  *)
    echo "usage: xvfb.sh start|stop DIR" >&2
    exit 2
    ;;
esac
