#!/usr/bin/env bash
# Starts Debian's prometheus-alertmanager on 127.0.0.1:PORT with a temp storage dir and the
# given config, waits until /-/ready returns 200, and prints its PID. Stop it with `kill PID`.
# Usage: alertmanager.sh CONFIG PORT DATA_DIR
set -euo pipefail
config="$1" port="$2" data="$3"
mkdir -p "$data"
# An empty --cluster.listen-address turns off the gossip mesh, which would bind 0.0.0.0:9094.
prometheus-alertmanager --config.file="$config" --storage.path="$data" \
  --web.listen-address="127.0.0.1:$port" --cluster.listen-address= \
  >"$data/alertmanager.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null; then echo "$pid"; exit 0; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "alertmanager exited before it was ready on 127.0.0.1:$port; its log:" >&2
    cat "$data/alertmanager.log" >&2
    exit 1
  fi
  sleep 0.1
done
kill "$pid" 2>/dev/null || true
echo "alertmanager did not become ready on 127.0.0.1:$port; see $data/alertmanager.log" >&2
exit 1
