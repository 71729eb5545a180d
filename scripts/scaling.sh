#!/usr/bin/env bash
# Multi-core scaling of the batch engine: the CLI bench at 1, 2, 4, 8 and 16 threads
# (the counts take turns within each measurement, so their ratios come from the same
# minutes), the main job on all threads, and two controls: core_scaling (pure FMA
# throughput: what the cores themselves deliver) and plain_threads (the same batch
# split over plain threads: the best any scheduling of the work can do).
#
# Used for README's "Parallel efficiency". On a machine with cargo:
#   cargo build --release --bin batchjac
#   cargo build --release -p batchjac-tools --example core_scaling --example plain_threads
#   bash scripts/scaling.sh
# For a machine without Rust, build here and copy the three binaries (see README):
#   BIN=dir/batchjac CONTROL=dir/core_scaling PLAIN=dir/plain_threads OUT=dir/out \
#       bash scripts/scaling.sh
set -euo pipefail
BIN=${BIN:-target/release/batchjac}
CONTROL=${CONTROL:-target/release/examples/core_scaling}
PLAIN=${PLAIN:-target/release/examples/plain_threads}
OUT=${OUT:-scaling-out}
THREADS=${THREADS:-1,2,4,8,16}
PER_COUNT=${PER_COUNT:-1}   # seconds of timed repetitions per thread count
mkdir -p "$OUT"
{
    date -u
    uname -a
    echo "nproc: $(nproc)"
    lscpu || true
    echo "cgroup cpu.max: $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo none)"
} >"$OUT/machine.txt" 2>&1
grep -E "Model name|^CPU\(s\)|Thread|Core|Socket|NUMA node\(|L3" "$OUT/machine.txt" || true
MOST=${THREADS##*,}
echo "== control: f64x8 FMA throughput per thread count (one call per run, then 4 ms calls)"
{ "$CONTROL" "$THREADS" 5; "$CONTROL" "$THREADS" 5 4; } | tee "$OUT/control.txt"
echo "== batch engine (mode auto) and the analytic Jacobian, all suite functions"
"$BIN" bench --engine batchjac,analytic --threads "$THREADS" \
    --seconds "$PER_COUNT" --repeat 9 | tee "$OUT/bench.txt"
echo "== tangent-lane against batch-lane mode, the small-m functions"
"$BIN" bench --func arm7 --func robertson --func elementary_mix --engine batchjac \
    --mode tangent,batch --threads "1,$MOST" --seconds "$PER_COUNT" --repeat 7 |
    tee "$OUT/modes.txt"
echo "== arm7 against the batch size, 1 thread and the most threads"
for b in 4096 16384 262144 1048576; do
    "$BIN" bench --func arm7 --batch "$b" --engine batchjac --threads "1,$MOST" \
        --seconds "$PER_COUNT" --repeat 7
done | tee "$OUT/batch_sizes.txt"
echo "== the engine against $MOST plain threads, each suite function"
for f in ext_rosenbrock trigonometric arm7 mlp brusselator robertson elementary_mix; do
    "$PLAIN" "$f" "$MOST" 5
done | tee "$OUT/plain_threads.txt"
echo "== main job (all threads)"
"$BIN" | tee "$OUT/main_job.txt"
echo "== control again"
"$CONTROL" "$THREADS" 5 | tee -a "$OUT/control.txt"
