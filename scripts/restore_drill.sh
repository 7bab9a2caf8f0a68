#!/usr/bin/env bash
# Restore drill (docs/operations.md): a backup is only as good as a restore of it. On the PostgreSQL server that
# DATABASE_URL names (its database part is not used), this builds a source database with the demo data (its
# closed months' invoices rendered to PDF, their journal posted), dumps it as the nightly backup does
# (pg_dump -Fc), restores the dump into a second database, runs verify_archive there and compares the counts of
# both. Both databases and the dump are removed at the end, whatever happened. Exit status non-zero on any failure.
# RESTORE_DRILL_TEMPLATE names a database already migrated to copy the source from (the test suite's template):
# it saves the minute or two of migrating from nothing; the source is migrated either way.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL=postgres://user@host:port/any: the server the drill creates its databases on}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "restore drill: DATABASE_URL must name a PostgreSQL server, not ${DATABASE_URL%%:*}" >&2; exit 2 ;;
esac
base="${DATABASE_URL%%\?*}"
options="${DATABASE_URL#"$base"}" # ?sslmode=… and the like, kept on every URL
server="${base%/*}"
url() { echo "$server/$1$options"; }

run="$(date +%Y%m%d%H%M%S)_$$"
source_db="restore_drill_source_$run"
restored_db="restore_drill_restored_$run"
work="$(mktemp -d)"
started=$SECONDS

cleanup() {
  status=$?
  for db in "$source_db" "$restored_db"; do
    dropdb --maintenance-db="$(url postgres)" --if-exists --force "$db" || status=1
  done
  rm -rf "$work"
  echo "restore drill: databases dropped; $((SECONDS - started)) s in all"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { echo "== $* ($((SECONDS - started)) s)"; }

# The drill's processes queue their tasks in the database they work on, send no e-mail and write their files
# in the drill's own folder, whatever the environment says.
manage() {
  DATABASE_URL="$(url "$1")" TASKS_BACKEND=db MEDIA_ROOT="$work/media" \
    EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend .venv/bin/python manage.py "${@:2}"
}

sql() { psql --dbname="$(url "$1")" --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 -c "$2"; }

step "source database $source_db${RESTORE_DRILL_TEMPLATE:+ (a copy of $RESTORE_DRILL_TEMPLATE)}: migrate, demo data"
createdb --maintenance-db="$(url postgres)" ${RESTORE_DRILL_TEMPLATE:+--template="$RESTORE_DRILL_TEMPLATE"} "$source_db"
manage "$source_db" migrate --no-input --verbosity 0
manage "$source_db" seed_demo >"$work/seed.log"
step "render the closed months' invoice documents (a task worker until its queue is empty)"
manage "$source_db" run_worker --burst --verbosity 0
for month in $(sql "$source_db" "SELECT to_char(month, 'YYYY-MM') FROM billing_billingmonth
                                  WHERE state = 'closed' ORDER BY month"); do
  step "post the journal of $month"
  manage "$source_db" export_journal --month "$month" --post --output "$work/journal-$month.csv" >/dev/null
done
step "verify the source"
manage "$source_db" verify_archive

step "dump (pg_dump -Fc)"
pg_dump --format=custom --dbname="$(url "$source_db")" --file="$work/backup.dump"
echo "dump: $(du -h "$work/backup.dump" | cut -f1)"
step "restore (pg_restore) into $restored_db"
createdb --maintenance-db="$(url postgres)" "$restored_db"
pg_restore --exit-on-error --dbname="$(url "$restored_db")" "$work/backup.dump"

step "verify the restored database"
manage "$restored_db" verify_archive

step "compare counts"
COUNTS="SELECT (SELECT count(*) FROM billing_invoice) AS invoices,
  (SELECT count(*) FROM billing_invoice WHERE number IS NOT NULL) AS issued,
  (SELECT count(*) FROM billing_invoicedocument) AS documents,
  (SELECT count(*) FROM receivables_payment) AS payments,
  (SELECT count(*) FROM receivables_journalline) AS journal_lines"
source_counts="$(sql "$source_db" "$COUNTS")"
restored_counts="$(sql "$restored_db" "$COUNTS")"
echo "invoices|issued|documents|payments|journal lines"
echo "source:   $source_counts"
echo "restored: $restored_counts"
if [ "$source_counts" != "$restored_counts" ]; then
  echo "restore drill FAILED: the restored database's counts differ from the source's" >&2
  exit 1
fi
IFS='|' read -r _invoices issued documents _payments journal_lines <<<"$source_counts"
if [ "$issued" -eq 0 ] || [ "$documents" -eq 0 ] || [ "$journal_lines" -eq 0 ]; then
  echo "restore drill FAILED: the source had no issued invoice, document or journal line to restore" >&2
  exit 1
fi
step "restore drill passed"
