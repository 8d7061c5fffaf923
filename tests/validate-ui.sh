#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Validate every GtkBuilder file under a folder with gtk4-builder-tool.
#
# usage: validate-ui.sh GTK4_BUILDER_TOOL UI_DIR [PRELOAD_MODULE]
#
# gtk4-builder-tool knows only GTK's own types. PRELOAD_MODULE (built from
# tests/ui-validate-preload.c) is loaded into the tool alone so that
# libadwaita's and Chronomap's own widget types resolve too. The tool needs a
# display (it crashes without one): run under xvfb-run. With no .ui files the
# check passes; every file that exists is checked.

tool=$1
uidir=$2
preload=$3

if [ -z "$tool" ] || [ -z "$uidir" ]; then
  echo "usage: $0 GTK4_BUILDER_TOOL UI_DIR [PRELOAD_MODULE]" >&2
  exit 2
fi

if [ -z "$DISPLAY" ] && [ -z "$WAYLAND_DISPLAY" ]; then
  echo "SKIP: no display; run the suite under xvfb-run -a"
  exit 77
fi

files=$(find "$uidir" -name '*.ui' -type f | LC_ALL=C sort)
if [ -z "$files" ]; then
  echo "no .ui files in $uidir"
  exit 0
fi

# A module built with -Db_sanitize=address needs the sanitizer runtimes
# preloaded first, as the tool itself is not instrumented.
if [ -n "$preload" ]; then
  runtimes=$(ldd "$preload" 2>/dev/null | awk '/lib(asan|ubsan)\.so/ { print $3 }' | tr '\n' ':')
  preload="$runtimes$preload"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
fi

# With no session bus, GTK would autolaunch one through dbus-launch, which
# can hang the tool: point it at none, it only warns.
if [ -z "$DBUS_SESSION_BUS_ADDRESS" ]; then
  export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/chronomap-test-bus
fi

# Output goes through a file, not a pipe: a helper process the tool starts
# (a session bus launched on demand) may keep a pipe open for good.
out=$(mktemp)
trap 'rm -f "$out"' EXIT

checked=0
failed=0
for f in $files; do
  checked=$((checked + 1))
  if [ -n "$preload" ]; then
    env LD_PRELOAD="$preload${LD_PRELOAD:+:$LD_PRELOAD}" "$tool" validate "$f" >"$out" 2>&1 </dev/null
  else
    "$tool" validate "$f" >"$out" 2>&1 </dev/null
  fi
  rc=$?
  if [ $rc -eq 0 ]; then
    echo "ok: $f"
  else
    failed=$((failed + 1))
    echo "FAIL ($rc): $f"
    sed 's/^/  /' "$out"
  fi
done

echo "$checked checked, $failed failed"
[ $failed -eq 0 ]
