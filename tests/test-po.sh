#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the translation pipeline: every language in po/LINGUAS compiles
# with `msgfmt --check` and has no fuzzy or untranslated message, every
# file in po/POTFILES.in exists, every source or UI file with translatable
# strings is listed there, and (when xgettext is installed) every message
# of the sources is in every translation.
#
# Usage: test-po.sh SOURCE_ROOT
# Prints TAP; exits non-zero on any failure.

set -u

srcdir=${1:-$(dirname "$0")/..}
cd "$srcdir" || { echo "Bail out! cannot enter $srcdir"; exit 2; }

export LC_ALL=C
n=0
failed=0

ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}

not_ok () {
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do
    echo "# $line"
  done
}

if ! command -v msgfmt >/dev/null 2>&1; then
  echo "Bail out! msgfmt not found (install gettext)"
  exit 2
fi

# The listed files, without comments and blank lines.
listed=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in)
languages=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/LINGUAS | tr -s ' \t' '\n\n' | sed '/^$/d')

if [ -z "$languages" ]; then
  not_ok "po/LINGUAS lists at least one language" "po/LINGUAS is empty"
fi

# 1. Every translation compiles and is complete.
for lang in $languages; do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    not_ok "$po exists" "po/LINGUAS lists $lang but $po is missing"
    continue
  fi
  if ! stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    not_ok "$po passes msgfmt --check" "$stats"
    continue
  fi
  if echo "$stats" | grep -qE 'fuzzy|untranslated'; then
    not_ok "$po is complete" "$stats" \
           "find them with: msgattrib --only-fuzzy $po; msgattrib --untranslated $po"
  else
    ok "$po passes msgfmt --check and is complete ($stats)"
  fi
done

# 2. Every listed file exists.
missing=""
for file in $listed; do
  [ -f "$file" ] || missing="$missing $file"
done
if [ -n "$missing" ]; then
  not_ok "every file in po/POTFILES.in exists" "missing:$missing"
else
  ok "every file in po/POTFILES.in exists"
fi

# 3. Every file with translatable strings is listed.
unlisted=""
candidates=$( { grep -rlE '_\(|N_\(|C_\(|g_dngettext|ngettext' src/ 2>/dev/null
                grep -rl 'translatable="yes"' ui/ 2>/dev/null; } | sort -u)
for file in $candidates; do
  if ! printf '%s\n' "$listed" | grep -qxF "$file"; then
    unlisted="$unlisted $file"
  fi
done
if [ -n "$unlisted" ]; then
  not_ok "every file with translatable strings is in po/POTFILES.in" \
         "add to po/POTFILES.in (keep it sorted):$unlisted"
else
  ok "every file with translatable strings is in po/POTFILES.in"
fi

# 4. Every message of the current sources is translated. Skipped without
#    xgettext or without the ITS rules for the data files.
if command -v xgettext >/dev/null 2>&1 && command -v msgcmp >/dev/null 2>&1; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # The keywords and flags of meson's i18n.gettext(preset: 'glib').
  if printf '%s\n' "$listed" > "$tmp/files" &&
     xgettext --package-name=chronomap --from-code=UTF-8 --add-comments \
              --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
              --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
              --keyword=g_dpgettext2:2c,3 \
              --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
              --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
              --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
              --flag=g_string_append_printf:2:c-format \
              --flag=g_set_error:4:c-format --flag=g_printerr:1:c-format \
              --files-from="$tmp/files" -o "$tmp/chronomap.pot" 2>"$tmp/xgettext.log"; then
    for lang in $languages; do
      po="po/$lang.po"
      [ -f "$po" ] || continue
      if out=$(msgcmp "$po" "$tmp/chronomap.pot" 2>&1); then
        ok "$po has every message of the sources"
      else
        not_ok "$po has every message of the sources" \
               "$(echo "$out" | head -n 20)" \
               "update it with: ninja -C BUILDDIR chronomap-pot chronomap-update-po, then translate"
      fi
    done
  else
    echo "# xgettext failed, message check skipped: $(head -n 3 "$tmp/xgettext.log")"
  fi
else
  echo "# xgettext or msgcmp not found, message check skipped"
fi

echo "1..$n"
if [ "$failed" -gt 0 ]; then
  echo "# $failed of $n checks failed"
  exit 1
fi
exit 0
