#!/usr/bin/env bash
# Sets up what is missing, builds everything and runs every test; ends with "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

./scripts/setup.sh || exit 1
dotnet build ChatPlatform.sln -c Release -nologo -v q || { echo "0 passed, 1 failed, 0 skipped (build failed)"; exit 1; }

mkdir -p artifacts
dotnet test ChatPlatform.sln -c Release --no-build -nologo 2>&1 | tee artifacts/test.log
rc=${PIPESTATUS[0]}
awk '/^(Passed|Failed)!/{for(i=1;i<=NF;i++){if($i=="Failed:")f+=$(i+1);if($i=="Passed:")p+=$(i+1);if($i=="Skipped:")s+=$(i+1)}}
     END{printf "%d passed, %d failed, %d skipped\n",p,f,s}' artifacts/test.log
exit "$rc"
