# Sourced by ./mvnw (POSIX sh): Tycho 5 needs Maven on a Java 21+.
# Keeps JAVA_HOME when it is 21+, else picks the newest 21+ JDK from
# `java` on PATH and /usr/lib/jvm; fails with a clear message when none.
sitebridge_java_feature() {
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
sitebridge_pick_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(sitebridge_java_feature "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  best=""
  bestv=0
  candidates=""
  if command -v javac >/dev/null 2>&1; then
    candidates=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  fi
  set +f # mvnw runs with globbing off
  for d in /usr/lib/jvm/*; do
    candidates="$candidates
$d"
  done
  for home in $candidates; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    v=$(sitebridge_java_feature "$home/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then
      best=$home
      bestv=$v
    fi
  done
  set -f
  if [ -z "$best" ]; then
    echo "Sitebridge builds with Maven on a JDK 21 or newer, and none was found" >&2
    echo "(looked at JAVA_HOME, javac on PATH and /usr/lib/jvm). Install one, e.g." >&2
    echo "'apt-get install openjdk-21-jdk-headless' or a Temurin 21+ JDK, or set JAVA_HOME." >&2
    exit 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}
sitebridge_pick_jdk
