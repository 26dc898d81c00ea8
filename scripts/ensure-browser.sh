#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test when it is missing (root only; never downloads
# a browser build of its own). The test skips with a message when this could not install it.
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium not installed and cannot install it here; the browser test will be skipped" >&2
  exit 0
fi
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
  || echo "installing chromium failed; the browser test will be skipped" >&2
