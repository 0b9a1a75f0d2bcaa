#!/usr/bin/env bash
# Side-by-side dense-autoencoder throughput: one training epoch and batch scoring of F -> 128 -> 64 -> K -> 64 -> 128 -> F
# (ReLU, MSE, Adam lr 1e-3, batch B) in MLNetExt (bench autoencoder command), PyTorch 1.13 (anchors-autoencoder/autoencoder.py)
# and TorchSharp-cpu 0.107 on libtorch 2.10 (anchors-autoencoder/torchsharp, built here into a temporary folder, never part of
# the solution), on 1 and 2 threads, in ROUNDS (default 3) interleaved rounds, keeping each side's best figure per line.
# PyTorch's 2-thread figure is its best over torch x OpenBLAS threads 1/2, 2/1 and 2/2; its 1-thread figure is 1/1.
# Prints each side's rows/s and ours / the faster reference.
# Each side runs WARMUP (default 5) warm-up epochs and passes before its 3 timed ones (.NET's tiered JIT needs several
# epochs to replace its first code); each line also shows the first epoch or pass, JIT included.
# usage: bench/compare-autoencoder.sh [N F B K]   (default 16384 64 256 16)
# BENCH_LOCK=file runs every timing under flock(file), BUILD_LOCK=file every build; AE_PEERS_DIR keeps the TorchSharp build.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
here=$root/bench/anchors-autoencoder
shape=("$@")
((${#shape[@]})) || shape=(16384 64 256 16)
N=${shape[0]} F=${shape[1]} B=${shape[2]} K=${shape[3]}
rounds=${ROUNDS:-3}
W=${WARMUP:-5}
locked() { local lock=$1; shift; if [[ -n $lock ]]; then flock "$lock" "$@"; else "$@"; fi; }

w=${AE_PEERS_DIR:-$(mktemp -d)}
mkdir -p "$w"; rm -rf "$w/torchsharp"; cp -r "$here/torchsharp" "$w/"
locked "${BUILD_LOCK:-}" dotnet build -c Release "$root/bench/MLNetExt.Bench" --nologo -v quiet >"$w/bench-build.log" 2>&1 || { tail -20 "$w/bench-build.log"; exit 1; }
bench="$root/bench/MLNetExt.Bench/bin/Release/net10.0/MLNetExt.Bench.dll"
locked "${BUILD_LOCK:-}" dotnet build -c Release "$w/torchsharp/TorchSharpAutoencoder.csproj" -v q -nologo >"$w/ts-build.log" 2>&1 || { tail -20 "$w/ts-build.log"; exit 1; }
ts="$w/torchsharp/bin/Release/net10.0/TorchSharpAutoencoder.dll"

all=""
for ((round = 0; round < rounds; round++)); do
  for t in 1 2; do
    all+=$(locked "${BENCH_LOCK:-}" dotnet "$bench" autoencoder --threads "$t" --rows "$N" --features "$F" --batch "$B" --code "$K" --warmup "$W" | sed 's/^/mlnetext /')$'\n'
    all+=$(locked "${BENCH_LOCK:-}" dotnet "$ts" "$t" "$N" "$F" "$B" "$K" "$W" | sed 's/^/torchsharp /')$'\n'
    if ((t == 1)); then settings="1 1"; else settings="1 2
2 1
2 2"; fi
    while read -r a b; do
      all+=$(locked "${BENCH_LOCK:-}" /usr/bin/python3 "$here/autoencoder.py" "$a" "$b" "$N" "$F" "$B" "$K" "$W" | sed 's/^/pytorch /')$'\n'
    done <<<"$settings"
  done
done
# Key: side mode cores (PyTorch's threads=a/b counts max(a, b) cores); keep each key's best line.
best=$(echo "$all" | grep . | awk '{
    split($4, th, /[=\/]/); cores = th[2]; if (th[3] + 0 > cores + 0) cores = th[3]
    v = $0; sub(/.*rows_per_s=/, "", v); sub(/ .*/, "", v)
    key = $1 " " $3 " " cores
    if (v + 0 > rate[key] + 0) { rate[key] = v; line[key] = $0 }
  } END { for (k in line) print k, rate[k], "|", line[k] }' | sort)
echo "# best of $rounds interleaved rounds (rows/s); N=$N F=$F hidden=128,64 code=$K batch=$B"
echo "$best" | sed 's/^[^|]*| //'
get() { echo "$best" | awk -v k="$1 $2 $3" '$1" "$2" "$3 == k { print $4 }'; }
printf '%-6s %-7s %10s %10s %10s %7s\n' mode threads pytorch torchsharp mlnetext ratio
for mode in train score; do
  for t in 1 2; do
    p=$(get pytorch "$mode" "$t"); s=$(get torchsharp "$mode" "$t"); m=$(get mlnetext "$mode" "$t")
    printf '%-6s %-7s %10s %10s %10s %7s\n' "$mode" "$t" "$p" "$s" "$m" \
      "$(awk -v m="$m" -v p="$p" -v s="$s" 'BEGIN { f = p + 0 > s + 0 ? p : s; printf "%.2f", m / f }')"
  done
done
