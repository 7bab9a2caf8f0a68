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

# Debian packages: what the application needs to run (Pango and a Japanese font for the invoice PDFs
# WeasyPrint renders), and with --with-browser the test tools (chromium for the browser tests,
# gettext for the catalogue test).
debian_packages() {
  ldconfig -p | grep libpangoft2-1.0 >/dev/null || echo libpango-1.0-0 libpangoft2-1.0-0
  fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || echo fonts-noto-cjk
  if [ "${1:-}" = "--with-browser" ]; then
    [ -x /usr/bin/chromium ] || echo chromium
    command -v msgfmt >/dev/null || echo gettext
  fi
}
missing="$(debian_packages "${1:-}" | xargs)"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/dev/null \
      || echo "Could not install $missing: invoice PDFs, browser or catalogue tests may not work." >&2
  else
    echo "Please install Debian's $missing (sudo apt-get install $missing)." >&2
  fi
fi
