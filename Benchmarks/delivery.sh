#!/usr/bin/env bash
# Delivery load, checked (exits 1 when a delivery is lost, repeated or late):
#   - sustained: jobs requested at a rate for some seconds, delivered to a keep-alive
#     receiver in the same process, every attempt recorded durably (goal >= 3,000/s, p99
#     from request to the receiver < 1 s);
#   - schedules: 10,000 schedules due in the same minute, fired and delivered (goal: all
#     within 60 s of their time, each once).
#
#   Benchmarks/delivery.sh [rate, default 3000] [seconds, default 10] [schedules, default 10000]
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product DeliveryLoad >/dev/null
binary=.build/release/DeliveryLoad
"$binary" sustained "${1:-3000}" "${2:-10}"
"$binary" schedules "${3:-10000}"
