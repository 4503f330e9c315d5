#!/bin/sh
# Every file with translatable strings is in POTFILES.in, and po/nl.po
# translates every string those files hold.
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
grep -v '^#' po/POTFILES.in | sed '/^$/d' > "$tmp/listed"
grep -rlE '_\("|N_\("' src | sort > "$tmp/found"
missing=$(sort "$tmp/listed" | comm -13 - "$tmp/found")
if [ -n "$missing" ]; then
  echo "not in po/POTFILES.in: $missing"
  exit 1
fi
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --files-from="$tmp/listed" -o "$tmp/rr.pot"
msgmerge --quiet --no-fuzzy-matching -o "$tmp/nl.po" po/nl.po "$tmp/rr.pot"
stats=$(msgfmt --check --statistics -o /dev/null "$tmp/nl.po" 2>&1 | tail -n 1)
echo "$stats"
case "$stats" in
  *untranslated*|*fuzzy*) exit 1 ;;
esac
