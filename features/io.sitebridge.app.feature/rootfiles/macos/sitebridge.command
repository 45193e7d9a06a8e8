#!/bin/bash
# Sitebridge start script for macOS (the product ships no native launcher). Double-click it in the
# Finder (it opens a Terminal window), or run it from a terminal:
#
#   ./sitebridge.command                      start the application (two demo servers by default)
#   ./sitebridge.command --no-demo            start without the embedded demo servers
#   ./sitebridge.command copy|ls|diff|mirror ... [-v]     headless command line, see `sitebridge.command help`
#   ./sitebridge.command sites list|add|remove|import ...   the saved sites, shared with the application
#
# Needs a Java 21 or newer: JAVA_HOME, then `/usr/libexec/java_home -v 21+`, then `java` on PATH.
# Written for the bash 3.2 that macOS ships.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)

# java_ok JAVA_BINARY: true when it runs and is a Java 21 or newer.
java_ok() {
  local v
  [ -x "$1" ] || return 1
  v=$("$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1)
  [ -n "$v" ] && [ "$v" -ge 21 ]
}
JAVA=""
if [ -n "${JAVA_HOME:-}" ] && java_ok "$JAVA_HOME/bin/java"; then
  JAVA=$JAVA_HOME/bin/java
elif home=$(/usr/libexec/java_home -v 21+ 2>/dev/null) && java_ok "$home/bin/java"; then
  JAVA=$home/bin/java
elif command -v java >/dev/null 2>&1 && java_ok "$(command -v java)"; then
  JAVA=$(command -v java)
else
  echo "sitebridge: needs Java 21 or newer, and none was found (looked at JAVA_HOME, java_home and PATH)." >&2
  echo "Install one (e.g. Temurin 21 from adoptium.net, or 'brew install --cask temurin'), or point JAVA_HOME at it." >&2
  exit 3
fi

# newest_jar NAME: prints the newest plugins/NAME_*.jar (p2 updates may leave older ones).
newest_jar() {
  local f last=""
  for f in "$here"/plugins/"$1"_*.jar; do
    [ -e "$f" ] && last=$f
  done
  [ -n "$last" ] || { echo "sitebridge: $here/plugins has no $1 jar" >&2; return 3; }
  printf '%s\n' "$last"
}

# Per-user state, the same folder the command line itself uses.
state=${SITEBRIDGE_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/sitebridge}
mkdir -p "$state" 2>/dev/null || true

case "${1:-}" in
  copy|cp|ls|list|diff|mirror|sites|skip|help|--help|-h)
    # Headless: the command line needs neither OSGi nor a display; it runs on a plain class path.
    cp=""
    for b in io.sitebridge.app io.sitebridge.transfer io.sitebridge.core \
             org.apache.commons.commons-net org.apache.commons.commons-io; do
      jar=$(newest_jar "$b") || exit 3
      cp="$cp${cp:+:}$jar"
    done
    exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:C1MaxInlineSize=15 -Xms32m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Djava.awt.headless=true \
      -cp "$cp" io.sitebridge.app.cli.Cli "$@"
    ;;
esac

launcher=$(newest_jar org.eclipse.equinox.launcher) || exit 3
# SWT on macOS must run on the process's first thread.
exec "$JAVA" -XstartOnFirstThread -Xdock:name=Sitebridge -Xms64m -Xmx1g \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=error --enable-native-access=ALL-UNNAMED \
  -Dosgi.requiredJavaVersion=21 -jar "$launcher" -nosplash \
  -data "${SITEBRIDGE_WORKSPACE:-$state/workspace}" "$@"
