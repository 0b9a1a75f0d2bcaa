#!/usr/bin/env bash
# Side-by-side SGEMM throughput: NumPy on OpenBLAS (shared/anchors/gemm.py) against MLNetExt's Gemm.Sgemm,
# same sizes, same run, same methodology. usage: bench/compare-gemm.sh [threads...]   (default: 1 2)
# SIZES=128,256 overrides the sizes; GEMM_ANCHOR overrides the anchor script's path.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
anchor=${GEMM_ANCHOR:-$root/../shared/anchors/gemm.py}
sizes=${SIZES:-128,256,512,1024,2048}
threads=("$@")
((${#threads[@]})) || threads=(1 2)

dotnet build -c Release "$root/bench/MLNetExt.Bench" --nologo -v quiet >/dev/null
bench="$root/bench/MLNetExt.Bench/bin/Release/net10.0/MLNetExt.Bench.dll"

gflops() { sed -n 's/.*gflops=\([0-9.]*\).*/\1/p'; }
printf '%-6s %-8s %10s %10s %7s\n' n threads openblas mlnetext ratio
for t in "${threads[@]}"; do
  for n in ${sizes//,/ }; do
    ref=$(/usr/bin/python3 "$anchor" "$t" "$n" | gflops)
    ours=$(dotnet "$bench" gemm --threads "$t" --sizes "$n" 2>/dev/null | gflops)
    printf '%-6s %-8s %10s %10s %7s\n' "$n" "$t" "$ref" "$ours" "$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')"
  done
done
