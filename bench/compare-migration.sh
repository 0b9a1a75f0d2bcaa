#!/usr/bin/env bash
# Before and after the move onto Microsoft.ML, in one run: LSTM training throughput through the estimator
# (B=64, T=50, E=100, H=128, vocabulary 10,000) and single-row PredictionEngine latency (bench/EstimatorBench).
# "Before" is BEFORE (default 4a1646a: the last commit on our own copy of ML.NET's API), checked out into a
# temporary worktree and built with the same Program.cs (BEFORE_MIGRATION defined); "after" is this tree.
# ROUNDS (default 3) interleaves rounds of (before, after) and keeps each side's best: this VM's second core comes and
# goes for seconds at a time, and interleaving gives both sides the same chances at a quiet machine.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
before=${BEFORE:-4a1646a}
rounds=${ROUNDS:-3}
scratch=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$scratch/before" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT

git -C "$root" worktree add --detach "$scratch/before" "$before" >/dev/null 2>&1
mkdir -p "$scratch/before/bench/EstimatorBench"
cp "$root/bench/EstimatorBench/EstimatorBench.csproj" "$root/bench/EstimatorBench/Program.cs" "$scratch/before/bench/EstimatorBench/"
dotnet build -c Release "$scratch/before/bench/EstimatorBench" -p:MLNetExtSource="$scratch/before" \
  -p:DefineConstants=BEFORE_MIGRATION --nologo -v quiet -o "$scratch/out-before" >/dev/null
dotnet build -c Release "$root/bench/EstimatorBench" --nologo -v quiet -o "$scratch/out-after" >/dev/null

all_before=""; all_after=""
for ((round = 0; round < rounds; round++)); do
  all_before+=$(dotnet "$scratch/out-before/EstimatorBench.dll")$'\n'
  all_after+=$(dotnet "$scratch/out-after/EstimatorBench.dll")$'\n'
done
best_rate() { grep "^train " | sed 's/.*seq_per_s=//' | sort -n | tail -1; }
best_latency() { grep "^$1 " | sed 's/.*median_us=\([0-9.]*\).*/\1/' | sort -n | head -1; }
echo "# before ($before) and after, best of $rounds interleaved rounds"
printf '%-38s %10s %10s %7s\n' figure before after ratio
b=$(echo "$all_before" | best_rate); a=$(echo "$all_after" | best_rate)
printf '%-38s %10s %10s %7s\n' "LSTM training, sequences/s" "$b" "$a" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
b=$(echo "$all_before" | best_latency predict); a=$(echo "$all_after" | best_latency predict)
printf '%-38s %10s %10s %7s\n' "PredictionEngine, median µs/row" "$b" "$a" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')"
o=$(echo "$all_after" | best_latency predict-onnx)
printf '%-38s %10s %10s\n' "saved model in plain ML.NET, median µs/row" "" "$o"
