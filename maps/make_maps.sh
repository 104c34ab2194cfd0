#!/bin/sh
# Regenerate the example maps in maps/ from the example data in examples/.
# Usage: sh maps/make_maps.sh          (from the repository root; needs geoevents installed)
# Every map is offline (no network request when opened) and byte-identical on each run.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The worked example: one news report, events extracted from the text.
geoevents map examples/baghdad-2023-12-08.txt --published 2023-12-08 --offline \
    --title "Rockets at the Green Zone and the regional escalation (report of 8 December 2023)" \
    -o maps/baghdad-2023-12-08.html

# All example reports in one map (each report with its own publication date).
for f in examples/*-20[0-9][0-9]-[0-9][0-9]-[0-9][0-9].txt; do
    python3 - "$f" >>"$tmp/articles.jsonl" <<'PY'
import json, re, sys
p = sys.argv[1]
d = re.search(r"(\d{4}-\d{2}-\d{2})\.txt$", p).group(1)
print(json.dumps({"id": p.rsplit("/", 1)[-1], "published": d,
                  "text": open(p, encoding="utf-8").read()}))
PY
done
geoevents map "$tmp/articles.jsonl" --offline --title "Events in the example reports" \
    -o maps/example-reports.html

# Hand-written event records (ACLED-style CSV), coloured by event type.
geoevents map examples/events-sample.csv --offline \
    --title "Sample event records, Oct-Dec 2023" -o maps/events-sample.html

# 10,000 synthetic events at real gazetteer places: the compact canvas layer.
python3 examples/synthetic_events.py 10000 --seed 42 -o "$tmp/synthetic-10k.csv"
geoevents map "$tmp/synthetic-10k.csv" --offline --title "10,000 synthetic events" \
    -o maps/synthetic-10k.html

ls -l maps/*.html
