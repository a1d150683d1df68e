#!/usr/bin/env bash
# Runs every test of Velero.Sdk on a fresh machine: restores, builds (warnings are errors) and tests.
# Usage: bash eng/test.sh [extra dotnet test arguments]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -d ../shared/testdata ]; then
  echo "error: ../shared/testdata not found beside the repository ($root/../shared): tests read real data from it" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
config="${CONFIGURATION:-Release}"

dotnet build Velero.Sdk.sln -c "$config" -warnaserror -nologo -clp:NoSummary
dotnet format Velero.Sdk.sln --verify-no-changes --no-restore

# The PowerShell sample's tests run it with PowerShell 7.6.9, a local dotnet tool pinned in .config/dotnet-tools.json.
dotnet tool restore

# The AWS provider tests run against moto and s3rver, installed and started by the project (eng/test-servers.sh).
log="$(mktemp)"
trap 'rm -f "$log"; bash eng/test-servers.sh stop' EXIT
bash eng/test-servers.sh start
set -a
# shellcheck source=/dev/null
. .test-servers/env
set +a
set +e
dotnet test Velero.Sdk.sln -c "$config" --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line over every test assembly: "N passed, N failed, N skipped".
awk '
  /(Passed|Failed)!  *- *Failed:/ {
    for (i = 1; i <= NF; i++) {
      v = $(i+1); gsub(/,/, "", v)
      if ($i == "Failed:") f += v; else if ($i == "Passed:") p += v; else if ($i == "Skipped:") s += v
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
exit "$status"
