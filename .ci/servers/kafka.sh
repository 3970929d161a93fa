#!/usr/bin/env bash
# Starts one Kafka 4.4 broker in KRaft mode (broker and controller in one process) on
# 127.0.0.1 from Maven Central jars (org.apache.kafka:kafka_2.13:4.4.0, Java 17), formats its
# storage on the first start, waits until the broker accepts connections and prints
# "PID BOOTSTRAP". Stop it with `kill PID`; starting again on the same DATA_DIR keeps the
# topics and the committed offsets.
# Usage: kafka.sh PORT CONTROLLER_PORT DATA_DIR
set -euo pipefail
port="$1" controller_port="$2" data="$3"
mkdir -p "$data"
# Resolves the broker and its dependencies into ~/.m2.
cp_file="$(bash "$(dirname "$0")/maven-classpath.sh" org.apache.kafka kafka_2.13 4.4.0 "$data")"

bootstrap="127.0.0.1:$port"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "something already listens on $bootstrap; stop it or pick another port" >&2
  exit 1
fi

# Single-node KRaft: this node is the only controller voter. Replication factors of the
# internal topics are 1, because there is one broker. The initial rebalance delay is 0, so a
# consumer group forms at once.
cat >"$data/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/kraft
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES

classpath="$(cat "$cp_file")"
if [ ! -f "$data/kraft/meta.properties" ]; then
  cluster_id="$(java -cp "$classpath" kafka.tools.StorageTool random-uuid 2>"$data/format.log")"
  java -cp "$classpath" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$data/server.properties" >"$data/format.log" 2>&1 || {
    echo "kafka storage format failed; see $data/format.log" >&2
    exit 1
  }
fi

# NOTE: the classpath has no SLF4J binding, so the broker writes no log of its own. kafka.log
# gets only what the JVM prints, such as a failed start's stack trace.
java -Xms256m -Xmx512m -cp "$classpath" kafka.Kafka "$data/server.properties" \
  >"$data/kafka.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "$pid $bootstrap"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.2
done
kill "$pid" 2>/dev/null || true
echo "kafka did not accept connections on $bootstrap; see $data/kafka.log" >&2
exit 1
