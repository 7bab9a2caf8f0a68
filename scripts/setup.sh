#!/usr/bin/env bash
# Install the project into .venv with Python 3.12 (and Debian's chromium for browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for candidate in "$(command -v pyenv >/dev/null && pyenv which python3.12 2>/dev/null)" \
      python3.12 "$HOME/.pyenv/versions/3.12"*/bin/python3.12 /usr/bin/python3.12 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  echo "Python 3.12 is required (see .python-version)" >&2; exit 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))'; then
  rm -rf .venv
  "$(pick_python)" -m venv .venv
fi
# Install only when requirements.txt changed since the last install (its hash is kept in the venv).
stamp=.venv/.requirements.sha256
if ! sha256sum --check --status "$stamp" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  sha256sum requirements.txt > "$stamp"
fi

# The test tools from Debian: chromium for the browser tests, gettext for the catalogue test;
# Pango for WeasyPrint's invoice PDFs (with the Japanese font fonts-noto-cjk).
if [ "${1:-}" = "--with-browser" ] && { [ ! -x /usr/bin/chromium ] || ! command -v msgfmt >/dev/null \
  || ! ldconfig -p | grep -q libpangoft2-1.0; }; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0) >/dev/null \
      || echo "Could not install chromium and gettext: the browser and catalogue tests will be skipped." >&2
  else
    echo "Browser and catalogue tests need Debian's chromium and gettext: sudo apt-get install chromium gettext" >&2
  fi
fi
