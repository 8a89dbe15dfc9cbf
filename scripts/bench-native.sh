#!/usr/bin/env bash
# The native backend's throughput with a real client: kcat produces N
# records of 100 B (default 1,000,000) and consumes them back, in
# KPLAY_BENCH_ROUNDS rounds (3; the best of each is reported), against this
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
create_topic() { # bootstrap topic
  "$python" -c "
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({'bootstrap.servers': '$1'})
admin.create_topics([NewTopic('$2', num_partitions=1, replication_factor=1)])['$2'].result(timeout=20)
"
}

# One round: produce every record into a new topic, then consume them all.
# fetch.queue.backoff.ms=10: librdkafka stops fetching for up to 1 s (its
# default) whenever its local queue holds queued.min.messages (100,000); a
# broker that answers fast hits that more often, so the default measures
# the client's pause, not the broker.
# The broker's own CPU time (user + system) in clock ticks: the client
# (kcat) bounds the rates, so this shows what each broker spent.
cpu_ticks() { # pid
  awk '{print $14 + $15}' "/proc/$1/stat"
}

round() { # name bootstrap round pid
  local name=$1 b=$2 topic="bench-$3" pid=$4 t0 t1 t2 c0 c1 c2 consumed
  create_topic "$b" "$topic"
  c0=$(cpu_ticks "$pid")
  t0=$(seconds)
  kcat -b "$b" -P -t "$topic" -X queue.buffering.max.messages=2000000 -X linger.ms=5 -l "$work/input"
  t1=$(seconds)
  c1=$(cpu_ticks "$pid")
  consumed=$(kcat -b "$b" -C -t "$topic" -o beginning -e -q -X fetch.wait.max.ms=10 -X fetch.queue.backoff.ms=10 | wc -l)
  t2=$(seconds)
  c2=$(cpu_ticks "$pid")
  if [ "$consumed" -ne "$records" ]; then
    echo "$name: consumed $consumed of $records records" >&2
    return 1
  fi
  python3 -c "
import os
p = $records / ($t1 - $t0); c = $records / ($t2 - $t1)
hz = os.sysconf('SC_CLK_TCK'); pc = ($c1 - $c0) / hz; cc = ($c2 - $c1) / hz
print(f'{\"$name\":>16} round $3: produce {p:>10,.0f} records/s ({$t1 - $t0:.2f} s, broker CPU {pc:.2f} s), consume {c:>10,.0f} records/s ({$t2 - $t1:.2f} s, broker CPU {cc:.2f} s)')
open('$work/$name', 'a').write(f'{p} {c} {pc} {cc}\n')
"
}

best() { # name: the best produce and consume rates of its rounds
  python3 -c "
rows = [[float(x) for x in line.split()] for line in open('$work/$1')]
print(max(r[0] for r in rows), max(r[1] for r in rows), min(r[2] for r in rows), min(r[3] for r in rows))
"
}

rounds=${KPLAY_BENCH_ROUNDS:-3}
"$server_bin" serve --kafka-port 19092 --registry-port 18081 --connect-port 18083 --feed-port 18080 --dist "$work" >"$work/server.log" 2>&1 &
ours_pid=$!
pids+=($!)
wait_port 127.0.0.1 19092

tansu=${KPLAY_TANSU:-$(command -v tansu || true)}
if [ -n "$tansu" ]; then
  "$tansu" broker --listener-url tcp://127.0.0.1:29092 --advertised-listener-url tcp://127.0.0.1:29092 \
    --storage-engine memory://tansu/ >"$work/tansu.log" 2>&1 &
  tansu_pid=$!
  pids+=($!)
  wait_port 127.0.0.1 29092
else
  echo "tansu is not installed: no comparison (make bench installs it)"
fi

# Rounds alternate between the two brokers, so a passing load on the
# machine falls on both.
for r in $(seq 1 "$rounds"); do
  round kafka-playground 127.0.0.1:19092 "$r" "$ours_pid"
  if [ -n "$tansu" ]; then round tansu 127.0.0.1:29092 "$r" "$tansu_pid"; fi
done

read -r ours_p ours_c ours_pc ours_cc < <(best kafka-playground)
python3 -c "print(f'kafka-playground best of $rounds: produce {$ours_p:,.0f} records/s (broker CPU {$ours_pc:.2f} s), consume {$ours_c:,.0f} records/s (broker CPU {$ours_cc:.2f} s)')"
if [ -n "$tansu" ]; then
  read -r tansu_p tansu_c tansu_pc tansu_cc < <(best tansu)
  python3 -c "
print(f'           tansu best of $rounds: produce {$tansu_p:,.0f} records/s (broker CPU {$tansu_pc:.2f} s), consume {$tansu_c:,.0f} records/s (broker CPU {$tansu_cc:.2f} s)')
print(f'ratio (kafka-playground / tansu): produce {$ours_p / $tansu_p:.2f}x, consume {$ours_c / $tansu_c:.2f}x; broker CPU per record {$ours_pc / max($tansu_pc, 0.01):.2f}x / {$ours_cc / max($tansu_cc, 0.01):.2f}x of tansu\'s')
"
fi
