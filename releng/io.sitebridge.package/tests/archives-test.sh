#!/usr/bin/env bash
# The product archives for the three systems, as a user downloads them: each one unpacked holds the
# start script of its system, SWT with exactly its platform's fragment, and a configuration whose
# bundles all resolve in Equinox set to that platform (ResolveBundles.java). The Linux product's
# bundles also resolve on the Debian package's jlink runtime (its modules export every package the
# bundles import). A win32 product resolved as linux/gtk must fail: the check can tell.
#   archives-test.sh JDK_HOME
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../io.sitebridge.product/tests/lib.sh"
jdk=${1:?usage: archives-test.sh JDK_HOME}
module=$(cd "$here/.." && pwd)
products="$module/../io.sitebridge.product/target/products"
work="$module/target/archives-test"
rm -rf "$work"
mkdir -p "$work/classes"

# platform  archive                                  product folder inside      start script
platforms=(
  "linux gtk x86_64     sitebridge-linux.gtk.x86_64.tar.gz     sitebridge                   sitebridge"
  "win32 win32 x86_64   sitebridge-win32.win32.x86_64.zip      sitebridge                   sitebridge.cmd"
  "macosx cocoa aarch64 sitebridge-macosx.cocoa.aarch64.tar.gz sitebridge.app/Contents/Eclipse sitebridge.command"
)
# what every start script puts on the class path or starts
jars=(org.eclipse.equinox.launcher io.sitebridge.app io.sitebridge.transfer io.sitebridge.core
      org.apache.commons.commons-net org.apache.commons.commons-io)

osgi=""
resolve() { # DIR OS WS ARCH [JAVA]
  rm -rf "$work/storage"
  "${5:-$jdk/bin/java}" -cp "$osgi:$work/classes" ResolveBundles "$1" "$2" "$3" "$4" "$work/storage"
}

for p in "${platforms[@]}"; do
  read -r os ws arch archive folder script <<<"$p"
  [ -f "$products/$archive" ] || fail "no $archive in $products"
  dir="$work/$os.$ws.$arch"
  mkdir -p "$dir"
  case $archive in
    *.zip) unzip -q "$products/$archive" -d "$dir" ;;
    *) tar -xzf "$products/$archive" -C "$dir" ;;
  esac
  root="$dir/$folder"
  [ -f "$root/$script" ] || fail "$archive has no $folder/$script"
  case $script in
    *.cmd) grep -q $'\r$' "$root/$script" || fail "$script has no CRLF line ends" ;;
    *) [ -x "$root/$script" ] || fail "$folder/$script is not executable"
       bash -n "$root/$script" || fail "$folder/$script is not valid bash" ;;
  esac
  for j in "${jars[@]}"; do
    compgen -G "$root/plugins/${j}_*.jar" >/dev/null || fail "$archive has no $j jar"
    grep -q "$j" "$root/$script" || fail "$script does not name $j"
  done
  swt=$(cd "$root/plugins" && ls -d org.eclipse.swt.* | grep -v '^org\.eclipse\.swt\.svg_' | sed -E 's/_[0-9]+\.[0-9]+\.[0-9]+.*//')
  [ "$swt" = "org.eclipse.swt.$ws.$os.$arch" ] || fail "$archive has the SWT fragments: $swt"
  for other in gtk win32 cocoa linux macosx; do
    [ "$other" = "$ws" ] || [ "$other" = "$os" ] && continue
    bad=$(cd "$root/plugins" && ls -d *."$other".* *."$other"_* 2>/dev/null || true)
    [ -z "$bad" ] || fail "$archive has bundles of another system: $bad"
  done
  if [ -z "$osgi" ]; then
    osgi=$(ls "$root"/plugins/org.eclipse.osgi_*.jar)
    "$jdk/bin/javac" -d "$work/classes" -cp "$osgi" "$here/ResolveBundles.java"
  fi
  resolve "$root" "$os" "$ws" "$arch" || fail "the $os/$ws/$arch configuration does not resolve"
  log "PASS $archive: $script, SWT $swt, $(ls "$root/plugins" | wc -l) plugins, $(du -m "$products/$archive" | cut -f1) MB"
done

if resolve "$work/win32.win32.x86_64/sitebridge" linux gtk x86_64 >"$work/negative.txt"; then
  fail "the Windows configuration resolved as linux/gtk: the resolution check cannot tell platforms apart"
fi
grep -q 'UNRESOLVED org.eclipse.swt.win32.win32.x86_64' "$work/negative.txt" || { cat "$work/negative.txt"; fail "negative control"; }
log "PASS the Windows configuration does not resolve as linux/gtk (control)"

# The Debian package's runtime serves every package the bundles import.
jre="$module/target/deb-root/opt/sitebridge/jre"
[ -x "$jre/bin/java" ] || fail "no Debian package runtime at $jre (run the package phase)"
resolve "$module/target/deb-root/opt/sitebridge" linux gtk x86_64 "$jre/bin/java" \
  || fail "the product's bundles do not resolve on the package's jlink runtime"
log "PASS the product resolves on the jlink runtime ($(sed -n 's/^MODULES=//p' "$jre/release"))"
