#!/usr/bin/env bash
# Sets up what is missing, builds, and starts ChatPlatform with embedded defaults.
# Without arguments: the web app (admin console at /admin; the OpenAI-compatible /v1 API too when Serving__Model is
# set), data in ./data. With arguments: the `chatplatform` command line, e.g. ./run.sh info, ./run.sh knowledge list.
set -euo pipefail
cd "$(dirname "$0")"

./scripts/setup.sh

if [ $# -gt 0 ]; then
  dotnet build src/ChatPlatform.Cli -c Release -nologo -v q
  exec dotnet src/ChatPlatform.Cli/bin/Release/net10.0/chatplatform.dll "$@"
fi

# The command line references the web project, so this builds both.
dotnet build src/ChatPlatform.Cli -c Release -nologo -v q
url=${CHATPLATFORM_URL:-http://localhost:5000}
export Platform__DataDirectory=${Platform__DataDirectory:-$PWD/data}
if [ ! -f "$Platform__DataDirectory/chatplatform.db" ]; then
  # First run: the Penguin Wood demo (support logs, pending examples, product docs) so there is something to explore.
  dotnet src/ChatPlatform.Cli/bin/Release/net10.0/chatplatform.dll demo --data-dir "$Platform__DataDirectory"
fi
echo
echo "ChatPlatform: $url  (admin console: $url/admin, data: $Platform__DataDirectory)"
if [ -n "${Admin__Password:-}" ]; then
  echo "Admin login: ${Admin__Email:-admin@localhost} with the password in Admin__Password (used when the first admin is created)"
else
  echo "Admin login: ${Admin__Email:-admin@localhost}; on first run the one-time password is printed below (change it at first sign-in)."
  echo "             Set Admin__Password before the first run to choose it instead."
fi
echo
web=src/ChatPlatform.Web/bin/Release/net10.0
exec dotnet "$web/ChatPlatform.Web.dll" --contentRoot "$PWD/$web" --urls "$url"
