#!/usr/bin/env bash
# Install, migrate, load demo data, create the logins (admin and one per role) and serve the admin on 127.0.0.1:8000
# (SQLite), with one task worker beside it (it renders the demo's invoice documents first); both stop together.
# Usage: ./scripts/serve.sh [ADDRESS:PORT]  (default 127.0.0.1:8000)
set -euo pipefail
address="${1:-127.0.0.1:8000}"
cd "$(dirname "$0")/.."
./scripts/setup.sh
export DEBUG="${DEBUG:-true}"
# The demo logins sign in with the password alone; production requires a second factor of billing,
# approvers and superusers (README, Security).
export TWO_FACTOR_REQUIRED="${TWO_FACTOR_REQUIRED:-false}"
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py seed_demo
.venv/bin/python manage.py ensure_demo_login
.venv/bin/python manage.py run_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
.venv/bin/python manage.py runserver "$address"
