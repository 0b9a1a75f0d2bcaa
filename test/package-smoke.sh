#!/usr/bin/env bash
# Package smoke test: packs MLNetExt (the Release build must exist: test.sh builds first) into a temporary folder
# under a unique version, creates a fresh console app with `dotnet new console`, adds MLNetExt.Estimators from that
# folder and Microsoft.ML from the repo's NuGet source, runs test/PackageSmoke/Program.cs (an LSTM over ML.NET's text
# transforms, saved, reloaded, predicting) and checks its output. Exits non-zero on any failure.
#
# A script rather than an xunit test: it packs, restores from NuGet and builds a second app, a minute of work that
# needs the finished Release build and the network, which a unit test run should not depend on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# A version no earlier run used, so the global NuGet cache never serves a stale package; its cache folders are removed at exit.
version="0.0.0-test.$(date +%Y%m%d%H%M%S).$$"
work=$(mktemp -d)
packages_cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
cleanup() {
  rm -rf "$work"
  for id in mlnetext.core mlnetext.trainers mlnetext.transforms mlnetext.estimators; do
    rm -rf "${packages_cache:?}/$id/$version"
    rmdir --ignore-fail-on-non-empty "$packages_cache/$id" 2>/dev/null || true
  done
}
trap cleanup EXIT

dotnet pack "$root/MLNetExt.sln" -c Release --no-build -o "$work/packages" -p:Version="$version" -v:q -nologo
for id in MLNetExt.Core MLNetExt.Trainers MLNetExt.Transforms MLNetExt.Estimators; do
  test -f "$work/packages/$id.$version.nupkg" || { echo "package-smoke: $id.$version.nupkg was not packed" >&2; exit 1; }
done
unzip -p "$work/packages/MLNetExt.Estimators.$version.nupkg" MLNetExt.Estimators.nuspec | grep -q '<license type="expression">MIT</license>' \
  || { echo "package-smoke: MLNetExt.Estimators has no MIT license expression" >&2; exit 1; }

cd "$work"
dotnet new console -n Smoke -o app --framework net10.0 >/dev/null
cp "$root/nuget.config" app/nuget.config
dotnet nuget add source "$work/packages" --name local --configfile app/nuget.config >/dev/null
cp "$root/test/PackageSmoke/Program.cs" app/Program.cs
ml_version=$(sed -nE 's/.*Include="Microsoft.ML" Version="([^"]+)".*/\1/p' "$root/Directory.Packages.props")
dotnet add app package MLNetExt.Estimators --version "$version" --no-restore >/dev/null
dotnet add app package Microsoft.ML --version "$ml_version" --no-restore >/dev/null
dotnet build app -c Release -v:q -nologo
output=$(dotnet app/bin/Release/net10.0/Smoke.dll)
echo "$output"
grep -q '^smoke: ok$' <<<"$output"
echo "package-smoke: passed (MLNetExt $version)"
