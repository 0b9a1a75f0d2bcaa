#!/usr/bin/env bash
# Side-by-side transformer encoder classifier throughput: PyTorch 1.13 under each thread setting (torch x OpenBLAS,
# 1 or 2 each; bench/anchors-attention/transformer.py) against MLNetExt's (bench transformer command) on 1 and 2
# threads, same model, shapes, step and timing method; each side's best figure per line is kept. The last line sets
# our inference against ONNX Runtime running our exported graph.
# usage: bench/compare-transformer.sh [B T V d H N F C]   (default 32 128 10000 128 4 2 512 2)
# ROUNDS=2 interleaves that many rounds of (PyTorch, MLNetExt): this VM's second core comes and goes for seconds at a
# time, and interleaving gives both sides the same chances at a quiet machine.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
shape=("$@")
((${#shape[@]})) || shape=(32 128 10000 128 4 2 512 2)

dotnet build -c Release "$root/bench/MLNetExt.Bench" --nologo -v quiet >/dev/null
bench="$root/bench/MLNetExt.Bench/bin/Release/net10.0/MLNetExt.Bench.dll"

best() { awk '{key=$1" "$2; v=$0; sub(/.*seq_per_s=/,"",v); sub(/ .*/,"",v); if (v+0 > best[key]+0) {best[key]=v; line[key]=$0}}
              END {for (k in line) print line[k]}' | sort; }
rounds=${ROUNDS:-2}
ref=""; ours=""
for ((round = 0; round < rounds; round++)); do
  ref+=$(for t in 1 2; do for b in 1 2; do /usr/bin/python3 "$root/bench/anchors-attention/transformer.py" $t $b "${shape[@]}"; done; done)$'\n'
  ours+=$(for t in 1 2; do dotnet "$bench" transformer --threads "$t" --shape "$(IFS=,; echo "${shape[*]}")"; done)$'\n'
done
ref=$(echo "$ref" | grep . | best)
ours=$(echo "$ours" | grep . | best)
echo "# PyTorch (best thread setting, best of $rounds rounds)"; echo "$ref"
echo "# MLNetExt (best of threads 1 and 2, best of $rounds rounds)"; echo "$ours"
rate() { sed -n "s/^transformer $1 .*seq_per_s=\([0-9.]*\).*/\1/p"; }
printf '%-6s %10s %10s %7s\n' mode pytorch mlnetext ratio
for mode in train infer; do
  a=$(echo "$ref" | rate "$mode"); b=$(echo "$ours" | rate "$mode")
  printf '%-6s %10s %10s %7s\n' "$mode" "$a" "$b" "$(awk -v a="$b" -v b="$a" 'BEGIN { printf "%.2f", a / b }')"
done
a=$(echo "$ours" | rate onnxruntime); b=$(echo "$ours" | rate infer)
printf '%-6s %10s %10s %7s   (ONNX Runtime 1.31 on our exported graph, in place of PyTorch)\n' infer "$a" "$b" "$(awk -v a="$b" -v b="$a" 'BEGIN { printf "%.2f", a / b }')"
