#!/usr/bin/env bash
# The bulk paths on a 1 M-event JSON-lines file, beside the raw-LMDB C cursor scan run in
# the same window: `import` (durable) and `replay` to a file, with events/s and the ratio
# to the C scan. Goals (issue 13): import >= 250,000 events/s, replay >= 1,000,000/s.
# Checks what it measured and exits 1 when it does not hold: every line imported, the
# replay printing every event, and the replay re-importing into a fresh store to the
# same count.
#
#   Benchmarks/bulk.sh            # 1,000,000 lines
#   Benchmarks/bulk.sh 100000     # fewer, for a quick look
#   BULK_KEEP=/tmp/bulk Benchmarks/bulk.sh   # keep the file, stores and replay output there
#   BULK_IDS=random Benchmarks/bulk.sh        # random (version 4) ids instead of time-ordered
#   BULK_BINARY=/tmp/old/smartcontent Benchmarks/bulk.sh   # measure another build
#   BULK_RUNS=5 Benchmarks/bulk.sh            # median of 5 runs of each step (default 3)
#
# The file is the same on every run (seeded): every 25th line a ContentCreated, the rest
# EngagementRecorded over the contents created so far (~76 % views), by 10,000 readers
# named reader-N (none a usr_ id, so every one becomes a pseudonym), every line with an id.
# Ids are time-ordered (version 7, from recordedAt) as the engine mints them, so a replay of
# any of its logs carries such ids; random ones (BULK_IDS=random) land all over the id
# index, and each batch then rewrites ~1 page of it per event.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
ids=${BULK_IDS:-ordered}
reference=../shared/reference/lmdb-limit/lmdb_bench.c
[ -f "$reference" ] || reference=/work/shared/reference/lmdb-limit/lmdb_bench.c
if [ -n "${BULK_KEEP:-}" ]; then
    scratch=$BULK_KEEP
    mkdir -p "$scratch"
    rm -rf "$scratch"/store "$scratch"/copy "$scratch"/lmdb
else
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
fi
# Runs a command under /usr/bin/time (seconds, peak RSS) and samples its anonymous RSS
# (RssAnon: the heap, without the store's memory map, which the peak RSS counts) every
# 0.1 s, keeping the highest.
timing() {
    /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" &
    local timer=$! child="" anon=0 key value
    while kill -0 "$timer" 2>/dev/null; do
        [ -n "$child" ] || child=$(pgrep -P "$timer" || true)
        if [ -n "$child" ] && [ -r "/proc/$child/status" ]; then
            while read -r key value _; do
                [ "$key" = "RssAnon:" ] && [ "$value" -gt "$anon" ] && anon=$value
            done < "/proc/$child/status" 2>/dev/null || true
        fi
        sleep 0.1
    done
    wait "$timer"
    echo "$anon" > "$scratch/anon"
}
seconds() { cut -d' ' -f1 "$scratch/time"; }
peak_mb() { echo "$(( $(cut -d' ' -f2 "$scratch/time") / 1024 )) MB (anonymous $(( $(cat "$scratch/anon") / 1024 )) MB)"; }
rate() { python3 -c "import sys; print(round(int(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
ratio() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

file=$scratch/events-$lines-$ids.jsonl
if [ ! -f "$file" ]; then
    python3 - "$lines" "$ids" > "$file" <<'PY'
import datetime, random, sys, uuid
total, ordered = int(sys.argv[1]), sys.argv[2] == "ordered"
rng = random.Random(13)
out = sys.stdout
kinds = ["view"] * 76 + ["click"] * 12 + ["share"] * 6 + ["engagement"] * 3 + ["conversion"] * 3
channels = ["web", "newsletter", "social", "email"]
tones = ["professional", "casual", "friendly", "informative"]
types = ["blog_post", "article", "newsletter", "social_media"]
base = 1767225600000  # 2026-01-01T00:00:00Z
def iso(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)
contents = 0
for n in range(total):
    at = base + n * 2500
    bits = rng.getrandbits(128)
    if ordered:  # version 7: 48 bits of milliseconds, then random bits
        ident = uuid.UUID(int=((at + 1000) << 80) | (0x7 << 76) | (bits & ((1 << 76) - 1) & ~(0xC << 60)) | (0x8 << 60))
    else:
        ident = uuid.UUID(int=bits, version=4)
    if n % 25 == 0:
        c = contents
        contents += 1
        author = "usr_author%d" % (c % 50)
        body = "Notes on topic %d for the team: what changed, why it matters, and what to try next week." % c
        out.write('{"stream":"content-cnt_%d","type":"ContentCreated","id":"%s","recordedAt":"%s",'
                  '"metadata":{"actor":"%s","workspaceId":"wsp_bench"},"data":{"contentId":"cnt_%d",'
                  '"workspaceId":"wsp_bench","authorId":"%s","title":"Post %d","body":"%s","contentType":"%s",'
                  '"tone":"%s","keywords":["AI","content"]}}\n'
                  % (c, ident, iso(at), author, c, author, c, body, types[c % 4], tones[c % 4]))
    else:
        c = rng.randrange(contents)
        kind = rng.choice(kinds)
        value = ',"value":%s' % rng.choice(["19.99", "49.5", "5"]) if kind == "conversion" else ""
        out.write('{"stream":"engagement-cnt_%d","type":"EngagementRecorded","id":"%s","recordedAt":"%s",'
                  '"metadata":{"actor":"system","workspaceId":"wsp_bench"},"data":{"contentId":"cnt_%d",'
                  '"kind":"%s","userId":"reader-%d","channel":"%s","occurredAt":"%s"%s}}\n'
                  % (c, ident, iso(at + 1000), c, kind, rng.randrange(10000), rng.choice(channels), iso(at - 60000), value))
PY
fi
echo "file: $lines lines, $ids ids, $(( $(stat -c %s "$file") / lines )) bytes a line, md5 $(md5sum < "$file" | cut -c1-12)"

# The raw-LMDB reference: fill a log of 1 M 300-byte events (durable batches of 1000),
# then scan it with a cursor, touching every byte.
gcc -O2 -o "$scratch/lmdb_bench" "$reference" -llmdb
"$scratch/lmdb_bench" "$scratch/lmdb" batch 1000000 1000 sync > "$scratch/c-batch.json"
"$scratch/lmdb_bench" "$scratch/lmdb" scan > "$scratch/c-scan.json"
c_scan=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$scratch/c-scan.json")
c_batch=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['events_per_s'])" "$scratch/c-batch.json")
c_scan_events=$(( lines < 1000000 ? lines : 1000000 ))
# The scan time scaled to this file's event count, so ratios compare like with like.
c_scan_here=$(python3 -c "import sys; print(float(sys.argv[1]) * int(sys.argv[2]) / 1000000)" "$c_scan" "$c_scan_events")
echo "C reference: scan of 1 M events ${c_scan} s (warm); durable batches of 1000: ${c_batch} events/s"

if [ -n "${BULK_BINARY:-}" ]; then
    binary=$BULK_BINARY
else
    swift build -c release --product smartcontent >/dev/null
    binary=.build/release/smartcontent
fi

# Each timed step runs $runs times (BULK_RUNS, default 3) and reports the median: on a
# shared VM single runs of the same work differ by a quarter.
runs=${BULK_RUNS:-3}
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

import_times=()
for run in $(seq "$runs"); do
    rm -rf "$scratch/store"
    sync  # the previous step's writeback is not this step's cost
    timing "$binary" import --data "$scratch/store" "$file" > "$scratch/import.json"
    import_times+=("$(seconds)"); import_mb=$(peak_mb)
    imported=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['imported'])" "$scratch/import.json")
    [ "$imported" = "$lines" ] || fail "import appended $imported of $lines lines"
done
import_s=$(median "${import_times[@]}")
echo "import: median ${import_s} s of ${import_times[*]}, $(rate "$lines" "$import_s") events/s, $(ratio "$import_s" "$c_scan_here")x the C scan, peak RSS of the last run ${import_mb} (goal >= 250000 events/s)"

replay_times=()
for run in $(seq "$runs"); do
    rm -f "$scratch/replay.jsonl"
    sync
    timing "$binary" replay --data "$scratch/store" > "$scratch/replay.jsonl"
    replay_times+=("$(seconds)"); replay_mb=$(peak_mb)
    replayed=$(wc -l < "$scratch/replay.jsonl")
    [ "$replayed" = "$lines" ] || fail "replay printed $replayed of $lines events"
done
replay_s=$(median "${replay_times[@]}")
echo "replay: median ${replay_s} s of ${replay_times[*]}, $(rate "$lines" "$replay_s") events/s, $(ratio "$replay_s" "$c_scan_here")x the C scan, peak RSS of the last run ${replay_mb} (goal >= 1000000 events/s)"
echo "replay output: md5 $(md5sum < "$scratch/replay.jsonl" | cut -c1-12)"

# What replay prints must import again, to the same events.
sync
timing "$binary" import --data "$scratch/copy" "$scratch/replay.jsonl" > "$scratch/reimport.json"
reimport_s=$(seconds); reimport_mb=$(peak_mb)
reimported=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['imported'])" "$scratch/reimport.json")
[ "$reimported" = "$lines" ] || fail "the replay re-imported $reimported of $lines events"
echo "re-import of the replay: ${reimport_s} s, $(rate "$lines" "$reimport_s") events/s, peak RSS ${reimport_mb}"
exit $failed
