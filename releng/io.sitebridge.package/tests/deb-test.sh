#!/usr/bin/env bash
# The Debian package as a user gets it. Unpacked with dpkg-deb -x, on a machine with no Java at all
# (a private mount namespace hides /usr/lib/jvm, so /usr/bin/java dangles; PATH=/usr/bin:/bin, no
# JAVA_HOME) and as an unprivileged user (the installation folder is read-only to it):
#   - sitebridge --version runs on the bundled runtime;
#   - sitebridge ls lists a real FTP server (the product's embedded demo server);
#   - the application starts under Xvfb, lists both demo servers, shows its window (screenshot),
#     runs on the bundled runtime, and exits through File > Exit with code 0;
#   - every shared library it maps that one of its own libraries links to comes from a package in
#     Depends, and its window class matches the menu entry's StartupWMClass.
# Then: the package fields (dpkg-deb -I), the menu entry (desktop-file-validate, icons), and a real
# dpkg -i / dpkg -r / dpkg -P cycle that must leave nothing behind.
#   deb-test.sh JDK_HOME      (the JDK runs only the demo FTP servers)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../io.sitebridge.product/tests/lib.sh"
jdk=${1:?usage: deb-test.sh JDK_HOME}
module=$(cd "$here/.." && pwd)
shopt -s nullglob
debs=("$module"/target/sitebridge_*_amd64.deb)
[ ${#debs[@]} = 1 ] || fail "expected one target/sitebridge_*_amd64.deb, found ${#debs[@]}"
deb=${debs[0]}
work="$module/target/deb-test"
rm -rf "$work"
mkdir -p "$work"
[ "$(id -u)" = 0 ] || fail "needs root (a mount namespace without Java, and dpkg -i / -r)"

# ---- package fields and contents --------------------------------------------------------------
dpkg-deb -I "$deb" | tee "$work/info.txt"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = sitebridge ] || fail "Package is not sitebridge"
[ "$(field Architecture)" = amd64 ] || fail "Architecture is not amd64"
version=$(field Version)
[[ $deb == *"_${version}_amd64.deb" ]] || fail "file name $deb does not carry Version $version"
depends=$(field Depends)
for p in libgtk-3-0 libx11-6 libxtst6 libc6; do
  [[ ", $depends," == *", $p"[,\ ]* ]] || fail "Depends lacks $p: $depends"
done
[ -n "$(field Installed-Size)" ] && [ -n "$(field Description)" ] || fail "Installed-Size or Description missing"
dpkg-deb -c "$deb" >"$work/contents.txt"
for f in ./opt/sitebridge/sitebridge ./opt/sitebridge/jre/bin/java ./opt/sitebridge/jre/release \
         ./usr/share/applications/sitebridge.desktop ./usr/share/icons/hicolor/48x48/apps/sitebridge.png \
         ./usr/share/doc/sitebridge/copyright; do
  grep -q " $f\$" "$work/contents.txt" || fail "the package has no $f"
done
grep -q ' ./usr/bin/sitebridge -> /opt/sitebridge/sitebridge$' "$work/contents.txt" \
  || fail "/usr/bin/sitebridge is not a link to /opt/sitebridge/sitebridge"
log "package fields and contents: $(basename "$deb"), $(du -m "$deb" | cut -f1) MB, $(wc -l <"$work/contents.txt") entries"

# ---- unpacked, the menu entry -----------------------------------------------------------------
x="$work/root"
dpkg-deb -x "$deb" "$x"
touch "$work/extracted"
desktop="$x/usr/share/applications/sitebridge.desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects sitebridge.desktop"
entry() { sed -n "s/^$1=//p" "$desktop"; }
[ "$(entry Exec)" = sitebridge ] && [ "$(entry Icon)" = sitebridge ] || fail "Exec/Icon of the menu entry"
for size in 16 32 48 64 128; do
  png="$x/usr/share/icons/hicolor/${size}x$size/apps/sitebridge.png"
  [ "$(identify -format '%m %wx%h' "$png")" = "PNG ${size}x$size" ] || fail "$png is not a ${size}x$size PNG"
done
app="$x/opt/sitebridge"
log "runtime: $(du -sm "$app/jre" | cut -f1) MB, modules $(sed -n 's/^MODULES=//p' "$app/jre/release")"

# ---- a user on a machine with no Java ---------------------------------------------------------
user_home="$work/home"
mkdir -p "$user_home"
chown 65534:65534 "$user_home"
chmod 755 "$work"
# nobody's home is $user_home in the test's namespace (Java takes user.home from the password
# database, not from $HOME).
sed "s|^nobody:\([^:]*\):65534:65534:\([^:]*\):[^:]*:|nobody:\1:65534:65534:\2:$user_home:|" /etc/passwd >"$work/passwd"
grep -q "^nobody:.*:$user_home:" "$work/passwd" || fail "no user nobody (65534) to run as"
# "${no_java_cmd[@]}" CMD...: runs CMD as nobody, with no Java on the machine and a minimal
# environment (every step execs the next: in the background, $! is the application's pid).
no_java_cmd=(unshare -m -- bash -c 'mount -t tmpfs -o mode=755 none /usr/lib/jvm && mount --bind "$0" /etc/passwd \
    && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"' "$work/passwd" \
  env -i PATH=/usr/bin:/bin HOME="$user_home" LANG=C.UTF-8)
no_java() { "${no_java_cmd[@]}" ${DISPLAY:+DISPLAY=$DISPLAY} ${SITEBRIDGE_PASSWORD:+SITEBRIDGE_PASSWORD=$SITEBRIDGE_PASSWORD} "$@"; }
no_java bash -c '! command -v java && ! compgen -G "/usr/lib/jvm/*/bin/java" && [ -z "${JAVA_HOME:-}" ] && [ "$PATH" = /usr/bin:/bin ]' >/dev/null \
  || fail "the test environment still has a Java"
version_line=$(no_java "$app/sitebridge" --version) || fail "sitebridge --version failed: $version_line"
echo "$version_line"
[[ $version_line == "sitebridge ${version/\~/.} (Java "*", $app/jre)" ]] \
  || fail "sitebridge --version did not run on the bundled runtime: $version_line"
log "PASS --version without any Java on the machine"

# sitebridge ls of the product's own embedded demo server (Apache FtpServer), started outside
# the application with the build's JDK.
cp=$(printf '%s:' "$app"/plugins/{io.sitebridge.demo,ftpserver-core,ftplet-api,org.apache.mina.core,slf4j.api,slf4j.simple}_*.jar)
coproc demo { exec "$jdk/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" "$here/DemoServers.java"; }
demo_pid=$demo_PID
trap 'kill ${gui:-} 2>/dev/null || true; kill $demo_pid 2>/dev/null || true; stop_xvfb' EXIT
read -r -t 60 port password <&"${demo[0]}" || fail "the demo FTP server did not start"
set +e
listing=$(SITEBRIDGE_PASSWORD=$password no_java "$app/sitebridge" ls "ftp://demo@127.0.0.1:$port/" 2>&1)
code=$?
set -e
echo "$listing"
[ "$code" = 0 ] || fail "sitebridge ls exited $code"
for name in README.txt sitebridge-demo.bin photos releases; do
  grep -q "$name" <<<"$listing" || fail "sitebridge ls did not list $name"
done
log "PASS sitebridge ls of the demo server without any Java on the machine"
eval "exec ${demo[1]}>&-"

# ---- the application, under Xvfb ---------------------------------------------------------------
start_xvfb
"${no_java_cmd[@]}" DISPLAY="$DISPLAY" "$app/sitebridge" -consoleLog >"$work/app.log" 2>&1 &
gui=$!
wait_for 120 "the Sitebridge window" window_of "$gui" '^Sitebridge$'
win=$(window_of "$gui" '^Sitebridge$')
dialogue="$user_home/.local/share/sitebridge/workspace/.metadata/.plugins/io.sitebridge.app/control-dialogue.log"
listed() { grep -q "\[$1\] < 226" "$dialogue"; }
wait_for 60 "the left pane's listing" listed "Demo Left"
wait_for 60 "the right pane's listing" listed "Demo Right"
exe=$(readlink "/proc/$gui/exe")
[ "$exe" = "$app/jre/bin/java" ] || fail "the application runs on $exe, not the bundled runtime"
wm_class=$(xprop -id "$win" WM_CLASS)
[[ $wm_class == *"\"$(entry StartupWMClass)\""* ]] \
  || fail "window class $wm_class does not match StartupWMClass=$(entry StartupWMClass)"
log "window $win on $exe, $wm_class"

# Every library that one of the application's own libraries (the runtime's, SWT's extracted ones)
# links to directly must come from a package in Depends (what dpkg-shlibdeps would compute).
owner() { # FILE: the package that installed FILE (dpkg knows /lib paths as such under merged /usr)
  local real
  real=$(readlink -f "$1")
  { dpkg -S "$real" || dpkg -S "${real#/usr}" || dpkg -S "$1" || dpkg -S "${1#/usr}"; } 2>/dev/null \
    | sed -n '1s/:.*//p'
}
allowed=" $(tr -d ',|' <<<"$depends" | tr -s ' ') "
ld_cache=$(ldconfig -p)  # (read whole: an early exit in a pipe is SIGPIPE under pipefail)
missing=()
found=()
checked=0
while read -r own; do
  while read -r soname; do
    dir=${own%/*}
    [ -e "$dir/$soname" ] || [ -e "$app/jre/lib/$soname" ] || [ -e "$app/jre/lib/server/$soname" ] && continue
    lib=$(awk -v s="$soname" '$1 == s && /x86-64/ {print $NF; exit}' <<<"$ld_cache")
    [ -n "$lib" ] || { missing+=("$soname (not found, needed by ${own##*/})"); continue; }
    pkg=$(owner "$lib")
    checked=$((checked + 1))
    found+=("$pkg")
    [[ $allowed == *" $pkg "* ]] || missing+=("$soname (${pkg:-no package}, needed by ${own##*/})")
  done < <(objdump -p "$own" | awk '$1 == "NEEDED" {print $2}')
done < <(awk '$6 ~ /\.so/ {print $6}' "/proc/$gui/maps" | sort -u | grep -E "^($app|$user_home)/")
[ ${#missing[@]} = 0 ] || fail "Depends lacks the packages of: ${missing[*]}"
[ "$checked" -gt 10 ] || fail "only $checked libraries checked against Depends: is SWT loaded?"
log "all $checked libraries the application's own libraries link to are covered by Depends: $(printf '%s\n' "${found[@]}" | sort -u | paste -sd' ')"

sleep 1
screenshot "$module/target/screenshots/deb-application.png"
exit_through_file_menu "$win"
wait_exit "$gui" 30
[ "$EXIT_CODE" = 0 ] || { tail -40 "$work/app.log"; fail "the application exited with code $EXIT_CODE"; }
log_file="$user_home/.local/share/sitebridge/workspace/.metadata/.log"
if grep -E '^!ENTRY [^ ]+ 4 ' "$log_file" 2>/dev/null; then
  fail "the Eclipse log has errors (see $log_file)"
fi
[ -z "$(find "$app" -newer "$work/extracted" -print -quit)" ] || fail "running as a user wrote into the installation folder"
log "PASS the application from the package without any Java on the machine"
stop_xvfb

# ---- dpkg -i, then dpkg -r leaves nothing -------------------------------------------------------
if dpkg-query -W -f='${Status}' sitebridge 2>/dev/null | grep -q 'installed'; then
  log "SKIPPED dpkg -i/-r: a sitebridge package is already installed on this machine"
  exit 0
fi
trap 'dpkg -P sitebridge >/dev/null 2>&1 || true; kill $demo_pid 2>/dev/null || true' EXIT
dpkg -i "$deb" >"$work/dpkg-i.log" 2>&1 || { cat "$work/dpkg-i.log"; fail "dpkg -i failed (Depends not satisfiable here?)"; }
installed=$(HOME="$work/root-home" /usr/bin/sitebridge --version)
[[ $installed == *", /opt/sitebridge/jre)" ]] || fail "installed sitebridge --version: $installed"
desktop-file-validate /usr/share/applications/sitebridge.desktop || fail "installed menu entry invalid"
# Started once by root, the application writes into its installation folder (OSGi configuration).
HOME="$work/root-home" timeout 120 env -u DISPLAY /usr/bin/sitebridge -application io.sitebridge.app.cli help \
  </dev/null >"$work/root-run.log" 2>&1 || true
[ -d /opt/sitebridge/configuration/org.eclipse.osgi ] || fail "the root run left no OSGi configuration to clean up"
dpkg -r sitebridge >"$work/dpkg-r.log" 2>&1 || { cat "$work/dpkg-r.log"; fail "dpkg -r failed"; }
left=()
while read -r path; do
  path=${path#.}
  [ -n "$path" ] && [ "$path" != / ] || continue
  [ -e "$path" ] || [ -L "$path" ] || continue
  case $path in /opt/sitebridge*|/usr/bin/sitebridge|*/sitebridge.desktop|*/sitebridge.png|/usr/share/doc/sitebridge*) left+=("$path") ;; esac
done < <(awk '{ for (i = 6; i <= NF; i++) if ($i == "->") break; else p = (i == 6 ? $i : p " " $i); print p }' "$work/contents.txt")
[ ! -e /opt/sitebridge ] || left+=(/opt/sitebridge)
[ ${#left[@]} = 0 ] || fail "dpkg -r left: ${left[*]}"
dpkg -P sitebridge >/dev/null
! dpkg-query -W -f='${Status}' sitebridge 2>/dev/null | grep -q 'installed' || fail "still registered after dpkg -P"
log "PASS dpkg -i, /usr/bin/sitebridge --version, dpkg -r left nothing, dpkg -P"
