#!/usr/bin/env bash
# Proves the README's backup and restore: loads the demo directory into a database of its own,
# dumps it with pg_dump (custom format), drops the database, restores it with pg_restore, and
# compares the row count of every table. Prints the counts; exits non-zero on any difference.
#
#   scripts/backup_check.sh            # PostgreSQL on 127.0.0.1:5432 as postgres (PG* vars override)
#
# It only ever touches the database it creates, $BACKUP_CHECK_DB (default finder_backupcheck),
# and drops it at the end. Each step has a time limit, so it cannot hang.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGCONNECT_TIMEOUT=10
db=${BACKUP_CHECK_DB:-finder_backupcheck}
limit="timeout 300"
work=$(mktemp -d)
trap '$limit dropdb --if-exists "$db" || true; rm -rf "$work"' EXIT

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'
fi

row_counts() {
  # One "table count" line per table of the public schema, in name order.
  local tables
  tables=$(psql -d "$db" -XAt -c "SELECT quote_ident(tablename) FROM pg_tables
                                  WHERE schemaname = 'public' ORDER BY tablename")
  for table in $tables; do
    echo "$table $(psql -d "$db" -XAt -c "SELECT count(*) FROM $table")"
  done | LC_ALL=C sort
}

echo "== Creating $db and loading the demo directory"
$limit dropdb --if-exists "$db"
$limit createdb "$db"
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db"
$limit .venv/bin/python manage.py migrate --verbosity 0
$limit .venv/bin/python manage.py load_demo
row_counts >"$work/before"

echo "== Backup: pg_dump --format=custom"
$limit pg_dump --format=custom --file="$work/finder.dump" "$db"
echo "   $(du -h "$work/finder.dump" | cut -f1) written"

echo "== Dropping $db, then restoring it: pg_restore"
$limit dropdb "$db"
$limit createdb "$db"
$limit pg_restore --exit-on-error --no-owner --dbname="$db" "$work/finder.dump"
row_counts >"$work/after"

echo "== Rows per table (before → after restore)"
LC_ALL=C join -a1 -a2 -e missing -o 0,1.2,2.2 "$work/before" "$work/after" |
  awk '{ mark = ($2 == $3) ? "" : "   <-- DIFFERENT"; printf "%-40s %8s → %-8s%s\n", $1, $2, $3, mark }'
if ! cmp -s "$work/before" "$work/after"; then
  echo "FAILED: the restored database differs from the one dumped"
  exit 1
fi
echo "OK: $(wc -l <"$work/before") tables, $(awk '{ s += $2 } END { print s }' "$work/before") rows, identical after restore"
