#!/usr/bin/env bash
# The standalone product starts on its demo default under Xvfb: the window
# titled "Sitebridge" appears, both site browsers list their demo server,
# a screenshot is saved, and File > Exit ends the process with code 0.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

module=$(cd "$here/.." && pwd)
product="$module/target/products/io.sitebridge.product/linux/gtk/x86_64/sitebridge"
[ -x "$product/sitebridge" ] || fail "no materialized product at $product"
work="$module/target/product-smoke"
rm -rf "$work"
mkdir -p "$work"
export SITEBRIDGE_HOME="$work/home"

start_xvfb
trap 'kill -9 ${app:-} 2>/dev/null || true; stop_xvfb' EXIT

log "starting $product/sitebridge"
"$product/sitebridge" -consoleLog >"$work/app.log" 2>&1 &
app=$!

wait_for 90 "the Sitebridge window" window_of "$app" '^Sitebridge$'
win=$(window_of "$app" '^Sitebridge$')
log "window $win: $(xdotool getwindowname "$win")"

dialogue="$work/home/workspace/.metadata/.plugins/io.sitebridge.app/control-dialogue.log"
listed() { grep -q "\[$1\] < 226" "$dialogue"; }
wait_for 60 "the left pane's listing" listed "Demo Left"
wait_for 60 "the right pane's listing" listed "Demo Right"
grep -q 'PASS \*\*\*' "$dialogue" || fail "PASS is not masked in the dialogue log"
sleep 1
screenshot "$module/target/screenshots/product-demo.png"

exit_through_file_menu "$win"
wait_exit "$app" 30
[ "$EXIT_CODE" = 0 ] || { tail -40 "$work/app.log"; fail "the product exited with code $EXIT_CODE"; }
[ -f "$work/home/workspace/.metadata/.plugins/org.eclipse.e4.workbench/workbench.xmi" ] \
  || fail "the window layout was not saved on exit"
if grep -E '^!ENTRY [^ ]+ 4 ' "$work/home/workspace/.metadata/.log" 2>/dev/null; then
  fail "the Eclipse log has errors (see $work/home/workspace/.metadata/.log)"
fi
log "PASS product smoke test"

# The headless command line of the same installation (plain class path, no display).
usage=$(env -u DISPLAY "$product/sitebridge" help)
echo "$usage" | grep -q '^usage: sitebridge copy' || fail "sitebridge help printed no usage: $usage"
set +e
reason=$(env -u DISPLAY SITEBRIDGE_PASSWORD=x "$product/sitebridge" ls ftp://nobody@127.0.0.1:1/ 2>&1)
code=$?
set -e
[ "$code" = 3 ] || fail "sitebridge ls of a closed port exited $code, not 3 (cannot connect): $reason"
[ "$(echo "$reason" | wc -l)" = 1 ] || fail "sitebridge ls did not fail with one line: $reason"
log "sitebridge ls of a closed port: exit $code, '$reason'"
# --version: the application bundle's version, as its jar in plugins/ is named
app_jar=$(ls "$product"/plugins/io.sitebridge.app_*.jar | sort -V | tail -n1)
want=${app_jar##*/io.sitebridge.app_}
want=${want%.jar}
version=$(env -u DISPLAY "$product/sitebridge" --version)
[[ $version == "sitebridge $want (Java "*", "*")" ]] || fail "sitebridge --version printed '$version', expected 'sitebridge $want (Java VERSION, HOME)'"
log "sitebridge --version: $version"
help=$(env -u DISPLAY "$product/sitebridge" --help)
[[ $help == *"--on-conflict RULE"* ]] || fail "sitebridge --help lacks --on-conflict: $help"
log "PASS headless command line of the product"

# The agent through the start script: started (also when the JVM says something first), a
# script's command (standard input not a terminal) runs in it with the same output and exit
# code as in a JVM of its own, status, stop.
set +e
started=$(env -u DISPLAY JAVA_TOOL_OPTIONS=-Xshare:auto "$product/sitebridge" agent start 2>&1)
code=$?
set -e
[ "$code" = 0 ] && [[ $started == "sitebridge agent: started (pid "* ]] || fail "sitebridge agent start: exit $code, '$started'"
log "$started"
trap 'kill -9 ${app:-} 2>/dev/null || true; "$product/sitebridge" agent stop >/dev/null 2>&1 || true; stop_xvfb' EXIT
set +e
via_agent=$(env -u DISPLAY SITEBRIDGE_PASSWORD=x "$product/sitebridge" ls ftp://nobody@127.0.0.1:1/ 2>&1 </dev/null)
code_agent=$?
own=$(env -u DISPLAY SITEBRIDGE_NO_AGENT=1 SITEBRIDGE_PASSWORD=x "$product/sitebridge" ls ftp://nobody@127.0.0.1:1/ 2>&1 </dev/null)
code_own=$?
set -e
[ "$code_agent" = "$code_own" ] && [ "$via_agent" = "$own" ] \
  || fail "ls through the agent: exit $code_agent, '$via_agent'; in its own JVM: exit $code_own, '$own'"
status=$(env -u DISPLAY "$product/sitebridge" agent status)
[[ $status == *"1 commands run"* ]] || fail "the agent did not run the script's ls: $status"
"$product/sitebridge" agent stop >/dev/null || fail "sitebridge agent stop failed"
set +e
after=$(env -u DISPLAY "$product/sitebridge" agent status)
code=$?
set -e
[ "$code" = 1 ] || fail "sitebridge agent status after stop: exit $code, '$after'"
log "PASS the agent: ls through it as in its own JVM (exit $code_agent), status, stop"
