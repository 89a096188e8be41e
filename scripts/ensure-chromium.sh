#!/bin/sh
# The page tests drive Debian's chromium (never a downloaded browser): install it when it
# is missing, as root (CI, containers); otherwise say the one command that does.
set -e
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium for the page tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "ensure-chromium: the page tests need /usr/bin/chromium: run  sudo apt-get install chromium" >&2
exit 1
