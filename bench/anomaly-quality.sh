#!/usr/bin/env bash
# Issue 14's quality measurement: MLNetExt's autoencoder anomaly detectors side by side with ML.NET's RandomizedPca,
# scikit-learn's IsolationForest and a PyTorch rebuild of PyOD's AutoEncoder, on the same splits, plus PyOD's published
# figures: PyOD's ODDS protocol on the five sets in ../shared/data/odds/, then one-class 8x8 digits. See bench/README.md.
# usage: bench/anomaly-quality.sh [AnomalyQuality arguments, e.g. --only odds, --seeds 3, --set dense:DropoutRate=0.2]
# ODDS_DIR overrides the data folder, PYTHON the interpreter (default /usr/bin/python3: Debian's python3-sklearn and
# python3-torch, installed by shared/anchors/setup.sh), WORK_DIR keeps the splits (default: a temporary folder).
# BENCH_LOCK=file runs the measurements under flock(file), BUILD_LOCK=file the build.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
odds=${ODDS_DIR:-$root/../shared/data/odds}
python=${PYTHON:-/usr/bin/python3}
locked() { local lock=$1; shift; if [[ -n $lock ]]; then flock "$lock" "$@"; else "$@"; fi; }
work=${WORK_DIR:-$(mktemp -d)}
[[ -n ${WORK_DIR:-} ]] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

locked "${BUILD_LOCK:-}" dotnet build -c Release "$root/bench/AnomalyQuality" --nologo -v quiet >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }
start=$SECONDS
"$python" "$root/bench/anomaly_reference.py" splits "$odds" "$work"
locked "${BENCH_LOCK:-}" "$python" "$root/bench/anomaly_reference.py" references "$odds" "$work" >"$work/references.txt"
locked "${BENCH_LOCK:-}" dotnet "$root/bench/AnomalyQuality/bin/Release/net10.0/AnomalyQuality.dll" \
  --data "$work" --odds "$odds" --reference "$work/references.txt" "$@" 2>"$work/models.log" || { tail -20 "$work/models.log"; exit 1; }
echo
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $((SECONDS - start)) s"
[[ -z ${WORK_DIR:-} ]] || echo "splits, reference AUCs and one line per fitted model (models.log) are in $work"
