#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium and its matching WebDriver
# (the docs browser test drives /usr/bin/chromium through /usr/bin/chromedriver).
# fonts-liberation gives the screenshots real text. Idempotent: does nothing when both are there. Installs with apt-get as root, or
# through passwordless sudo; otherwise says what is missing and leaves it to the tests
# (which fail when CI is set and skip with a reason locally).
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)  # readable screenshots
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "setup-system: missing ${need[*]}; run as root: apt-get install -y ${need[*]}" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: no apt-get here; install ${need[*]} (Chromium and its WebDriver) yourself" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
echo "setup-system: installed ${need[*]}"
