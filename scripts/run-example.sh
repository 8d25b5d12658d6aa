#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the agtel binary (Release)
# and runs its example, an agent program that prints its trace tree to the console.
# Arguments go to `agtel example`.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/setup.sh"
"$repo/scripts/build.sh" release agtel_cli >&2
exec "${AGTEL_BUILD_ROOT:-$repo/build}/release/src/cli/agtel" example "$@"
