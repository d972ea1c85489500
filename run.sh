#!/usr/bin/env bash
# Sets up what is missing, builds, and starts ChatPlatform with embedded defaults.
# Until the admin console lands (see README, "Status"), this runs the `chatplatform` command line:
# with no arguments it shows the engine's configuration; any arguments go to the CLI.
set -euo pipefail
cd "$(dirname "$0")"

./scripts/setup.sh
dotnet build src/ChatPlatform.Cli -c Release -nologo -v q

cli=src/ChatPlatform.Cli/bin/Release/net10.0/chatplatform.dll
data_dir=${CHATPLATFORM_DATA_DIR:-data}
if [ ! -f "$data_dir/chatplatform.db" ]; then
  # First run: the Penguin Wood demo (support logs, pending examples, product docs) so there is something to explore.
  dotnet "$cli" demo --data-dir "$data_dir"
fi
if [ $# -eq 0 ]; then
  dotnet "$cli" info
  echo
  dotnet "$cli" --help
else
  exec dotnet "$cli" "$@"
fi
