#!/usr/bin/env bash
# Install the project into .venv with Python 3.12 (with --with-browser Debian's chromium for browser tests, with
# --with-cluster Debian's PgBouncer and nginx for the two-node run, scripts/cluster.sh).
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
# WeasyPrint renders); with --with-browser the test tools (chromium for the browser tests, gettext for the
# catalogue test); with --with-cluster the pooler and the proxy of the two-node run.
debian_packages() {
  ldconfig -p | grep libpangoft2-1.0 >/dev/null || echo libpango-1.0-0 libpangoft2-1.0-0
  fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || echo fonts-noto-cjk
  local flag
  for flag in "$@"; do
    case "$flag" in
      --with-browser)
        [ -x /usr/bin/chromium ] || echo chromium
        command -v msgfmt >/dev/null || echo gettext ;;
      --with-cluster)
        [ -x /usr/sbin/pgbouncer ] || echo pgbouncer
        [ -x /usr/sbin/nginx ] || echo nginx ;;
      *) echo "setup.sh: unknown option $flag" >&2; exit 2 ;;
    esac
  done
}
# Another install (unattended upgrades, a second setup) may hold apt's or dpkg's lock: wait for it (up to
# five minutes per attempt), then try again, instead of giving up at once.
apt_install() {
  local attempt
  for attempt in 1 2 3; do
    if apt-get -o DPkg::Lock::Timeout=300 update -qq \
        && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@"; then
      return 0
    fi
    echo "apt-get could not install $* (attempt $attempt of 3; another install may hold the lock): retrying." >&2
    sleep 15
  done
  return 1
}
missing="$(debian_packages "$@" | xargs)"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's $missing (waiting for another install to finish if need be)…" >&2
    # shellcheck disable=SC2086
    apt_install $missing >/dev/null \
      || echo "Could not install $missing: invoice PDFs, browser or catalogue tests may not work." >&2
  else
    echo "Please install Debian's $missing (sudo apt-get install $missing)." >&2
  fi
fi
# Build the font cache now, so the first invoice PDF (the demo data closes two months) does not pay for it.
if command -v fc-cache >/dev/null; then fc-cache >/dev/null 2>&1 || true; fi
