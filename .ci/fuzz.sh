#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (FUZZ_SECONDS, default 30) and fails
# on a crash. Needs a nightly toolchain and cargo-fuzz; installs cargo-fuzz if missing,
# and skips (exit 0, saying why) when either cannot be had. Called from .ci/run.
#
# FUZZ_JOBS targets (default 2) run at a time, each on one core.
#
# Each target starts from the committed seeds (fuzz/corpus/TARGET) and writes what it
# grows into fuzz/scratch/TARGET (git-ignored). A crash lands in fuzz/artifacts/TARGET;
# keep it as a regression test by copying it into fuzz/regressions/TARGET, where
# tests/math/fuzz_corpus.rs replays it on the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-30}"
jobs="${FUZZ_JOBS:-2}"

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "fuzz: skipped: no nightly toolchain (rustup run nightly rustc failed)"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz missing; installing it"
    if ! cargo install cargo-fuzz --locked; then
        echo "fuzz: skipped: cargo install cargo-fuzz failed (offline, or no compiler for it?)"
        exit 0
    fi
fi

# Fuzz the code the project ships: the same SIMD instructions as .cargo/config.toml
# (cargo-fuzz sets RUSTFLAGS itself, which would override the config's rustflags).
export RUSTFLAGS="${RUSTFLAGS:-} -C target-cpu=native"

# Without AddressSanitizer (FUZZ_SANITIZER=address to have it): the targets check
# numbers (bits, derivatives, error reports), which the sanitizer does not see, and the
# crate's only unsafe code is an sfence and the streaming copy of whole cache lines
# (unit-tested at every alignment against the bytes it must write). On a 2-core
# machine the sanitizer's instrumentation doubled this build (10.7 min instead of
# about 5), the largest part of CI's time.
sanitizer="${FUZZ_SANITIZER:-none}"
# 16 codegen units instead of cargo-fuzz's 1 (FUZZ_CODEGEN_UNITS to change it): the
# checks are compiled once, in the fuzz crate's library (fuzz/src/lib.rs), and one unit
# would leave a core idle. The fuzz crate's build took 2 min 11 s here, against 5 min
# 24 s (with batchjac's 12 s) when each target compiled its own copy of the checks.
units="${FUZZ_CODEGEN_UNITS:-16}"
cargo +nightly fuzz build -s "$sanitizer" --codegen-units "$units"

# Runs one target; its log goes to scratch/TARGET.log, and a crash prints the log's tail.
fuzz_one() {
    local target=$1
    mkdir -p "scratch/$target" "corpus/$target"
    if ! cargo +nightly fuzz run -s "$sanitizer" --codegen-units "$units" "$target" "scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 2>"scratch/$target.log"; then
        echo "fuzz: $target FOUND A CRASH; the panic and the log's tail:"
        grep -m 1 -A 30 "panicked" "scratch/$target.log" || true
        echo "..."
        tail -n 25 "scratch/$target.log"
        return 1
    fi
    echo "fuzz: $target: $(grep -E "^#[0-9]+[[:space:]]+DONE" "scratch/$target.log" || echo done)"
}

status=0
running=()
for target in $(cargo +nightly fuzz list); do
    echo "fuzz: $target for ${seconds} s"
    fuzz_one "$target" &
    running+=("$!")
    if [ "${#running[@]}" -ge "$jobs" ]; then
        for pid in "${running[@]}"; do
            wait "$pid" || status=1
        done
        running=()
    fi
done
for pid in "${running[@]}"; do
    wait "$pid" || status=1
done
exit $status
