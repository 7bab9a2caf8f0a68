#!/usr/bin/env bash
# Two app nodes on one machine, wired as a larger installation is (docs/operations.md#two-nodes-on-one-machine):
# PostgreSQL behind PgBouncer in transaction mode, Redis for the task queue and the cache, an S3-compatible store
# (moto's server), two gunicorn nodes behind nginx, and a task worker beside each node. Demo data is loaded.
#
#   scripts/cluster.sh            start it and serve http://127.0.0.1:8100 (nodes on 8101 and 8102) until Ctrl-C
#   scripts/cluster.sh --check    start it, run the end-to-end test through it (tests/cluster), stop (CI)
#
# Each node runs as many gunicorn processes as gunicorn.conf.py says (WEB_CONCURRENCY).
# CLUSTER_PORT moves the ports (the proxy on it, then the nodes, PgBouncer, Redis and the store on the next five);
# CLUSTER_DATABASE names the database it drops and creates on the machine's PostgreSQL (127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-serve}"
case "$mode" in serve | --check) ;; *) echo "usage: scripts/cluster.sh [--check]" >&2; exit 2 ;; esac
./scripts/setup.sh --with-cluster $([ "$mode" = --check ] && echo --with-browser)

base="${CLUSTER_PORT:-8100}"
proxy=$base node_a=$((base + 1)) node_b=$((base + 2)) pooler=$((base + 3)) redis=$((base + 4)) store=$((base + 5))
database="${CLUSTER_DATABASE:-backoffice_cluster}"
run="$(mktemp -d "${TMPDIR:-/tmp}/backoffice-cluster.XXXXXX")"
chmod 755 "$run"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  [ -f "$run/pgbouncer/pgbouncer.pid" ] && kill "$(cat "$run/pgbouncer/pgbouncer.pid")" 2>/dev/null || true
  [ -f "$run/nginx.pid" ] && kill "$(cat "$run/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
# start NAME COMMAND…: in its own process group (a worker is killed with its forked work horse), logged to NAME.log.
start() {
  local name=$1; shift
  setsid "$@" >"$run/$name.log" 2>&1 &
  pids+=($!)
  echo $! >"$run/$name.pid"
}
wait_for() {  # wait_for WHAT COMMAND…: up to 60 s
  local what=$1; shift
  for _ in $(seq 1 120); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "cluster: $what did not come up; the logs are in $run" >&2; tail -n 30 "$run"/*.log >&2 || true; exit 1
}

# PostgreSQL (the machine's service): a new database owned by the role the workers use; the web nodes' role is
# a member of it, with its own statement limit, which PostgreSQL applies to each of its transactions.
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q
fi
psql -q -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
DROP DATABASE IF EXISTS $database WITH (FORCE);
SELECT 'CREATE ROLE backoffice LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'backoffice') \gexec
SELECT 'CREATE ROLE backoffice_web LOGIN IN ROLE backoffice'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'backoffice_web') \gexec
CREATE DATABASE $database OWNER backoffice;
ALTER ROLE backoffice_web IN DATABASE $database SET statement_timeout = ${WEB_STATEMENT_TIMEOUT_MS:-30000};
SQL

# PgBouncer in transaction mode, as the postgres user (it will not run as root).
mkdir -p "$run/pgbouncer" && chown postgres "$run/pgbouncer"
printf '"backoffice" ""\n"backoffice_web" ""\n' >"$run/pgbouncer/users.txt"
cat >"$run/pgbouncer/pgbouncer.ini" <<INI
[databases]
$database = host=127.0.0.1 port=5432 dbname=$database
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $pooler
unix_socket_dir = $run/pgbouncer
auth_type = trust
auth_file = $run/pgbouncer/users.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 10
logfile = $run/pgbouncer/pgbouncer.log
pidfile = $run/pgbouncer/pgbouncer.pid
INI
pgbouncer -d -u postgres "$run/pgbouncer/pgbouncer.ini"
wait_for PgBouncer pg_isready -h 127.0.0.1 -p "$pooler" -q

start redis redis-server --bind 127.0.0.1 --port "$redis" --save "" --appendonly no
start store .venv/bin/python -m moto.server -H 127.0.0.1 -p "$store"
wait_for Redis redis-cli -p "$redis" ping
wait_for "the S3 store" curl -sf "http://127.0.0.1:$store/"

# What every node and worker shares: the pooled database, the queue on Redis, the bucket, a secret key.
export DEBUG=false TWO_FACTOR_REQUIRED=false SECURE_COOKIES=false BEHIND_TLS_PROXY=true
export ALLOWED_HOSTS=127.0.0.1,localhost SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')"
export DATABASE_POOLER=transaction TASKS_BACKEND=rq REDIS_URL="redis://127.0.0.1:$redis/0"
export S3_BUCKET=backoffice-cluster S3_ENDPOINT_URL="http://127.0.0.1:$store" S3_REGION=ap-northeast-1
export S3_ACCESS_KEY_ID=cluster S3_SECRET_ACCESS_KEY=cluster-secret
export STATIC_ROOT="$run/static" EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export JOBS_STALLED_AFTER_SECONDS="${JOBS_STALLED_AFTER_SECONDS:-10}"
# Connections to PgBouncer are kept a minute (README, Production): the pooler lends server connections per transaction.
kept="conn_max_age=60&conn_health_checks=true"
workers_url="postgres://backoffice@127.0.0.1:$pooler/$database?$kept"
web_url="postgres://backoffice_web@127.0.0.1:$pooler/$database?$kept"
.venv/bin/python - <<PY
import boto3
boto3.client("s3", endpoint_url="http://127.0.0.1:$store", region_name="ap-northeast-1",
             aws_access_key_id="cluster", aws_secret_access_key="cluster-secret").create_bucket(
    Bucket="backoffice-cluster", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
PY

DATABASE_URL="$workers_url" .venv/bin/python manage.py migrate --no-input -v 0
DATABASE_URL="$workers_url" .venv/bin/python manage.py collectstatic --no-input -v 0
for node in a b; do
  DATABASE_URL="$workers_url" start "worker-$node" .venv/bin/python manage.py run_worker
done
# The demo data: its invoice documents are rendered by the two workers.
DATABASE_URL="$workers_url" .venv/bin/python manage.py seed_demo
DATABASE_URL="$workers_url" .venv/bin/python manage.py ensure_demo_login
for node in a b; do
  port=$([ $node = a ] && echo "$node_a" || echo "$node_b")
  mkdir -p "$run/metrics-$node"
  DATABASE_URL="$web_url" PROMETHEUS_MULTIPROC_DIR="$run/metrics-$node" start "node-$node" \
    .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --access-logfile "$run/node-$node.access.log" --access-logformat '%(h)s "%(r)s" %(s)s %(M)sms'
done

# nginx: static files from STATIC_ROOT, everything else to either node; the client's address is appended to
# X-Forwarded-For (BEHIND_TLS_PROXY reads the last entry).
mkdir -p "$run/nginx"
cat >"$run/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
pid $run/nginx.pid;
error_log $run/nginx.error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log $run/proxy.log;
  client_body_temp_path $run/nginx/body;
  proxy_temp_path $run/nginx/proxy;
  fastcgi_temp_path $run/nginx/fastcgi;
  uwsgi_temp_path $run/nginx/uwsgi;
  scgi_temp_path $run/nginx/scgi;
  client_max_body_size 64m;
  upstream nodes { server 127.0.0.1:$node_a max_fails=1 fail_timeout=5s; server 127.0.0.1:$node_b max_fails=1 fail_timeout=5s; }
  server {
    listen 127.0.0.1:$proxy;
    location /static/ { alias $run/static/; }
    location / {
      proxy_pass http://nodes;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-ID \$request_id;
      proxy_read_timeout 120s;
    }
  }
}
CONF
nginx -c "$run/nginx.conf" -p "$run"
for port in "$node_a" "$node_b" "$proxy"; do
  wait_for "the web on $port" curl -sf -o /dev/null "http://127.0.0.1:$port/admin/login/"
done
echo "cluster: http://127.0.0.1:$proxy (nodes on $node_a and $node_b); logs in $run"

if [ "$mode" = --check ]; then
  # The test reads the run's folder (pid files, logs) and the database, and signs in through the proxy.
  env -i PATH="$PATH" HOME="$HOME" CLUSTER_URL="http://127.0.0.1:$proxy" \
    CLUSTER_NODES="http://127.0.0.1:$node_a,http://127.0.0.1:$node_b" CLUSTER_RUN="$run" \
    CLUSTER_DATABASE_URL="postgresql://backoffice@127.0.0.1:$pooler/$database" \
    CLUSTER_REDIS_URL="redis://127.0.0.1:$redis/0" CLUSTER_S3_URL="http://127.0.0.1:$store" JOBS_STALLED_AFTER_SECONDS="$JOBS_STALLED_AFTER_SECONDS" \
    .venv/bin/python -m pytest tests/cluster -m cluster -n 0 -p no:cacheprovider
  stop && rm -rf "$run"  # passed: nothing to read afterwards
else
  echo "Ctrl-C stops it." && wait
fi
