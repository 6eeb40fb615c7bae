#!/usr/bin/env bash
# Installs the headless browser for the viewer's browser test (ViewerBrowserITCase): the Debian
# packages chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver).
# Does nothing when Chromium is already there or when not running as root (the test then skips
# visibly). Called from .ci/run before the build.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "install-chromium: chromium and chromedriver present" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-chromium: not root; the browser test will be skipped" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get (not Debian or Ubuntu); the browser test will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q && apt-get install -y -q chromium chromium-driver
