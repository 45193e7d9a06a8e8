# Shared helpers of the product tests (sourced, bash).
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*"; }

# Starts a private Xvfb on a free display; sets DISPLAY and XVFB_PID.
start_xvfb() {
  local fifo
  fifo=$(mktemp -u)
  mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
  XVFB_PID=$!
  local n
  read -r -t 20 n <"$fifo" || fail "Xvfb did not start"
  rm -f "$fifo"
  export DISPLAY=":$n"
  log "Xvfb on $DISPLAY (pid $XVFB_PID)"
}

stop_xvfb() {
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.25 s.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${seconds}s waiting for $what"
    sleep 0.25
  done
}

# The id of the visible top-level window of PID whose title matches REGEX.
window_of() {
  xdotool search --onlyvisible --pid "$1" --name "$2" 2>/dev/null | head -n1
}

screenshot() {
  mkdir -p "$(dirname "$1")"
  import -window root "$1"
  # a blank (single-colour) screen means nothing was drawn
  local sd
  sd=$(convert "$1" -colorspace Gray -format '%[fx:standard_deviation]' info:)
  awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || fail "screenshot $1 is blank (sd=$sd)"
  log "screenshot $1"
}

# Exits an Eclipse window through File > Exit (keyboard, no window manager needed).
exit_through_file_menu() {
  local win=$1
  xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
  sleep 0.3
  xdotool key --clearmodifiers alt+f
  sleep 0.7
  xdotool key x
}

# Waits up to SECONDS for PID (a child of this shell) to exit; sets EXIT_CODE.
wait_exit() {
  local pid=$1 seconds=$2
  local deadline=$((SECONDS + seconds))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      kill -9 "$pid" 2>/dev/null || true
      fail "process $pid did not exit within ${seconds}s"
    fi
    sleep 0.25
  done
  EXIT_CODE=0
  wait "$pid" || EXIT_CODE=$?
}
