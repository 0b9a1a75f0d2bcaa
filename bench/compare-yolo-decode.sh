#!/usr/bin/env bash
# Side-by-side decoding + NMS of a YOLOv8 output [1, 84, 8400] (80 classes): MLNetExt (bench yolo-decode command:
# YoloDecoding.DecodeYoloV8 + per-class NonMaxSuppression) against Ultralytics' post-processing on torchvision 0.14's
# batched_nms (anchors-detection/yolo_decode.py, Debian's PyTorch 1.13, 1 and 2 torch threads), on the same synthetic
# output (60 objects of 15-30 jittered candidates each, a weakly scored background), in ROUNDS (default 3) interleaved
# rounds, each side's best kept. Prints both figures (µs per output) and torchvision / ours (above 1: ours is faster).
# usage: bench/compare-yolo-decode.sh [N C OBJECTS]   (default 8400 80 60)
# BENCH_LOCK=file runs every timing under flock(file), BUILD_LOCK=file the build.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
here=$root/bench/anchors-detection
shape=("$@")
((${#shape[@]})) || shape=(8400 80 60)
N=${shape[0]} C=${shape[1]} OBJECTS=${shape[2]}
rounds=${ROUNDS:-3}
locked() { local lock=$1; shift; if [[ -n $lock ]]; then flock "$lock" "$@"; else "$@"; fi; }

w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
locked "${BUILD_LOCK:-}" dotnet build -c Release "$root/bench/MLNetExt.Bench" --nologo -v quiet >"$w/build.log" 2>&1 || { tail -20 "$w/build.log"; exit 1; }
bench="$root/bench/MLNetExt.Bench/bin/Release/net10.0/MLNetExt.Bench.dll"
/usr/bin/python3 "$here/yolo_decode.py" write "$w/output.bin" "$N" "$C" "$OBJECTS" 0

all=""
for ((round = 0; round < rounds; round++)); do
  all+=$(locked "${BENCH_LOCK:-}" dotnet "$bench" yolo-decode --input "$w/output.bin" --boxes "$N" --classes "$C")$'\n'
  for t in 1 2; do
    all+=$(locked "${BENCH_LOCK:-}" /usr/bin/python3 "$here/yolo_decode.py" time "$w/output.bin" "$N" "$C" "$t")$'\n'
  done
done
best=$(echo "$all" | grep . | awk '{
    v = $0; sub(/.*us_per_call=/, "", v)
    key = $1 " " $3
    if (!(key in rate) || v + 0 < rate[key] + 0) { rate[key] = v; line[key] = $0 }
  } END { for (k in line) print k, rate[k], "|", line[k] }' | sort)
echo "# best of $rounds interleaved rounds (µs per output); N=$N C=$C objects=$OBJECTS"
echo "$best" | sed 's/^[^|]*| //'
get() { echo "$best" | awk -v k="$1 $2" '$1" "$2 == k { print $3 }'; }
m=$(get mlnetext threads=1)
for t in 1 2; do
  p=$(get torchvision "threads=$t")
  printf 'torchvision threads=%s: %s us, mlnetext (1 thread): %s us, torchvision / mlnetext = %s\n' "$t" "$p" "$m" \
    "$(awk -v m="$m" -v p="$p" 'BEGIN { printf "%.2f", p / m }')"
done
