#!/usr/bin/env bash
# Debian's Chromium as the browser tests start it: the same browser with the features below off.
# Every new browser context opens a window, and each window preloads the address bar's drop-down as
# a WebUI page in a renderer of its own: about 4 s of CPU per context on this 2-core machine
# (12 logged-in session pages: 88 CPU-s with it, 40 without). Playwright passes its own
# --disable-features list and Chromium keeps only the last such switch, so the lists are merged
# here into one instead of passing ours beside Playwright's.
set -euo pipefail
off=WebUIOmniboxPopup,WebUIOmniboxAimPopup
args=()
for arg in "$@"; do
  case "$arg" in
    --disable-features=*) off="$off,${arg#--disable-features=}" ;;
    *) args+=("$arg") ;;
  esac
done
exec /usr/bin/chromium "--disable-features=$off" "${args[@]}"
