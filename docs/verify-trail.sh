#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# verify-trail.sh FILE — recompute the hash chain of a Regelruimte trail
# without Regelruimte, with xmllint, printf, sha256sum, sed and awk only
# (docs/trail-format.md §3 and §7).
#
# Checks that seq runs without gaps from events/@first-seq, that every
# prev-hash is the hash of the event before it (events/@prev-hash for the
# first), that every hash recomputes from the event's fields, and that the
# trail's checkpoint is its last event. Prints "ok: N events" or
# "broken at event SEQ: WHAT", and last the recomputed checkpoint SEQ:HASH.
# Exit status 0 only when the chain holds.
#
# Event fields are plain tokens (the schema allows no white space,
# quotes, '<', '>', '&' or backslash in them), so xmllint prints them
# exactly as they are hashed.

set -eu

if [ $# -ne 1 ]; then
  printf 'usage: %s FILE\n' "$0" >&2
  exit 2
fi
file=$1

first=$(xmllint --nonet --xpath "string(/*[local-name()='trail']/*[local-name()='events']/@first-seq)" "$file")
prev=$(xmllint --nonet --xpath "string(/*[local-name()='trail']/*[local-name()='events']/@prev-hash)" "$file")
cp_seq=$(xmllint --nonet --xpath "string(/*[local-name()='trail']/*[local-name()='checkpoint']/@seq)" "$file")
cp_hash=$(xmllint --nonet --xpath "string(/*[local-name()='trail']/*[local-name()='checkpoint']/@hash)" "$file")

if [ -z "$first" ] || [ -z "$prev" ]; then
  printf 'broken at event 0: not a Regelruimte trail\n'
  exit 1
fi

# One line per event: seq prev uuid at actor action entity_type
# entity_uuid content_hash hash, in document order.
fields=$(xmllint --nonet --xpath "/*[local-name()='trail']/*[local-name()='events']/*[local-name()='event']/@*" "$file" 2>/dev/null |
  sed -n 's/^ \([a-z-]*\)="\(.*\)"$/\1 \2/p' |
  awk '
    function flush() {
      if (n > 0)
        print v["seq"], v["prev-hash"], v["uuid"], v["at"], v["actor"], v["action"], \
              v["entity-type"], v["entity-uuid"], v["content-hash"], v["hash"]
      n = 0; split("", v)
    }
    $1 == "seq" { flush() }
    { v[$1] = $2; n++ }
    END { flush() }')

expected=$first
count=0
status=0
problem=
if [ -n "$fields" ]; then
  while read -r seq prev_hash uuid at actor action etype euuid chash hash; do
    if [ "$seq" != "$expected" ]; then
      problem="broken at event $expected: event $seq follows event $((expected - 1))"
      break
    fi
    if [ "$prev_hash" != "$prev" ]; then
      problem="broken at event $seq: it does not link to the event before it"
      break
    fi
    computed=$(printf 'regelruimte-event/1\nseq=%s\nprev=%s\nuuid=%s\nat=%s\nactor=%s\naction=%s\nentity_type=%s\nentity_uuid=%s\ncontent_hash=%s\n' \
      "$seq" "$prev_hash" "$uuid" "$at" "$actor" "$action" "$etype" "$euuid" "$chash" | sha256sum | sed 's/ .*//')
    if [ "$computed" != "$hash" ]; then
      problem="broken at event $seq: its hash does not match its fields"
      break
    fi
    prev=$hash
    expected=$((expected + 1))
    count=$((count + 1))
  done <<EOF
$fields
EOF
fi

last=$((expected - 1))
if [ -z "$problem" ] && { [ "$cp_seq" != "$last" ] || [ "$cp_hash" != "$prev" ]; }; then
  problem="broken at event $last: the checkpoint does not match the last event"
fi

if [ -n "$problem" ]; then
  printf '%s\n' "$problem"
  status=1
else
  printf 'ok: %s events\n' "$count"
fi
printf '%s:%s\n' "$last" "$prev"
exit $status
