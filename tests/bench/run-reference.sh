#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The reference run of DESIGN §8 in one command: builds the reference data
# set once (bench-core makes it, measuring the generation), then runs
# bench-core, bench-trail, bench-report and bench-app against that same
# database and prints every figure of the §8 table beside its same-run
# baseline.
#
#   tests/bench/run-reference.sh [BUILD_DIR]          (default BUILD_DIR: build)
#   RR_BENCH_DECISIONS=100000 tests/bench/run-reference.sh build
#
# RR_BENCH_DECISIONS: size (default 1,000,000: about 2.5 GB in the folder).
# RR_BENCH_DIR: keep the database and the logs there (an existing
# reference.db in it is used as it is); otherwise a temporary folder is
# removed afterwards. bench-app needs an X display: without DISPLAY it runs
# under `xvfb-run -a`. Exits non-zero only when a benchmark fails to run.
set -eu

# The §8 table from the logs in $1.
summary () {
  dir=$1
  db=$dir/reference.db
  echo "=== DESIGN §8 reference figures ($(sqlite3 -readonly "$db" 'SELECT count (*) FROM decisions' 2>/dev/null || echo '?') decisions, $(du -h "$db" | cut -f1) database) ==="
  awk -v core="$dir/core.log" -v trail="$dir/trail.log" -v report="$dir/report.log" \
      -v app="$dir/app.log" '
function verdict (value, target, higher) {
  if (value == "" || value == "-") return "?"
  if (higher) return (value + 0 >= target) ? "PASS" : "FAIL"
  return (value + 0 <= target) ? "PASS" : "FAIL"
}
function row (what, measured, baseline, target, result) {
  printf "%-46s %12s %12s %14s  %s\n", what, measured, baseline, target, result
}
# A row of a fixed-width table: the name in the first `width` characters.
function table (file, width, name, out,    line, rest, f) {
  while ((getline line < file) > 0)
    if (substr (line, 1, length (name)) == name) {
      rest = substr (line, width + 1)
      split (rest, f, " ")
      out["value"] = f[1]
      out["base"] = f[2]
      close (file)
      return 1
    }
  close (file)
  out["value"] = "-"; out["base"] = "-"
  return 0
}
BEGIN {
  row("what", "measured", "baseline", "target", "")

  table(core, 34, "generate (decisions/s)", g)
  row("generate the reference set (decisions/s)", g["value"], g["base"], ">= 20000",
      verdict(g["value"], 20000, 1))

  table(app, 44, "first frame ratio app / bare", r)
  table(app, 44, "first frame, spawn", t)
  row("first frame of the window (ms, median)", t["value"], t["base"], "<= 1.5 x bare",
      verdict(r["value"], 1.5, 0))
  row("  ratio to the bare GTK window", r["value"], "1.00", "<= 1.5", verdict(r["value"], 1.5, 0))

  table(core, 34, "record p95 (ms)", c)
  row("record one decision p95 (ms)", c["value"], c["base"], "<= 10", verdict(c["value"], 10, 0))

  table(core, 34, "precedents p95 (ms)", c)
  row("precedent / full-text search p95 (ms)", c["value"], c["base"], "<= 25",
      verdict(c["value"], 25, 0))

  table(app, 44, "page fetch p95 (ms)", p)
  row("scroll the log: page fetch p95 (ms), model", p["value"], p["base"], "<= 8",
      verdict(p["value"], 8, 0))
  table(core, 34, "log page by ids p95, tl (ms)", c)
  row("  rows by id p95, teamleider (ms), core", c["value"], c["base"], "<= 8",
      verdict(c["value"], 8, 0))
  table(core, 34, "log page by ids p95, aud (ms)", c)
  row("  rows by id p95, auditor (ms), core", c["value"], c["base"], "<= 8",
      verdict(c["value"], 8, 0))
  table(app, 44, "RSS after scrolling all rows (MB)", m)
  row("scroll the log: resident memory (MB)", m["value"], m["base"], "<= 150",
      verdict(m["value"], 150, 0))
  table(app, 44, "  RSS after scrolling the view (MB)", m)
  row("  after scrolling the view only (MB)", m["value"], m["base"], "<= 150",
      verdict(m["value"], 150, 0))

  # bench-trail: the second block is the reference database.
  n = 0
  while ((getline line < trail) > 0) {
    k = split(line, f, " ")
    if (f[1] == "export-trail") { n++; export_s = f[2]; dump_s = f[k - 1] }
    if (f[1] == "verify-trail") { verify_s = f[2]; xmllint_s = f[k - 1] }
    if (f[1] == "export" && f[2] == "peak") export_mb = f[4]
    if (line ~ /^export memory growth/) export_growth = line
  }
  close(trail)
  row("export the full trail (s)", export_s, dump_s " dump", "<= 3 x dump",
      verdict(dump_s > 0 ? export_s / dump_s : "", 3, 0))
  row("  ratio to the sqlite3 dump", dump_s > 0 ? sprintf("%.1f", export_s / dump_s) : "-",
      "1.0", "<= 3", verdict(dump_s > 0 ? export_s / dump_s : "", 3, 0))
  row("  export peak RSS (MB)", export_mb, "-", "<= 64", verdict(export_mb, 64, 0))
  row("verify the full trail (s)", verify_s, xmllint_s " xmllint", "<= 3 x xmllint",
      verdict(xmllint_s > 0 ? verify_s / xmllint_s : "", 3, 0))
  row("  ratio to xmllint --stream", xmllint_s > 0 ? sprintf("%.1f", verify_s / xmllint_s) : "-",
      "1.0", "<= 3", verdict(xmllint_s > 0 ? verify_s / xmllint_s : "", 3, 0))

  worst = -1
  while ((getline line < report) > 0) {
    k = split(line, f, " ")
    if ((f[k] == "PASS" || f[k] == "FAIL") && k >= 6 && f[k - 3] ~ /^[0-9.]+$/ \
        && f[k - 3] + 0 > worst) {
      worst = f[k - 3] + 0; worst_sql = f[k - 2]; worst_name = f[1]
    }
    if (line ~ /^PDF of the largest report/) pdf_s = f[k - 2]
  }
  close(report)
  row("slowest report over the full set (s)", worst, worst_sql " SQL", "<= 1",
      verdict(worst, 1, 0))
  row("  (" worst_name ")", "", "", "", "")
  row("  PDF of the largest report (s)", pdf_s, "-", "<= 2", verdict(pdf_s, 2, 0))

  table(app, 44, "record applied: keystrokes", k1)
  table(app, 44, "record deviation: keystrokes", k2)
  print ""
  while ((getline line < app) > 0)
    if (line ~ /^  (without free text|clicks)/ || line ~ /^record (applied|deviation): keystrokes/)
      print "  " line
  close(app)
}'
  echo
  echo "(baselines are measured in the same run; see tests/bench/README.md for each one)"
}

# `run-reference.sh --summary DIR` prints the table again from a kept run.
if [ "${1:-}" = "--summary" ]; then
  summary "$2"
  exit 0
fi

build=${1:-build}
n=${RR_BENCH_DECISIONS:-1000000}
bench=$build/tests/bench

for exe in bench-core bench-trail bench-report bench-app; do
  if [ ! -x "$bench/$exe" ]; then
    echo "run-reference: $bench/$exe is missing: build first (ninja -C $build)" >&2
    exit 2
  fi
done

if [ -n "${RR_BENCH_DIR:-}" ]; then
  dir=$RR_BENCH_DIR
  mkdir -p "$dir"
  keep=1
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/rr-reference-XXXXXX")
  keep=0
fi
cleanup () {
  if [ "$keep" = 0 ]; then
    rm -rf "$dir"
  fi
}
trap cleanup EXIT INT TERM

db=$dir/reference.db
export RR_BENCH_DB="$db"
export LC_ALL=C.UTF-8
export RR_LOCALEDIR="$build/po"
# bench-core keeps its baseline files beside the database only with RR_BENCH_DIR.
unset RR_BENCH_DIR

run () {
  name=$1
  shift
  echo "run-reference: $name …" >&2
  start=$(date +%s)
  if ! "$@" > "$dir/$name.log" 2> "$dir/$name.err"; then
    echo "run-reference: $name failed:" >&2
    tail -20 "$dir/$name.err" >&2
    keep=1
    exit 2
  fi
  echo "run-reference: $name done in $(( $(date +%s) - start )) s" >&2
}

if [ -e "$db" ]; then
  echo "run-reference: using $db as it is" >&2
fi
run core "$bench/bench-core" "$n"
run trail "$bench/bench-trail" "$n"
run report "$bench/bench-report" "$n"
if [ -n "${DISPLAY:-}" ]; then
  run app "$bench/bench-app" "$n"
else
  run app xvfb-run -a -s "-screen 0 1280x800x24" "$bench/bench-app" "$n"
fi

for name in core trail report app; do
  echo
  echo "=== bench-$name ==="
  cat "$dir/$name.log"
done

echo
summary "$dir"
if [ "$keep" = 1 ]; then
  echo "database and logs kept in $dir"
fi
