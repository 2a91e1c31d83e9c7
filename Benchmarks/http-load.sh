#!/usr/bin/env bash
# Load figures of the HTTP API: the release server on loopback, measured by wrk. For GET
# of one content, of a 30-day content analytics and of the dashboard: p99 at 8
# connections (goal < 2 ms) and requests/s at 64 beside the bare /healthz (goal >= 60 %
# of it); and batched engagement ingestion (100 events a request). Exits 1 when any
# response was not 2xx.
#
#   apt-get install -y wrk && Benchmarks/http-load.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
swift build -c release --product smartcontent >/dev/null
binary=.build/release/smartcontent
scratch=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$scratch"' EXIT

# No rate limits: this measures the server, not the limiter.
"$binary" serve --data "$scratch/data" --port 0 --rate-limit-user 0 --rate-limit-ip 0 2>"$scratch/serve.log" &
server=$!
for _ in $(seq 1 300); do
    address=$(grep -o 'address=127.0.0.1:[0-9]*' "$scratch/serve.log" | head -1 | cut -d= -f2 || true)
    [ -n "$address" ] && break
    sleep 0.1
done
base="http://$address"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

curl -sf -XPOST "$base/v1/auth/register" -d '{"email":"load@example.com","password":"Correct-Horse-9","name":"Load"}' >/dev/null
token=$(curl -sf -XPOST "$base/v1/auth/login" -d '{"email":"load@example.com","password":"Correct-Horse-9"}' | json 'd["data"]["accessToken"]')
auth="Authorization: Bearer $token"
content=""
for n in $(seq 1 50); do
    id=$(curl -sf -XPOST "$base/v1/content" -H "$auth" -d "{\"title\":\"Post $n\",\"body\":\"Body $n\",\"contentType\":\"article\"}" | json 'd["data"]["contentId"]')
    content=${content:-$id}
done
# 30 days of engagement on the first content, and some on the others, for the dashboard.
python3 - "$content" > "$scratch/seed.json" <<'PY'
import json, sys, random
random.seed(7)
events = [{"contentId": sys.argv[1], "kind": random.choice(["view", "click", "share"]),
           "occurredAt": f"2026-11-{1 + i % 27:02d}T{i % 24:02d}:00:00Z"} for i in range(1000)]
print(json.dumps({"events": events}))
PY
for _ in 1 2 3; do curl -sf -XPOST "$base/v1/analytics/events" -H "$auth" --data-binary @"$scratch/seed.json" >/dev/null; done
python3 - "$content" > "$scratch/batch.json" <<'PY'
import json, sys
print(json.dumps({"events": [{"contentId": sys.argv[1], "kind": "view", "userId": f"reader-{i}"} for i in range(100)]}))
PY
cat > "$scratch/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$scratch/batch.json", "r"); wrk.body = f:read("*a"); f:close()
LUA
cat > "$scratch/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
sleep 1

failed=0
# Prints requests/s and p50/p99 for one endpoint at $1 connections; any response that is
# not 2xx, or any socket error, fails the whole run: a load test that counts 429s or
# errors measures them, not the server.
run() {
    local label=$1 connections=$2; shift 2
    local out
    out=$(wrk -t"${WRK_THREADS:-2}" -c"$connections" -d"${duration}s" --latency "$@")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    local p50
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    printf '%-46s c=%-3s %12s req/s   p50 %8s   p99 %8s\n' "$label" "$connections" "$rps" "$p50" "$p99"
    if echo "$out" | grep -qE "Non-2xx|Socket errors"; then
        echo "$out" | grep -E "Non-2xx|Socket errors" | sed 's/^/    FAILED: /'
        failed=1
    fi
}

# wrk prints latencies as 812.00us, 1.93ms or 1.02s.
milliseconds() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /ms$/) v += 0; else if (t ~ /s$/) v *= 1000; print v }'; }

echo "== HTTP load, $duration s per run, ${WRK_THREADS:-2} wrk threads, $(nproc) cores shared with the server"
gets=("GET /v1/content/{id}|$base/v1/content/$content"
      "GET /v1/analytics/content/{id} (30 days)|$base/v1/analytics/content/$content?from=2026-10-29&to=2026-11-27"
      "GET /v1/analytics/dashboard (30 days)|$base/v1/analytics/dashboard?from=2026-10-29&to=2026-11-27")

echo "-- latency: 8 connections, goal p99 < 2 ms"
for entry in "${gets[@]}"; do
    run "${entry%%|*}" 8 -s "$scratch/get.lua" "${entry#*|}"
    verdict=$(awk -v p="$(milliseconds "$p99")" 'BEGIN { print (p < 2 ? "meets" : "MISSES") }')
    echo "    p99 $(milliseconds "$p99") ms: $verdict the goal"
done

echo "-- throughput: 64 connections, goal >= 60 % of /healthz"
run "GET /healthz (ceiling)" 64 "$base/healthz"
ceiling=$rps
for entry in "${gets[@]}"; do
    run "${entry%%|*}" 64 -s "$scratch/get.lua" "${entry#*|}"
    awk -v r="$rps" -v c="$ceiling" 'BEGIN { s = 100 * r / c; printf "    %.0f %% of /healthz: %s the goal\n", s, (s >= 60 ? "meets" : "MISSES") }'
done
run "POST /v1/analytics/events (100 per request)" 64 -s "$scratch/post.lua" "$base/v1/analytics/events"
echo "(ingested events/s = 100 × the POST requests/s)"
if [ "$failed" -ne 0 ]; then
    echo "some responses were not 2xx, or sockets failed: these figures are not the server's" >&2
    exit 1
fi
