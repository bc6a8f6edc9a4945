#!/usr/bin/env bash
# Makes sure the system tools the tests drive are installed: GnuPG for the interop tests, Debian's
# Chromium and Firefox ESR for the browser tests (driven by playwright-core and puppeteer-core; never a
# downloaded browser), Debian's tor, whose `--verify-config` checks the torrc the deployment ships, and
# the document tools that check what the intake's cleaners leave in a file (exiftool, qpdf, pdfinfo,
# unzip), as an investigator's tools would read it.
# CANDOR_CHROMIUM and CANDOR_FIREFOX name other browser binaries, as the tests read them.
# Runs before `npm test`; installs with apt-get only when a tool is missing and we are root on Debian.
set -euo pipefail

missing=()
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
command -v gpgconf >/dev/null 2>&1 || missing+=(gpgconf)
[ -x "${CANDOR_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -x "${CANDOR_FIREFOX:-/usr/bin/firefox-esr}" ] || missing+=(firefox-esr)
command -v tor >/dev/null 2>&1 || missing+=(tor)
command -v exiftool >/dev/null 2>&1 || missing+=(libimage-exiftool-perl)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the tools the tests need: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}." >&2
  echo "Install them (sudo apt-get install ${missing[*]}) and run the tests again." >&2
  exit 1
fi
