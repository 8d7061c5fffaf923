#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Running from the build tree: `meson devenv -C BUILDDIR chronomap` finds
# the program, its GSettings schema, icons, translations and basemap with
# nothing installed, and keeps the system's own schemas and icons; the
# program run directly without a schema says what to do instead of
# aborting. TAP output.
#
# usage: test-devenv.sh MESON BUILDDIR

meson=$1
builddir=$2
app_id=io.github.chronomap.Chronomap
n=0
failed=0

check () {
  n=$((n + 1))
  desc=$1; shift
  if out=$("$@" 2>&1); then
    echo "ok $n - $desc"
  else
    failed=$((failed + 1))
    echo "not ok $n - $desc"
    printf '%s\n' "$out" | sed 's/^/# /'
  fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chronomap-devenv.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# As from a fresh login shell: none of the variables the test setup sets.
clean_env () {
  env -u GSETTINGS_SCHEMA_DIR -u XDG_DATA_DIRS -u CHRONOMAP_DATADIR \
      -u CHRONOMAP_LOCALEDIR -u GSETTINGS_BACKEND "$@"
}

in_devenv () {
  clean_env "$meson" devenv -C "$builddir" --workdir "$tmp" sh -ec "$1"
}

echo "1..8"

check "chronomap is on the devenv's PATH, from the build tree" \
  in_devenv "test \"\$(command -v chronomap)\" = '$builddir/src/chronomap'
             chronomap --version | grep -q '^chronomap '"

check "the build tree's compiled schema is found" \
  in_devenv "gsettings list-keys $app_id | grep -qx basemap"

check "the system's schemas stay visible (file chooser settings)" \
  in_devenv "gsettings list-schemas | grep -qx org.gtk.gtk4.Settings.FileChooser"

check "the app icon is in an XDG_DATA_DIRS icon theme" \
  in_devenv "IFS=:; for d in \$XDG_DATA_DIRS; do
               test -f \"\$d/icons/hicolor/scalable/apps/$app_id.svg\" && exit 0
             done; exit 1"

check "translations are bound from the build tree" \
  in_devenv "test -s \"\$CHRONOMAP_LOCALEDIR/uk/LC_MESSAGES/chronomap.mo\""

check "the basemap and the sample are found" \
  in_devenv "test -d \"\$CHRONOMAP_DATADIR/basemap\"
             chronomap --validate \"\$CHRONOMAP_DATADIR/samples/riyadh-talks-2025.json\""

# Run directly, with no schema anywhere: a message and status 1, no abort.
mkdir -p "$tmp/empty"
direct () {
  clean_env XDG_DATA_DIRS="$tmp/empty" LC_ALL=C.UTF-8 "$builddir/src/chronomap" \
    >"$tmp/out" 2>&1
  status=$?
  cat "$tmp/out"
  test "$status" -eq 1 \
    && grep -q "settings schema $app_id is not installed" "$tmp/out" \
    && grep -q "meson devenv -C $builddir chronomap" "$tmp/out"
}
check "run directly without a schema, it says to use meson devenv" direct

check "--validate still works without a schema" \
  clean_env XDG_DATA_DIRS="$tmp/empty" "$builddir/src/chronomap" --validate \
    "$(dirname "$0")/../data/samples/riyadh-talks-2025.json"

exit $((failed > 0))
