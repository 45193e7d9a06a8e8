#!/usr/bin/env bash
# Builds target/sitebridge_<version>_amd64.deb from the materialized Linux product: the product
# under /opt/sitebridge with a Java runtime made by jlink in /opt/sitebridge/jre (only the modules
# the product's bundles use, found by jdeps), /usr/bin/sitebridge, a menu entry and its icons.
#   build-deb.sh JDK_HOME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jdk=${1:?usage: build-deb.sh JDK_HOME}
product="$here/../io.sitebridge.product/target/products/io.sitebridge.product/linux/gtk/x86_64/sitebridge"
out="$here/target"
[ -x "$product/sitebridge" ] || { echo "build-deb: no materialized product at $product" >&2; exit 1; }
[ -x "$jdk/bin/jlink" ] || { echo "build-deb: $jdk has no jlink" >&2; exit 1; }

app_jar=$(ls "$product"/plugins/io.sitebridge.app_*.jar | sort -V | tail -n1)
bundle_version=${app_jar##*_}
bundle_version=${bundle_version%.jar}            # 0.1.0.202612052134
# Debian version: the release with the build qualifier after a tilde (sorts before the release).
version="${bundle_version%.*}~${bundle_version##*.}"

root="$out/deb-root"
rm -rf "$root" "$out"/sitebridge_*.deb
mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/usr/share/doc/sitebridge" "$root/DEBIAN"
cp -a "$product" "$root/opt/sitebridge"

# ---- the Java runtime ------------------------------------------------------------------------
# Modules: what jdeps finds in the bundles (the same jars serve the window and the command line),
# without ICU4J's javadoc taglets (build-time tools: they alone would pull in jdk.javadoc and
# jdk.compiler), plus jdk.charsets, because a site's encoding may be any charset the JVM knows.
modules=$("$jdk/bin/jdeps" --multi-release "$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = //p')" --ignore-missing-deps --print-module-deps \
    -include '^(?!com\.ibm\.icu\.dev\.tool\.docs\.).*' "$product"/plugins/*.jar)
modules="$modules,jdk.charsets"
echo "build-deb: jlink modules $modules"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress zip-6 --generate-cds-archive --output "$root/opt/sitebridge/jre" >/dev/null
# jlink's release file names no build; the start script keys its class caches on it.
grep '^JAVA_RUNTIME_VERSION=' "$jdk/release" >>"$root/opt/sitebridge/jre/release" || true
echo "build-deb: runtime $(du -sm "$root/opt/sitebridge/jre" | cut -f1) MB ($modules)" \
  | tee "$out/runtime.txt"

# ---- menu entry, icons, command --------------------------------------------------------------
ln -s /opt/sitebridge/sitebridge "$root/usr/bin/sitebridge"
install -m 644 "$here/debian/sitebridge.desktop" "$root/usr/share/applications/sitebridge.desktop"
icons="$out/icons"
rm -rf "$icons"
mkdir -p "$icons"
unzip -q -o "$app_jar" 'icons/sitebridge*.png' -d "$icons"
for size in 16 32 48 64 128; do
  install -D -m 644 "$icons/icons/sitebridge$size.png" "$root/usr/share/icons/hicolor/${size}x$size/apps/sitebridge.png"
done
install -m 644 "$here/debian/copyright" "$root/usr/share/doc/sitebridge/copyright"

# ---- control ---------------------------------------------------------------------------------
depends=$(grep -v '^#' "$here/debian/depends" | sed '/^ *$/d' | paste -sd, | sed 's/,/, /g')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
  "$here/debian/control" >"$root/DEBIAN/control"
install -m 755 "$here/debian/postrm" "$root/DEBIAN/postrm"

deb="$out/sitebridge_${version}_amd64.deb"
# root-owned files without fakeroot: --root-owner-group (dpkg 1.19+); gzip: every dpkg reads it and
# it takes 4 s here (xz: 78 s for a 9 % smaller file)
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$deb" >/dev/null
echo "build-deb: $deb ($(du -m "$deb" | cut -f1) MB)"
