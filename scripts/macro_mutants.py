#!/usr/bin/env python3
"""Hand-applied mutants inside `macro_rules!` bodies, which cargo-mutants does not mutate.

Usage (from the repository root):
    python3 scripts/macro_mutants.py [FILE] [FIRST_LINE] [COUNT] [OFFSET] [LAST_LINE]
    # defaults: src/simd/kernels.rs, the line of `macro_rules! f64_kernels`, 20, 0.5,
    # the end of the file

Lists every arithmetic operator (` + `, ` - `, ` * `, ` / `) and lane comparison
(`simd_lt/le/gt/ge`) in the code lines of FILE from FIRST_LINE to LAST_LINE (comments, attributes
and constants skipped), takes COUNT of them evenly spaced (the k-th at position
(k + OFFSET) * total / COUNT; another OFFSET gives another sample), and for each one:
swaps it (`+` <-> `-`, `*` <-> `/`, `lt` <-> `le`, `gt` <-> `ge`), builds and runs the tests of
.cargo/mutants.toml in the `mutants` profile (nextest, stops at the first failure),
prints CAUGHT (with the first failing test), MISSED or UNVIABLE, and restores the file
(also when interrupted). Needs cargo-nextest (`cargo install cargo-nextest`).
"""
import re
import subprocess
import sys
import time

path = sys.argv[1] if len(sys.argv) > 1 else "src/simd/kernels.rs"
source = open(path).read()
lines = source.split("\n")
if len(sys.argv) > 2:
    first = int(sys.argv[2]) - 1
else:
    first = next(i for i, l in enumerate(lines) if "macro_rules! f64_kernels" in l)
count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
offset = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
last = int(sys.argv[5]) if len(sys.argv) > 5 else len(lines)

SWAP = {"+": "-", "-": "+", "*": "/", "/": "*", "lt": "le", "le": "lt", "gt": "ge", "ge": "gt"}
TESTS = (
    "cargo nextest run --cargo-profile mutants --lib --test it --test math "
    "-E 'not (test(/^batch_alloc::/) | test(batch_is_bitwise_deterministic))' 2>&1"
)

candidates = []
for i in range(first, min(last, len(lines))):
    code = lines[i].split("//")[0]
    if code.strip().startswith(("#", "pub const", "const")):
        continue
    for m in re.finditer(r" ([+\-*/]) ", code):
        candidates.append((i, m.start(1), m.group(1)))
    for m in re.finditer(r"simd_(lt|le|gt|ge)\b", code):
        candidates.append((i, m.start(1), m.group(1)))
# A COUNT above the number of operators tests each once.
count = min(count, len(candidates))
print(
    f"{len(candidates)} operators in {path}, lines {first + 1}-{last}; testing {count}",
    flush=True,
)

step = len(candidates) / count
caught = 0
try:
    for k in range(count):
        i, col, op = candidates[int((k + offset) * step)]
        line = lines[i]
        mutated = line[:col] + SWAP[op] + line[col + len(op):]
        open(path, "w").write("\n".join(lines[:i] + [mutated] + lines[i + 1:]))
        start = time.time()
        out = subprocess.run(TESTS, shell=True, capture_output=True, text=True).stdout
        if "error[" in out or "could not compile" in out:
            verdict = "UNVIABLE"
        else:
            failed = re.findall(r"FAIL \[.*?\] (?:\(.*?\) )?(\S+ \S+)", out)
            if failed:
                verdict = "CAUGHT by " + failed[0]
                caught += 1
            else:
                verdict = "MISSED"
        print(
            f"{path}:{i + 1}:{col + 1} `{op}` -> `{SWAP[op]}` | {line.strip()} | "
            f"{verdict} ({time.time() - start:.0f} s)",
            flush=True,
        )
finally:
    open(path, "w").write(source)
print(f"{caught} of {count} caught")
