#!/usr/bin/env bash
# Runs every test of MLNetExt on a fresh machine: restores packages from NuGet, builds in Release, runs the
# whole suite, then runs the engine tests again with AVX-512, with AVX2 and with all SIMD switched off so that the
# Vector256, Vector128 (ARM64's width) and scalar code paths run too (and word2vec's kernels with AVX2 off), and
# finally packs MLNetExt and uses the packages from a fresh console app
# (test/package-smoke.sh). Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0
failed=0
run() {
  local label=$1; shift
  echo "== $label"
  local log
  log=$(mktemp)
  set +e
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, ..."
  while read -r f p; do
    passed=$((passed + p)); failed=$((failed + f))
  done < <(sed -nE 's/.*Failed: *([0-9]+), Passed: *([0-9]+),.*/\1 \2/p' "$log")
  rm -f "$log"
  if [ "$status" -ne 0 ]; then any_failure=1; fi
}
any_failure=0

dotnet build MLNetExt.sln -c Release -warnaserror
run "all tests" dotnet test MLNetExt.sln -c Release --no-build
run "engine tests, AVX-512 off" env DOTNET_EnableAVX512=0 dotnet test test/MLNetExt.Core.Tests -c Release --no-build
run "engine tests, AVX2 off (the Vector128 forms, as on ARM64)" env DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0 dotnet test test/MLNetExt.Core.Tests -c Release --no-build
run "engine tests, SIMD off (the scalar forms)" env DOTNET_EnableHWIntrinsic=0 dotnet test test/MLNetExt.Core.Tests -c Release --no-build
run "word2vec kernels, AVX2 off" env DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0 dotnet test test/MLNetExt.Trainers.Tests -c Release --no-build --filter "FullyQualifiedName~Word2VecInternals"
run "package smoke test (pack, fresh console app, LSTM save/reload)" bash test/package-smoke.sh

echo "tests: $passed passed, $failed failed"
[ "$any_failure" -eq 0 ] && [ "$failed" -eq 0 ]
