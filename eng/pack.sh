#!/usr/bin/env bash
# Packs Velero.Sdk and Velero.Sdk.Testing (with .snupkg symbols) into artifacts/packages and checks
# that each .nupkg carries the dll, its XML docs, README.md and LICENSE.
# Usage: bash eng/pack.sh [extra dotnet pack arguments]   (CI=true makes the build deterministic)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
config="${CONFIGURATION:-Release}"
out="$root/artifacts/packages"
rm -rf "$out"
mkdir -p "$out"

# SourceLink maps the sources to the commit on the 'origin' remote; without one the pdbs carry no SourceLink.
if ! git remote get-url origin >/dev/null 2>&1; then
  echo "warning: this repository has no 'origin' remote: the symbols will have no SourceLink" >&2
fi

status=0
for project in Velero.Sdk Velero.Sdk.Testing; do
  dotnet pack "src/$project/$project.csproj" -c "$config" -o "$out" -nologo "$@"
  nupkg="$(ls "$out/$project".[0-9]*.nupkg)"
  listing="$(unzip -Z1 "$nupkg")"
  for entry in README.md LICENSE "lib/net10.0/$project.dll" "lib/net10.0/$project.xml"; do
    if ! grep -qxF "$entry" <<<"$listing"; then
      echo "error: $entry is missing from $nupkg" >&2
      status=1
    fi
  done
  if [ ! -f "${nupkg%.nupkg}.snupkg" ]; then
    echo "error: ${nupkg%.nupkg}.snupkg (symbols) is missing" >&2
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "packages in $out:" && ls "$out"
exit "$status"
