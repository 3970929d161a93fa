#!/usr/bin/env bash
# Starts Debian's influxd (1.6.7) with a config of its own: reporting off, the RPC and HTTP
# listeners on 127.0.0.1, meta/data/wal in DATA_DIR. Waits until /ping answers and prints
# "PID URL". Stop it with `kill PID`. Debian's /etc/influxdb/influxdb.conf binds every
# interface, so it is never read. Starting again on the same DATA_DIR reuses the stored data.
# Usage: influxdb.sh HTTP_PORT RPC_PORT DATA_DIR
set -euo pipefail
http_port="$1" rpc_port="$2" data="$3"
mkdir -p "$data"
cat >"$data/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$data/meta"
[data]
  dir = "$data/data"
  wal-dir = "$data/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$http_port"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  run-interval = "1s"
CONF
url="http://127.0.0.1:$http_port"
if curl -s -o /dev/null "$url/ping"; then
  echo "something already answers on $url; stop it or pick another port" >&2
  exit 1
fi
influxd -config "$data/influxdb.conf" >>"$data/influxd.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
  if curl -sf -o /dev/null "$url/ping"; then
    echo "$pid $url"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.1
done
kill "$pid" 2>/dev/null || true
echo "influxd did not answer on $url/ping; see $data/influxd.log" >&2
exit 1
