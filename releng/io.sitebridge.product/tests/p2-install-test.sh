#!/usr/bin/env bash
# Installs io.sitebridge.feature from the freshly built update site into a
# plain Eclipse IDE (workbench + p2, no Sitebridge) with the p2 director, as a
# user would, then restarts the IDE on the Site-to-Site perspective and checks
# that the site browsers and the console opened (from the saved workbench
# model and the Eclipse log) and saves a screenshot.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

module=$(cd "$here/.." && pwd)
root=$(cd "$module/../.." && pwd)
base="$module/target/products/io.sitebridge.idebase/linux/gtk/x86_64/eclipse"
site="$root/releng/io.sitebridge.site/target/repository"
[ -d "$base/plugins" ] || fail "no materialized IDE base product at $base"
[ -f "$site/content.jar" ] || [ -f "$site/content.xml" ] || [ -f "$site/content.xml.xz" ] || fail "no update site at $site"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

work="$module/target/p2-install"
rm -rf "$work"
mkdir -p "$work"
ide="$work/eclipse"
cp -a "$base" "$ide"
compgen -G "$ide/plugins/io.sitebridge*" >/dev/null && fail "the IDE base already contains Sitebridge"
launcher=$(ls "$ide"/plugins/org.eclipse.equinox.launcher_*.jar | head -n1)

log "installing io.sitebridge.feature from $site"
"$java" -jar "$launcher" -nosplash -consoleLog \
  -application org.eclipse.equinox.p2.director \
  -repository "file:$site" \
  -installIU io.sitebridge.feature.feature.group \
  >"$work/director.log" 2>&1 || { cat "$work/director.log"; fail "p2 director failed"; }
grep -q 'Operation completed' "$work/director.log" || { cat "$work/director.log"; fail "p2 director did not complete"; }
grep 'Operation completed' "$work/director.log"
for b in io.sitebridge.core io.sitebridge.transfer io.sitebridge.ui org.apache.commons.commons-net; do
  compgen -G "$ide/plugins/${b}_*" >/dev/null || fail "$b was not installed"
  grep "^${b}," "$ide/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" >/dev/null \
    || fail "$b is not in the IDE's bundles.info"
done

printf 'org.eclipse.ui.ide/EXIT_PROMPT_ON_CLOSE_LAST_WINDOW=false\n' >"$work/customization.ini"
start_xvfb
trap 'kill -9 ${app:-} 2>/dev/null || true; stop_xvfb' EXIT
log "restarting the IDE on the Site-to-Site perspective"
"$java" --enable-native-access=ALL-UNNAMED -jar "$launcher" -nosplash -consoleLog \
  -data "$work/workspace" -pluginCustomization "$work/customization.ini" \
  -perspective io.sitebridge.ui.perspective >"$work/ide.log" 2>&1 &
app=$!
any_window() { [ -n "$(xdotool search --onlyvisible --pid "$app" --name '.' 2>/dev/null)" ]; }
wait_for 120 "the IDE window" any_window
sleep 4
win=$(xdotool search --onlyvisible --pid "$app" --name '.' | head -n1)
log "IDE window $win: $(xdotool getwindowname "$win")"
screenshot "$module/target/screenshots/ide-after-install.png"

exit_through_file_menu "$win"
wait_exit "$app" 45
[ "$EXIT_CODE" = 0 ] || { tail -40 "$work/ide.log"; fail "the IDE exited with code $EXIT_CODE"; }

model="$work/workspace/.metadata/.plugins/org.eclipse.e4.workbench/workbench.xmi"
[ -f "$model" ] || fail "the IDE saved no workbench model"
for part in 'io.sitebridge.ui.views.siteBrowser:left' 'io.sitebridge.ui.views.siteBrowser:right' \
  'org.eclipse.ui.console.ConsoleView' 'io.sitebridge.ui.perspective'; do
  grep -q "elementId=\"$part\"" "$model" || fail "$part is not in the IDE's window"
done
if grep -E -A2 '^!ENTRY [^ ]+ 4 ' "$work/workspace/.metadata/.log" 2>/dev/null | grep -i sitebridge; then
  fail "the IDE logged errors about Sitebridge (see $work/workspace/.metadata/.log)"
fi
log "PASS update-site install test"
