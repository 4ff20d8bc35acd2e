#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the dashboard's browser tests and prints its path
# as the last line of stdout (everything else goes to stderr):
#
#   export CUTOVER_CHROMIUM=$(scripts/chromium.sh)
#
# Installs Debian's chromium package when it is missing and we are root (CI machines start
# clean); otherwise fails naming the package. Playwright's own browser download cannot work here,
# so the tests drive this one.
set -euo pipefail

browser="${CUTOVER_CHROMIUM:-/usr/bin/chromium}"

say() { echo "chromium.sh: $*" >&2; }

if [[ -x "$browser" ]]; then
    echo "$browser"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    say "no Chromium at $browser. Install Debian's chromium package ('sudo apt-get install chromium'), or run this script as root to install it, then run the tests again."
    exit 1
fi

say "installing Chromium (apt-get install chromium)"
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
if [[ ! -x "$browser" ]]; then
    say "apt-get installed chromium but $browser did not appear."
    exit 1
fi

echo "$browser"
