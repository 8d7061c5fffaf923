#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Configure, build and install the project with prefix /app (as the Flatpak
# does) into a temporary DESTDIR, then check that every installed file is
# where the desktop, AppStream, GSettings and the app itself look for it.
#
# usage: test-install.sh MESON SOURCE_ROOT

meson=$1
srcdir=$2
app_id=io.github.chronomap.Chronomap

if [ -z "$meson" ] || [ -z "$srcdir" ]; then
  echo "usage: $0 MESON SOURCE_ROOT" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chronomap-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

run () {
  if ! "$@" >"$tmp/log" 2>&1; then
    echo "FAILED: $*"
    tail -n 60 "$tmp/log"
    exit 1
  fi
}

run $meson setup --prefix=/app "$tmp/build" "$srcdir"
run $meson compile -C "$tmp/build" -j 2
run $meson install -C "$tmp/build" --no-rebuild --destdir "$tmp/dest"

root=$tmp/dest/app
failed=0

check () {
  # check TEST PATH: e.g. check -f share/applications/x.desktop
  if [ "$1" "$root/$2" ]; then
    echo "ok: /app/$2"
  else
    echo "MISSING: /app/$2"
    failed=$((failed + 1))
  fi
}

check -x bin/chronomap
check -f share/applications/$app_id.desktop
check -f share/metainfo/$app_id.metainfo.xml
check -f share/icons/hicolor/scalable/apps/$app_id.svg
check -f share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
check -f share/glib-2.0/schemas/$app_id.gschema.xml
check -f share/locale/uk/LC_MESSAGES/chronomap.mo
check -d share/chronomap/samples

for f in "$srcdir"/data/samples/*; do
  [ -e "$f" ] || continue
  check -e "share/chronomap/samples/$(basename "$f")"
done
if [ -f "$srcdir/data/chronomap.schema.json" ]; then
  check -f share/chronomap/chronomap.schema.json
fi
if [ -d "$srcdir/data/basemap" ]; then
  check -d share/chronomap/basemap
  for f in "$srcdir"/data/basemap/*; do
    [ -e "$f" ] || continue
    check -e "share/chronomap/basemap/$(basename "$f")"
  done
fi

# The installed desktop file and metainfo carry the translations.
if grep -q '^Comment\[uk\]=' "$root/share/applications/$app_id.desktop" 2>/dev/null; then
  echo "ok: desktop file translated (uk)"
else
  echo "MISSING: Comment[uk] in the installed desktop file"
  failed=$((failed + 1))
fi
if grep -q 'xml:lang="uk"' "$root/share/metainfo/$app_id.metainfo.xml" 2>/dev/null; then
  echo "ok: metainfo translated (uk)"
else
  echo "MISSING: uk translations in the installed metainfo"
  failed=$((failed + 1))
fi

# The installed schema compiles on its own, as glib-compile-schemas does in
# the Flatpak's /app/share/glib-2.0/schemas.
if glib-compile-schemas --strict --dry-run "$root/share/glib-2.0/schemas"; then
  echo "ok: installed schemas compile"
else
  echo "FAILED: installed schemas do not compile"
  failed=$((failed + 1))
fi

# Nothing may be installed outside the prefix.
outside=$(find "$tmp/dest" -mindepth 1 -maxdepth 1 ! -name app)
if [ -n "$outside" ]; then
  echo "FAILED: installed outside /app: $outside"
  failed=$((failed + 1))
fi

echo "$failed problems"
[ $failed -eq 0 ]
