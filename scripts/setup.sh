#!/usr/bin/env bash
# The one place that installs system packages. Idempotent: installs only what is missing and
# says what it installs. Called by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the platform needs, by purpose:
#   libtorch-dev, libopenblas0-pthread, cmake, g++  - the tensor engine (OpenBLAS: ~25x faster matmul)
#   poppler-utils                                   - pdftotext, PDF text extraction for knowledge upload
#   chromium                                        - headless browser for the admin console's end-to-end tests (Playwright)
#   python3-yaml                                    - reads docker-compose*.yml in the deployment files test
# Tests compare against reference files committed with the scripts that made them; regenerating those needs
# python3-torch and Node (see each tests/**/reference/README.md), which the tests themselves do not.
packages=(libtorch-dev libopenblas0-pthread cmake g++ poppler-utils chromium python3-yaml)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup: installed ${missing[*]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dot.net); dotnet was not found on PATH" >&2
  exit 1
fi

# EF Core Design 10.0.14 depends on two package ids this registry copy lacks; pack empty placeholders once
# into the repo-local feed named in nuget.config (../shared/DEPENDENCIES.md §3).
stubs=nuget-stubs/packages
mkdir -p "$stubs"
for spec in Mono.TextTemplating:3.0.0 Microsoft.VisualStudio.SolutionPersistence:1.0.52; do
  id=${spec%%:*}; version=${spec##*:}
  if [ ! -f "$stubs/$id.$version.nupkg" ]; then
    dotnet pack nuget-stubs/src/Stub.csproj -nologo -v q -o "$stubs" -p:PackageId="$id" -p:Version="$version" >/dev/null
    echo "setup: packed placeholder $id $version"
  fi
done
