#!/usr/bin/env bash
# Check (and as root, install) the Debian packages blogstats needs to build
# and test. Quiet when everything is present.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/deps.sh [--help] [EXTRA_PACKAGE...]

Checks that the Debian packages blogstats needs to build and test are
installed: libsqlite3-dev libmicrohttpd-dev zlib1g-dev sqlite3 curl openssl,
chromium (only the dashboard's browser tests use it), plus any EXTRA_PACKAGE
given.

  all present        prints nothing, exits 0
  missing, as root   runs apt-get update and apt-get install -y for them
  missing, not root  prints the sudo apt-get install -y line and exits 1;
                     when only chromium is missing it says so and exits 0
                     (the browser tests are then skipped)
EOF
}

case "${1:-}" in
-h | --help) usage; exit 0 ;;
-*) echo "deps.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
esac

packages=(libsqlite3-dev libmicrohttpd-dev zlib1g-dev libcurl4-openssl-dev sqlite3 curl openssl "$@")

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps.sh: dpkg-query not found; this script knows Debian/Ubuntu only." >&2
  echo "deps.sh: install these packages (or their equivalents): ${packages[*]}" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == *" installed" ]] || missing+=("$package")
done

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if [ "${missing[*]}" = "chromium" ]; then
    echo "deps.sh: chromium is not installed: the dashboard's browser tests will be skipped" >&2
    echo "deps.sh: (sudo apt-get install -y chromium runs them)" >&2
    exit 0
  fi
  echo "deps.sh: missing Debian packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}"
  exit 1
fi

echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
