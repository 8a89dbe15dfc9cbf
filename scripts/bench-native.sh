#!/usr/bin/env bash
# The native backend's throughput with a real client: kcat produces N
# records of 100 B (default 1,000,000) and consumes them back, against this
# project's server and, in the same run on the same machine, against tansu
# (a Rust Kafka-compatible broker, memory storage) at $KPLAY_TANSU or on
# PATH (`make bench` installs it: scripts/setup.sh bench). Prints records/s
# and the ratio. Usage: scripts/bench-native.sh <path to the kafka-playground binary>
set -euo pipefail
server_bin=${1:?usage: scripts/bench-native.sh <kafka-playground binary>}
records=${KPLAY_BENCH_RECORDS:-1000000}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# N lines of 100 bytes each (kcat -P sends one record per line).
python3 -c "
import sys
line = (b'x' * 92)
with open('$work/input', 'wb') as f:
    for i in range($records):
        f.write(b'%08d' % i + line + b'\n')
"

wait_port() { # host port
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1:$2" >&2
  return 1
}

seconds() { date +%s.%N; }

# The same client for both brokers: kcat, run on the librdkafka that the
# pinned confluent-kafka wheel bundles (2.16), because Debian's kcat links
# librdkafka 2.0.2, which cannot parse tansu 0.6's ApiVersions v3 answer
# ("Protocol read buffer underflow for ApiVersion v3").
python=${KPLAY_PYTHON:-python3}
rdkafka=$("$python" -c "
import confluent_kafka, glob, os
print(sorted(glob.glob(os.path.dirname(confluent_kafka.__file__) + '.libs/librdkafka*'))[0])
" 2>/dev/null || true)
if [ -n "$rdkafka" ]; then
  mkdir -p "$work/rdkafka"
  ln -s "$rdkafka" "$work/rdkafka/librdkafka.so.1"
  export LD_LIBRARY_PATH="$work/rdkafka${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
kcat -V | grep -o 'librdkafka [0-9.]*' | sed 's/^/client: kcat with /'

# The topic, created the same way on both: 1 partition, replication factor 1.
create_topic() { # bootstrap
  "$python" -c "
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({'bootstrap.servers': '$1'})
admin.create_topics([NewTopic('bench', num_partitions=1, replication_factor=1)])['bench'].result(timeout=20)
"
}

run() { # name bootstrap
  local name=$1 b=$2 t0 t1 t2 consumed
  create_topic "$b"
  t0=$(seconds)
  kcat -b "$b" -P -t bench -X queue.buffering.max.messages=2000000 -X linger.ms=5 -l "$work/input"
  t1=$(seconds)
  consumed=$(kcat -b "$b" -C -t bench -o beginning -e -q -X fetch.wait.max.ms=10 | wc -l)
  t2=$(seconds)
  if [ "$consumed" -ne "$records" ]; then
    echo "$name: consumed $consumed of $records records" >&2
    return 1
  fi
  python3 -c "
p = $records / ($t1 - $t0); c = $records / ($t2 - $t1)
print(f'{\"$name\":>16}: produce {p:>10,.0f} records/s ({$t1 - $t0:.2f} s), consume {c:>10,.0f} records/s ({$t2 - $t1:.2f} s)')
open('$work/$name', 'w').write(f'{p} {c}')
"
}

"$server_bin" serve --kafka-port 19092 --registry-port 18081 --feed-port 18080 --dist "$work" >"$work/server.log" 2>&1 &
pids+=($!)
wait_port 127.0.0.1 19092
run kafka-playground 127.0.0.1:19092

tansu=${KPLAY_TANSU:-$(command -v tansu || true)}
if [ -n "$tansu" ]; then
  "$tansu" broker --listener-url tcp://127.0.0.1:29092 --advertised-listener-url tcp://127.0.0.1:29092 \
    --storage-engine memory://tansu/ >"$work/tansu.log" 2>&1 &
  pids+=($!)
  wait_port 127.0.0.1 29092
  run tansu 127.0.0.1:29092
  python3 -c "
a = [float(x) for x in open('$work/kafka-playground').read().split()]
b = [float(x) for x in open('$work/tansu').read().split()]
print(f'ratio (kafka-playground / tansu): produce {a[0] / b[0]:.2f}x, consume {a[1] / b[1]:.2f}x')
"
else
  echo "tansu is not installed: no comparison (make bench installs it)"
fi
