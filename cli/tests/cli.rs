//! The `batchjac` binary from the outside: exit codes, usage errors, `list` against
//! docs/SUITE.md's table, `bench --json` through a strict JSON parser, `verify` pass and fail,
//! and the main job's table. Timings are kept tiny (`--seconds`): these tests check
//! behaviour, never speed.

use std::collections::BTreeMap;
use std::process::{Command, Output};

fn batchjac(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batchjac"))
        .args(args)
        .output()
        .expect("the batchjac binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// docs/SUITE.md's table: name, m, n, batch size. Written out here, not taken from the crate,
/// so that `list` is checked against the specification.
const SUITE: [(&str, usize, usize, usize); 7] = [
    ("ext_rosenbrock", 16, 16, 65536),
    ("trigonometric", 16, 16, 16384),
    ("arm7", 7, 2, 65536),
    ("mlp", 32, 4, 8192),
    ("brusselator", 128, 128, 512),
    ("robertson", 3, 3, 262144),
    ("elementary_mix", 4, 6, 262144),
];

// ---------------------------------------------------------------------------------
// A strict JSON parser (RFC 8259), only for checking the bench output.

#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn parse(text: &str) -> Result<Json, String> {
        let mut parser = Parser {
            text: text.as_bytes(),
            at: 0,
        };
        let value = parser.value()?;
        parser.whitespace();
        if parser.at != parser.text.len() {
            return Err(format!("trailing text at byte {}", parser.at));
        }
        Ok(value)
    }

    fn whitespace(&mut self) {
        while self.at < self.text.len() && b" \t\r\n".contains(&self.text[self.at]) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn expect(&mut self, literal: &str) -> Result<(), String> {
        if self.text[self.at..].starts_with(literal.as_bytes()) {
            self.at += literal.len();
            Ok(())
        } else {
            Err(format!("expected {literal:?} at byte {}", self.at))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.whitespace();
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.expect("true").map(|_| Json::Bool(true)),
            Some(b'f') => self.expect("false").map(|_| Json::Bool(false)),
            Some(b'n') => self.expect("null").map(|_| Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(format!("unexpected input at byte {}", self.at)),
        }
    }

    fn object(&mut self) -> Result<Json, String> {
        self.expect("{")?;
        let mut fields = BTreeMap::new();
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(fields));
        }
        loop {
            self.whitespace();
            let key = self.string()?;
            self.whitespace();
            self.expect(":")?;
            let value = self.value()?;
            if fields.insert(key.clone(), value).is_some() {
                return Err(format!("duplicate key {key:?}"));
            }
            self.whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(fields));
                }
                _ => return Err(format!("expected , or }} at byte {}", self.at)),
            }
        }
    }

    fn array(&mut self) -> Result<Json, String> {
        self.expect("[")?;
        let mut items = Vec::new();
        self.whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(format!("expected , or ] at byte {}", self.at)),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect("\"")?;
        let mut out = String::new();
        loop {
            let Some(byte) = self.peek() else {
                return Err("unterminated string".into());
            };
            self.at += 1;
            match byte {
                b'"' => return Ok(out),
                b'\\' => {
                    let escape = self.peek().ok_or("unterminated escape")?;
                    self.at += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hex = std::str::from_utf8(&self.text[self.at..self.at + 4])
                                .map_err(|e| e.to_string())?;
                            let code = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
                            out.push(char::from_u32(code).ok_or("surrogate in \\u escape")?);
                            self.at += 4;
                        }
                        _ => return Err(format!("bad escape at byte {}", self.at)),
                    }
                }
                0..0x20 => return Err(format!("raw control character at byte {}", self.at)),
                _ => {
                    // Copy one whole UTF-8 sequence.
                    let start = self.at - 1;
                    while self.peek().is_some_and(|b| b & 0xC0 == 0x80) {
                        self.at += 1;
                    }
                    out.push_str(
                        std::str::from_utf8(&self.text[start..self.at])
                            .map_err(|e| e.to_string())?,
                    );
                }
            }
        }
    }

    /// number = [-] int [frac] [exp]; int = 0 | [1-9] digits (no leading zeros, no +).
    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.at += 1;
            }
            p.at - from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(format!("bad number at byte {start}")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(format!("no digits after '.' at byte {start}"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(format!("no exponent digits at byte {start}"));
            }
        }
        let text = std::str::from_utf8(&self.text[start..self.at]).map_err(|e| e.to_string())?;
        text.parse()
            .map(Json::Number)
            .map_err(|e| format!("{text}: {e}"))
    }
}

#[test]
fn the_test_parser_is_strict() {
    let ok = r#" {"a": [1, -0.5e-3, 2E+2, true, false, null], "b": "x\"\\\u00e9\n", "c": {}} "#;
    let value = Parser::parse(ok).unwrap();
    let Json::Object(fields) = value else {
        panic!("not an object")
    };
    assert_eq!(fields["b"], Json::String("x\"\\\u{e9}\n".into()));
    assert_eq!(
        fields["a"],
        Json::Array(vec![
            Json::Number(1.0),
            Json::Number(-0.5e-3),
            Json::Number(200.0),
            Json::Bool(true),
            Json::Bool(false),
            Json::Null
        ])
    );
    for bad in [
        "{\"a\":NaN}",
        "{\"a\":inf}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":+1}",
        "{\"a\":1,}",
        "{a:1}",
        "{\"a\":1} x",
        "{\"a\":1,\"a\":2}",
        "\"tab\there\"",
        "{\"a\":\"\\q\"}",
    ] {
        assert!(Parser::parse(bad).is_err(), "accepted {bad:?}");
    }
}

// ---------------------------------------------------------------------------------

#[test]
fn list_matches_suite_md() {
    let output = batchjac(&["list"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for (name, m, n, batch) in SUITE {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} missing from list:\n{text}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            fields[1..4],
            [m.to_string(), n.to_string(), batch.to_string()],
            "{line}"
        );
        assert!(fields.len() > 4, "{name} has no description: {line}");
    }
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        &["--help"][..],
        &["help"],
        &["bench", "--help"],
        &["verify", "--help"],
        &["list", "--help"],
        &["jac", "--help"],
    ] {
        let output = batchjac(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(stdout(&output).contains("Usage: batchjac"), "{args:?}");
    }
    // --func's possible values are the suite's names.
    let help = stdout(&batchjac(&["bench", "--help"]));
    for (name, ..) in SUITE {
        assert!(help.contains(name), "bench --help does not list {name}");
    }
}

#[test]
fn bad_usage_exits_2_with_a_message_on_stderr() {
    for args in [
        &["frobnicate"][..],
        &["bench", "--batch", "many"],
        &["bench", "--batch", "0"],
        &["bench", "--func", "rosenbrock"],
        &["bench", "--threads", "0"],
        &["bench", "--lanes", "f64x3"],
        &["bench", "--lanes", "f32x8"],
        &["bench", "--engine", "reverse"],
        &["bench", "--mode", "lanes"],
        &["verify", "--points", "-1"],
        &["--seconds", "0"],
        &["--repeat", "0"],
        &["list", "extra"],
    ] {
        let output = batchjac(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).trim().is_empty(), "{args:?}: no message");
        assert!(stdout(&output).is_empty(), "{args:?}: wrote to stdout");
    }
}

fn object(value: &Json) -> &BTreeMap<String, Json> {
    match value {
        Json::Object(fields) => fields,
        other => panic!("expected an object, got {other:?}"),
    }
}

fn number(fields: &BTreeMap<String, Json>, key: &str) -> f64 {
    match fields.get(key) {
        Some(Json::Number(x)) => *x,
        other => panic!("{key}: expected a number, got {other:?}"),
    }
}

fn string<'a>(fields: &'a BTreeMap<String, Json>, key: &str) -> &'a str {
    match fields.get(key) {
        Some(Json::String(s)) => s,
        other => panic!("{key}: expected a string, got {other:?}"),
    }
}

#[test]
fn bench_json_is_one_valid_object_per_measurement() {
    let output = batchjac(&[
        "bench",
        "--func",
        "arm7",
        "--func",
        "robertson",
        "--batch",
        "300",
        "--threads",
        "1,2",
        "--lanes",
        "f64x4,f64x8",
        "--repeat",
        "3",
        "--seconds",
        "0.01",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    // 2 functions x 2 thread counts x (2 lane types of batchjac + analytic + central-fd).
    assert_eq!(lines.len(), 2 * 2 * 4, "{text}");
    let mut seen = Vec::new();
    for line in &lines {
        let value = Parser::parse(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let fields = object(&value);
        let function = string(fields, "function");
        let &(_, m, n, _) = SUITE
            .iter()
            .find(|s| s.0 == function)
            .expect("a suite name");
        assert_eq!(number(fields, "m"), m as f64);
        assert_eq!(number(fields, "n"), n as f64);
        assert_eq!(number(fields, "batch"), 300.0);
        assert_eq!(number(fields, "repeats"), 3.0);
        let threads = number(fields, "threads");
        assert!(threads == 1.0 || threads == 2.0);
        // Parallel efficiency against the 1-thread rate of the same run: none for the
        // 1-thread rows, a positive number for the 2-thread ones.
        for key in ["efficiency", "efficiency_best"] {
            match (threads as usize, fields.get(key)) {
                (1, Some(Json::Null)) => {}
                (2, Some(Json::Number(e))) => assert!(*e > 0.0 && e.is_finite(), "{line}"),
                _ => panic!("unexpected {key}: {line}"),
            }
        }
        let engine = string(fields, "engine");
        match (engine, fields.get("lanes"), fields.get("mode")) {
            ("batchjac", Some(Json::String(lanes)), Some(Json::String(mode))) => {
                assert!(lanes == "f64x4" || lanes == "f64x8", "{line}");
                // Asked for auto: reported as the mode it resolved to.
                assert!(mode == "tangent" || mode == "batch", "{line}");
                // batchjac is always timed over the whole batch.
                assert_eq!(number(fields, "points_per_call"), 300.0);
            }
            ("analytic" | "central-fd", Some(Json::Null), Some(Json::Null)) => {
                let points = number(fields, "points_per_call");
                assert!((1.0..=300.0).contains(&points), "{line}");
            }
            _ => panic!("unexpected engine/lanes/mode: {line}"),
        }
        let rates = object(&fields["jacobians_per_s"]);
        let (low, median, high) = (
            number(rates, "min"),
            number(rates, "median"),
            number(rates, "max"),
        );
        assert!(0.0 < low && low <= median && median <= high, "{line}");
        assert!(!string(fields, "simd").is_empty());
        seen.push((
            function.to_string(),
            threads as usize,
            engine.to_string(),
            fields.get("lanes").cloned(),
        ));
    }
    seen.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    seen.dedup();
    assert_eq!(seen.len(), lines.len(), "a measurement appears twice");
}

#[test]
fn bench_table_has_a_row_per_measurement() {
    let output = batchjac(&[
        "bench",
        "--func",
        "mlp",
        "--batch",
        "64",
        "--threads",
        "1",
        "--engine",
        "batchjac",
        "--repeat",
        "1",
        "--seconds",
        "0.01",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("mlp ")).collect();
    assert_eq!(rows.len(), 1, "{text}");
    let fields: Vec<&str> = rows[0].split_whitespace().collect();
    assert_eq!(
        fields[..7],
        ["mlp", "32", "4", "64", "1", "batchjac", "auto"],
        "{text}"
    );
}

#[test]
fn verify_passes_for_the_suite_and_fails_for_a_planted_error() {
    let output = batchjac(&[
        "verify",
        "--func",
        "arm7",
        "--func",
        "elementary_mix",
        "--points",
        "8",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let text = stdout(&output);
    assert!(
        text.contains("arm7") && text.contains("elementary_mix"),
        "{text}"
    );

    // d y0 / d x0 of arm7 is of order 1 at every point: 1e-3 relative is far beyond
    // finite differences' error, so every point must fail and the exit code be 1.
    let output = batchjac(&[
        "verify",
        "--func",
        "arm7",
        "--points",
        "8",
        "--perturb",
        "1e-3",
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}

#[test]
fn main_job_prints_one_passing_row_per_function() {
    // The real job times each configuration for 0.3 s; here a few milliseconds suffice
    // to check the table.
    let output = batchjac(&["--seconds", "0.005", "--repeat", "1"]);
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let text = stdout(&output);
    for (name, m, n, batch) in SUITE {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} missing:\n{text}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            fields[1..4],
            [m.to_string(), n.to_string(), batch.to_string()],
            "{line}"
        );
        assert!(line.contains("pass"), "{line}");
        // Two speedup columns.
        assert_eq!(
            fields[4..].iter().filter(|f| f.ends_with('x')).count(),
            2,
            "{line}"
        );
    }
    // The sparse table after the dense one: a passing row for each sparse function.
    let (_, sparse) = text
        .split_once("sparse (CSR)")
        .unwrap_or_else(|| panic!("no sparse table:\n{text}"));
    for name in ["ext_rosenbrock", "brusselator"] {
        let line = sparse
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} missing from the sparse table:\n{sparse}"));
        assert!(line.contains("pass (point"), "{line}");
        // Ratios: vs dense (one per thread count), the CSR rate and the dense-output
        // rate vs analytic.
        let ratios = line.split_whitespace().filter(|f| f.ends_with('x')).count();
        assert!(ratios >= 3, "{line}");
    }
    assert!(sparse.contains("dense J/s"), "{sparse}");
    let brusselator = sparse
        .lines()
        .find(|l| l.starts_with("brusselator"))
        .unwrap();
    // nnz 6 per row of 128.
    assert_eq!(
        brusselator.split_whitespace().nth(1),
        Some("768"),
        "{brusselator}"
    );
    // No progress bar in a pipe.
    assert!(
        !stderr(&output).contains('\u{2588}'),
        "progress bar drawn into a pipe"
    );
}

#[test]
fn bench_mode_selects_tangent_or_batch_lanes() {
    let output = batchjac(&[
        "bench",
        "--func",
        "robertson",
        "--batch",
        "64",
        "--threads",
        "1",
        "--engine",
        "batchjac",
        "--mode",
        "tangent,batch",
        "--repeat",
        "1",
        "--seconds",
        "0.01",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let modes: Vec<String> = stdout(&output)
        .lines()
        .map(|line| {
            let value = Parser::parse(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            string(object(&value), "mode").to_string()
        })
        .collect();
    assert_eq!(modes, ["tangent", "batch"]);
}

/// The row of `name` in a `jac` table, parsed as numbers after the label.
fn jac_row(text: &str, name: &str) -> Vec<f64> {
    let line = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no row {name}:\n{text}"));
    line.split_whitespace()
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect()
}

#[test]
fn jac_prints_the_closed_form_jacobian() {
    let output = batchjac(&[
        "jac",
        "--expr",
        "y0 = x0 * sin(x1); y1 = exp(x0)",
        "--at",
        "0.5,-1.0",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let (x0, x1) = (0.5f64, -1.0f64);
    // Columns: f(x), d/dx0, d/dx1. Closed forms: d(x0 sin x1) = (sin x1, x0 cos x1),
    // d(exp x0) = (exp x0, 0).
    let expected = [
        [x0 * x1.sin(), x1.sin(), x0 * x1.cos()],
        [x0.exp(), x0.exp(), 0.0],
    ];
    for (i, row) in expected.iter().enumerate() {
        let printed = jac_row(&text, &format!("y{i}"));
        assert_eq!(printed.len(), 3, "{text}");
        for (p, e) in printed.iter().zip(row) {
            assert!(
                (p - e).abs() <= 1e-15 * e.abs().max(1.0),
                "y{i}: {p} vs {e}\n{text}"
            );
        }
    }
}

#[test]
fn jac_verify_passes_and_usage_errors_exit_2() {
    let output = batchjac(&[
        "jac",
        "--expr",
        "t0 = x0 * x1; y0 = atan2(t0, x2); y1 = sqrt(1 + x2 * x2)",
        "--at",
        "0.3,0.7,-1.2",
        "--verify",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).lines().count() > 6,
        "no reports:\n{}",
        stdout(&output)
    );

    for args in [
        &["jac", "--expr", "y0 = x0 +* 2", "--at", "1"][..],
        &["jac", "--expr", "y0 = x0 * x1", "--at", "1"],
        &["jac", "--expr", "y0 = x0", "--at", "one"],
        &["jac", "--at", "1"],
        &["jac", "--expr", "y0 = x0"],
    ] {
        let output = batchjac(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).trim().is_empty(), "{args:?}");
    }
}

/// Ctrl-C (SIGINT) stops the main job cleanly: the rows measured so far are printed,
/// the interruption is said on stderr, and the exit code is 130.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_main_job_cleanly() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    // Long enough per measurement that the signal arrives mid-run.
    let child = Command::new(env!("CARGO_BIN_EXE_batchjac"))
        .args(["--seconds", "2", "--repeat", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the batchjac binary starts");
    // Wait until it has started measuring (its header is printed first), then signal.
    std::thread::sleep(Duration::from_millis(1500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let start = Instant::now();
    let output = child.wait_with_output().expect("batchjac ends");
    // It stops at the next task or measurement: well before the 7 x 2 x 4 s of a full run.
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?} after the signal",
        start.elapsed()
    );
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("(interrupted:"), "{out}");
    assert!(
        stderr(&output).contains("interrupted (Ctrl-C)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn jac_sparse_prints_pattern_colouring_and_csr() {
    let output = batchjac(&[
        "jac",
        "--expr",
        "y0 = x0 * x1; y1 = sin(x2)",
        "--at",
        "0.5,2,1",
        "--sparse",
        "--verify",
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", stderr(&output));
    let (_, sparse) = text
        .split_once("sparsity pattern")
        .unwrap_or_else(|| panic!("no sparse section:\n{text}"));
    assert!(sparse.contains("nnz = 3 of 6"), "{sparse}");
    let lines: Vec<&str> = sparse.lines().map(str::trim).collect();
    assert!(lines.contains(&"y0  **."), "{sparse}");
    assert!(lines.contains(&"y1  ..*"), "{sparse}");
    assert!(
        sparse.contains("colouring: 2 colours, lower bound 2"),
        "{sparse}"
    );
    // x0 and x1 share row 0: different colours.
    let colours = lines
        .iter()
        .find_map(|l| l.strip_prefix("column colours: "))
        .unwrap_or_else(|| panic!("no column colours:\n{sparse}"));
    let colours: Vec<&str> = colours.split_whitespace().collect();
    assert_eq!(colours.len(), 3, "{sparse}");
    assert_ne!(colours[0][3..], colours[1][3..], "{sparse}");
    assert!(lines.contains(&"row_ptr = [0, 2, 3]"), "{sparse}");
    assert!(lines.contains(&"col_idx = [0, 1, 2]"), "{sparse}");
    // cos 1 as the crate computes it (its kernel, correctly rounded here; std's is 1 ulp
    // above).
    let values = format!("values  = [2.0, 0.5, {:?}]", batchjac::Value::cos(1.0f64));
    assert!(lines.contains(&values.as_str()), "{sparse}");
    assert!(sparse.contains("bit for bit: yes"), "{sparse}");
    assert!(sparse.contains("sparse values, verified"), "{sparse}");
    assert!(sparse.contains("PASSED"), "{sparse}");
}

/// `batchjac::expr` has no construct that branches on a value (`select` goes through
/// Real::select), so every program traces: the pattern of a select holds both
/// branches, and the comparison contributes nothing.
#[test]
fn jac_sparse_traces_select_through_both_branches() {
    let output = batchjac(&[
        "jac",
        "--expr",
        "y0 = select(x0 > 0, x1, exp(x2)); y1 = x0",
        "--at",
        "1,2,3",
        "--sparse",
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", stderr(&output));
    let (_, sparse) = text.split_once("sparsity pattern").unwrap();
    let lines: Vec<&str> = sparse.lines().map(str::trim).collect();
    assert!(lines.contains(&"y0  .**"), "{sparse}");
    assert!(lines.contains(&"y1  *.."), "{sparse}");
    // d y0 / d x2 is a structural nonzero that is 0 at this point (x0 > 0 takes x1).
    assert!(lines.contains(&"values  = [1.0, 0.0, 1.0]"), "{sparse}");
}

#[test]
fn bench_sparse_json_has_nnz_and_colours() {
    let output = batchjac(&[
        "bench",
        "--sparse",
        "--batch",
        "64",
        "--threads",
        "1,2",
        "--repeat",
        "1",
        "--seconds",
        "0.01",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    // ext_rosenbrock and brusselator x 2 thread counts x (batchjac, sparse, sparse-dense,
    // analytic).
    assert_eq!(lines.len(), 2 * 2 * 4, "{text}");
    let mut sparse_rows = 0;
    for line in &lines {
        let value = Parser::parse(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let fields = object(&value);
        let function = string(fields, "function");
        assert!(
            function == "ext_rosenbrock" || function == "brusselator",
            "{line}"
        );
        match string(fields, "engine") {
            "sparse" | "sparse-dense" => {
                sparse_rows += 1;
                let (nnz, colors) = (number(fields, "nnz"), number(fields, "colors"));
                let (m, n) = (number(fields, "m"), number(fields, "n"));
                assert!(0.0 < nnz && nnz < m * n, "{line}");
                assert!((1.0..=m).contains(&colors), "{line}");
                if function == "brusselator" {
                    assert_eq!(nnz, 768.0, "{line}");
                }
                let mode = string(fields, "mode");
                assert!(mode == "tangent" || mode == "batch", "{line}");
                assert_eq!(number(fields, "points_per_call"), 64.0, "{line}");
                let rates = object(&fields["jacobians_per_s"]);
                assert!(number(rates, "median") > 0.0, "{line}");
            }
            "batchjac" | "analytic" => {
                assert_eq!(fields.get("nnz"), Some(&Json::Null), "{line}");
                assert_eq!(fields.get("colors"), Some(&Json::Null), "{line}");
            }
            other => panic!("unexpected engine {other}: {line}"),
        }
    }
    assert_eq!(sparse_rows, 8, "{text}");
}
