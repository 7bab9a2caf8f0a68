#!/usr/bin/env bash
# The whole test suite: install, lint, check migrations, run pytest (browser tests included).
# DATABASE_URL selects PostgreSQL; the default is SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --with-browser
# The checks run under the test settings: production settings refuse to start without SECRET_KEY.
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings_test}"

if [ "${1:-}" = "--lint-only" ]; then
  .venv/bin/ruff check .
  .venv/bin/python manage.py check
  .venv/bin/python manage.py makemigrations --check --dry-run
  exit 0
fi

.venv/bin/ruff check .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
exec .venv/bin/python -m pytest "$@"
