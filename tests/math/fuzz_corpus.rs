//! Replays the fuzz corpus (fuzz/corpus/TARGET/) and every saved crash
//! (fuzz/regressions/TARGET/) through the same checks the cargo-fuzz targets run
//! (batchjac::expr::fuzz_checks), so `cargo test` on the stable toolchain covers them.
//! A crash found by `cargo fuzz run` is kept by copying it from fuzz/artifacts/TARGET/
//! into fuzz/regressions/TARGET/.

use batchjac::expr::fuzz_checks::{self, Finding, Outcome};
use std::path::{Path, PathBuf};

/// The files of fuzz/corpus/TARGET and fuzz/regressions/TARGET, sorted.
fn cases(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if path.is_file() && !hidden {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs `check` on every case of `target`; fails listing every finding.
fn replay<T>(target: &str, check: impl Fn(&[u8]) -> Result<T, Finding>) -> Vec<T> {
    let files = cases(target);
    assert!(!files.is_empty(), "no corpus for fuzz target {target}");
    let mut findings = Vec::new();
    let mut outcomes = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap();
        match check(&data) {
            Ok(outcome) => outcomes.push(outcome),
            Err(finding) => findings.push(format!("{}: {finding}", path.display())),
        }
    }
    assert!(
        findings.is_empty(),
        "{} findings:\n{}",
        findings.len(),
        findings.join("\n")
    );
    outcomes
}

#[test]
fn jacobian_corpus_replays_clean() {
    let outcomes = replay("jacobian", fuzz_checks::check_jacobian);
    // The corpus must exercise the comparison with the verification layer, not only
    // cases the smoothness guard skips.
    let checked = outcomes.iter().filter(|o| **o == Outcome::Checked).count();
    assert!(
        checked * 4 >= outcomes.len(),
        "only {checked} of {} corpus cases reached the verification layer",
        outcomes.len()
    );
}

#[test]
fn text_corpus_replays_clean() {
    replay("text", fuzz_checks::check_text);
}

#[test]
fn batch_corpus_replays_clean() {
    // The corpus plants panics in user functions; they must become errors quietly.
    fuzz_checks::quiet_planned_panics();
    replay("batch", fuzz_checks::check_batch);
}

#[test]
fn sparse_corpus_replays_clean() {
    replay("sparse", fuzz_checks::check_sparse);
}

#[test]
fn modes_corpus_replays_clean() {
    replay("modes", fuzz_checks::check_modes);
}

/// A quick sweep over short pseudo-random byte strings through every check (the fuzz
/// targets run far more).
#[test]
fn every_byte_string_decodes_and_checks_without_a_finding() {
    fuzz_checks::quiet_planned_panics();
    // A quick sweep over short pseudo-random byte strings (the fuzz targets run far
    // more): every case decodes, and the lanes agree.
    let mut state = 0x9e3779b97f4a7c15u64;
    let mut checked = 0;
    for _ in 0..300 {
        let data: Vec<u8> = (0..64)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        match fuzz_checks::check_jacobian(&data) {
            Ok(Outcome::Checked) => checked += 1,
            Ok(Outcome::NotVerified(_)) => {}
            Err(finding) => panic!("{finding}"),
        }
        fuzz_checks::check_text(&data).unwrap();
        fuzz_checks::check_batch(&data).unwrap_or_else(|finding| panic!("{finding}"));
        fuzz_checks::check_modes(&data).unwrap_or_else(|finding| panic!("{finding}"));
    }
    assert!(checked > 30, "only {checked} of 300 cases verified");
}
