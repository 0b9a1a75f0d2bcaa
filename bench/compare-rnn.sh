#!/usr/bin/env bash
# Side-by-side sequence-model throughput: PyTorch 1.13 at its best thread setting (shared/anchors/rnn-best.sh)
# against MLNetExt's fused LSTM/GRU (bench rnn command), same model, shapes, step and timing method.
# usage: bench/compare-rnn.sh [B T V E H C]   (default 64 50 10000 100 128 2)
# THREADS="1 2" sets the MLNetExt thread counts tried (the best is kept); RNN_ANCHOR overrides the anchor's path.
# ROUNDS=2 interleaves that many rounds of (anchor, MLNetExt) and keeps each side's best: this VM's second core
# comes and goes for seconds at a time, and interleaving gives both sides the same chances at a quiet machine.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
anchor=${RNN_ANCHOR:-$root/../shared/anchors/rnn-best.sh}
shape=("$@")
((${#shape[@]})) || shape=(64 50 10000 100 128 2)
threads=${THREADS:-1 2}

dotnet build -c Release "$root/bench/MLNetExt.Bench" --nologo -v quiet >/dev/null
bench="$root/bench/MLNetExt.Bench/bin/Release/net10.0/MLNetExt.Bench.dll"

best() { awk '{key=$1" "$2; v=$0; sub(/.*seq_per_s=/,"",v); sub(/ .*/,"",v); if (v+0 > best[key]+0) {best[key]=v; line[key]=$0}}
              END {for (k in line) print line[k]}' | sort; }
rounds=${ROUNDS:-2}
ref=""; ours=""
for ((round = 0; round < rounds; round++)); do
  ref+=$("$anchor" "${shape[@]}")$'\n'
  ours+=$(for t in $threads; do dotnet "$bench" rnn --threads "$t" --shape "$(IFS=,; echo "${shape[*]}")"; done)$'\n'
done
ref=$(echo "$ref" | grep . | best)
ours=$(echo "$ours" | grep . | best)
echo "# PyTorch (best thread setting, best of $rounds rounds)"; echo "$ref"
echo "# MLNetExt (best of threads: $threads, best of $rounds rounds)"; echo "$ours"
rate() { sed -n "s/^$1 $2 .*seq_per_s=\([0-9.]*\).*/\1/p"; }
printf '%-5s %-6s %10s %10s %7s\n' cell mode pytorch mlnetext ratio
for cell in lstm gru; do
  for mode in train infer; do
    a=$(echo "$ref" | rate "$cell" "$mode"); b=$(echo "$ours" | rate "$cell" "$mode")
    printf '%-5s %-6s %10s %10s %7s\n' "$cell" "$mode" "$a" "$b" "$(awk -v a="$b" -v b="$a" 'BEGIN { printf "%.2f", a / b }')"
  done
done
