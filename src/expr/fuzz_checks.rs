//! The checks the fuzz targets run (fuzz/fuzz_targets/), kept in the library so that the
//! stable-toolchain replay test (tests/math/fuzz_corpus.rs) runs the same code on every saved
//! corpus file and crash. Each check decodes a byte string into a case (a [`Program`], a
//! point, options) with [`ByteSource`] and returns a [`Finding`] when the crate is wrong;
//! a panic inside a check is a finding too.
//!
//! Not part of the stable API.
//!
//! The `check_*` entry points are `#[inline]`: the library itself does not compile them
//! (nor the many driver instances they run), only the fuzz targets and tests that call
//! them do, so a crate that depends on batchjac does not pay for them. (The fuzz crate
//! compiles them once, in its own library, for all its targets.)

use super::{ByteSource, Program};
use crate::error::Error;
use crate::function::VectorFn;
use crate::jacobian::{LaneType, Options, jacobian_with_options};
use core::fmt;

mod smooth;
pub use smooth::{Smoothness, smoothness};

/// A case on which the crate was wrong, printed so that it can be pasted into a test.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Which check found it.
    pub check: &'static str,
    /// The case: the program's text form and the inputs, in round-trip notation.
    pub case: String,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}\n  case: {}", self.check, self.message, self.case)
    }
}

impl std::error::Error for Finding {}

/// What a check did with a case that was not a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every comparison was made and passed.
    Checked,
    /// The lane comparison passed; the comparison with the verification layer was
    /// skipped for this reason (f not finite or not smooth near the point).
    NotVerified(&'static str),
}

/// Two results are the same when their bits are, or when both are NaN (IEEE-754 leaves
/// NaN payloads to the instruction that made them).
pub fn same_bits(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn case(program: &Program, x: &[f64]) -> String {
    format!("{program} at x = {x:?}")
}

/// The lanes whose Jacobians must equal the one-lane scalar oracle's, per element type.
const F64_LANES: [LaneType; 3] = [LaneType::Auto, LaneType::F64x4, LaneType::F64x8];
const F32_LANES: [LaneType; 3] = [LaneType::Auto, LaneType::F32x8, LaneType::F32x16];

/// Target 1, `jacobian`: a random program at a random point.
///
/// 1. Every SIMD lane type gives the Jacobian and values of the one-lane scalar oracle
///    (`LaneType::Scalar`) bit for bit, in f64 and in f32, or the same error. The
///    tolerance is zero on purpose: the lane type only decides which lane of which
///    vector carries a direction, each lane runs the same IEEE-754 operations in the
///    same order as the oracle, and `Lanes::mul_add` fuses exactly where wide's vector
///    `mul_add` fuses (both follow `target_feature = "fma"`), so even FMA rounding is
///    the same. Any difference is a bug (a lane mixed up, a chunk seeded wrongly).
/// 2. Where f is finite and smooth near the point ([`smoothness`]), the oracle's
///    Jacobian passes the verification layer (`verify_jacobian`).
#[inline]
pub fn check_jacobian(data: &[u8]) -> Result<Outcome, Finding> {
    let mut bytes = ByteSource::new(data);
    let program = bytes.program(12);
    let x = bytes.point(program.inputs());
    let (m, n) = (program.inputs(), program.outputs());
    let fail = |message: String| Finding {
        check: "jacobian",
        case: case(&program, &x),
        message,
    };

    let (oracle, oracle_values) = lane_results(&program, &x, LaneType::Scalar);
    for lanes in F64_LANES {
        let (jac, values) = lane_results(&program, &x, lanes);
        compare_lanes(&oracle, &jac, &oracle_values, &values, m, lanes).map_err(&fail)?;
    }
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let (oracle32, oracle_values32) = lane_results(&program, &x32, LaneType::Scalar);
    for lanes in F32_LANES {
        let (jac, values) = lane_results(&program, &x32, lanes);
        compare_lanes(&oracle32, &jac, &oracle_values32, &values, m, lanes).map_err(&fail)?;
    }

    let jac = match oracle {
        Ok(jac) => jac,
        // A program never panics and writes every output, so the only error left is a
        // value that carries the poison bits by chance; nothing to verify then.
        Err(_) => return Ok(Outcome::NotVerified("the oracle returned an error")),
    };
    debug_assert_eq!(jac.len(), n * m);
    if let Err(reason) = smoothness(&program, &x) {
        return Ok(Outcome::NotVerified(reason.reason()));
    }
    if !jac.iter().all(|v| v.is_finite()) {
        return Ok(Outcome::NotVerified("the Jacobian is not finite"));
    }
    verify_jacobian(&program, &x, &jac).map_err(fail)
}

/// Judges `jac` with the verification layer: finite differences entry by entry
/// (`check_jacobian`), and where they find a failure, the Taylor-remainder test as a
/// second, independent referee. A finding needs both: a failure finite differences
/// alone report (say, noise they misjudge) or that only the Taylor test reports is not
/// a derivative bug the fuzzer may claim, and counts as unverified instead.
fn verify_jacobian(program: &Program, x: &[f64], jac: &[f64]) -> Result<Outcome, String> {
    use crate::verify::{TaylorOptions, check_jacobian, taylor_test};
    let report = check_jacobian(program, x, jac).map_err(|e| format!("check_jacobian: {e}"))?;
    if report.passed() {
        return Ok(Outcome::Checked);
    }
    let taylor = taylor_test(program, x, jac, &TaylorOptions::default())
        .map_err(|e| format!("taylor_test: {e}"))?;
    if taylor.passed() {
        return Ok(Outcome::NotVerified(
            "finite differences reject the Jacobian, the Taylor test accepts it",
        ));
    }
    Err(format!(
        "the verification layer rejects the Jacobian {jac:?}\n{report}\n{taylor}"
    ))
}

type LaneResult<E> = (Result<Vec<E>, Error>, Vec<E>);

fn lane_results<E: crate::Element>(program: &Program, x: &[E], lanes: LaneType) -> LaneResult<E> {
    let (m, n) = (program.inputs(), program.outputs());
    let mut jac = vec![<E as crate::Value>::from_f64(0.0); n * m];
    let mut values = vec![<E as crate::Value>::from_f64(0.0); n];
    let result = jacobian_with_options(
        program,
        x,
        &mut jac,
        Some(&mut values),
        &Options::with_lanes(lanes),
    );
    (result.map(|()| jac), values)
}

fn compare_lanes<E: crate::Element>(
    oracle: &Result<Vec<E>, Error>,
    jac: &Result<Vec<E>, Error>,
    oracle_values: &[E],
    values: &[E],
    m: usize,
    lanes: LaneType,
) -> Result<(), String> {
    let bits = |v: &E| crate::Float::to_f64(*v);
    match (oracle, jac) {
        (Ok(expected), Ok(got)) => {
            for (k, (a, b)) in expected.iter().zip(got).enumerate() {
                if !same_bits(bits(a), bits(b)) {
                    return Err(format!(
                        "{lanes} ({}): J[{}][{}] = {:e}, the scalar oracle gives {:e}",
                        core::any::type_name::<E>(),
                        k / m,
                        k % m,
                        bits(b),
                        bits(a)
                    ));
                }
            }
            for (i, (a, b)) in oracle_values.iter().zip(values).enumerate() {
                if !same_bits(bits(a), bits(b)) {
                    return Err(format!(
                        "{lanes} ({}): f[{i}] = {:e}, the scalar oracle gives {:e}",
                        core::any::type_name::<E>(),
                        bits(b),
                        bits(a)
                    ));
                }
            }
            Ok(())
        }
        (Err(e), Err(g)) if e == g => Ok(()),
        (e, g) => Err(format!(
            "{lanes} ({}): result {:?}, the scalar oracle gives {:?}",
            core::any::type_name::<E>(),
            g.as_ref().err(),
            e.as_ref().err()
        )),
    }
}

/// Target 4, `sparse`: a random program at a random point (decoded as in
/// [`check_jacobian`]), through [`crate::sparse`].
///
/// 1. Detection succeeds: no construct of [`Program`] branches on a value, so every
///    program traces.
/// 2. The colouring is valid: columns sharing a colour never share a row, and there are
///    at least [`SparseJacobian::lower_bound`] colours.
/// 3. At the point, in tangent lanes of every f64 lane type, and in f32: the sparse
///    call succeeds or fails exactly as the dense one; every finite nonzero of the dense
///    Jacobian lies in the pattern; the sparse values equal the dense entries at the
///    pattern bit for bit, and the values f(x) too.
///
/// [`SparseJacobian::lower_bound`]: crate::sparse::SparseJacobian::lower_bound
#[inline]
pub fn check_sparse(data: &[u8]) -> Result<(), Finding> {
    use crate::sparse::SparseJacobian;
    let mut bytes = ByteSource::new(data);
    let program = bytes.program(12);
    let x = bytes.point(program.inputs());
    let fail = |message: String| Finding {
        check: "sparse",
        case: case(&program, &x),
        message,
    };
    let sj = SparseJacobian::new(&program)
        .map_err(|e| fail(format!("SparseJacobian::new fails: {e}")))?;
    check_colouring(&sj).map_err(&fail)?;
    for lanes in [
        LaneType::Scalar,
        LaneType::Auto,
        LaneType::F64x4,
        LaneType::F64x8,
    ] {
        sparse_equals_dense(&sj, &program, &x, lanes).map_err(&fail)?;
    }
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    for lanes in [LaneType::Scalar, LaneType::F32x8, LaneType::F32x16] {
        sparse_equals_dense(&sj, &program, &x32, lanes).map_err(&fail)?;
    }
    Ok(())
}

/// Columns sharing a colour never share a row; the count is within its bounds.
fn check_colouring(sj: &crate::sparse::SparseJacobian) -> Result<(), String> {
    let colors = sj.column_colors();
    if colors.len() != sj.inputs() {
        return Err(format!(
            "{} column colours for m = {}",
            colors.len(),
            sj.inputs()
        ));
    }
    if sj.nnz() > 0 && (sj.colors() < sj.lower_bound() || sj.colors() > sj.inputs()) {
        return Err(format!(
            "{} colours, lower bound {}, m = {}",
            sj.colors(),
            sj.lower_bound(),
            sj.inputs()
        ));
    }
    for i in 0..sj.outputs() {
        let row = &sj.col_idx()[sj.row_ptr()[i]..sj.row_ptr()[i + 1]];
        let mut seen = vec![false; sj.colors()];
        for &j in row {
            let c = colors[j];
            if c >= sj.colors() || seen[c] {
                return Err(format!("row {i}: colour {c} invalid or used twice"));
            }
            seen[c] = true;
        }
    }
    Ok(())
}

/// The sparse Jacobian and values at `x` against the dense ones of the same lane type.
fn sparse_equals_dense<E: crate::Element>(
    sj: &crate::sparse::SparseJacobian,
    program: &Program,
    x: &[E],
    lanes: LaneType,
) -> Result<(), String> {
    let (m, n) = (program.inputs(), program.outputs());
    let zero = <E as crate::Value>::from_f64(0.0);
    let bits = |v: E| crate::Float::to_f64(v);
    let what = format!("{lanes} ({})", core::any::type_name::<E>());
    let (mut dense, mut dense_fx) = (vec![zero; n * m], vec![zero; n]);
    let options = Options::with_lanes(lanes);
    let dense_result = jacobian_with_options(program, x, &mut dense, Some(&mut dense_fx), &options);
    let (mut values, mut fx) = (vec![zero; sj.nnz()], vec![zero; n]);
    let sparse_result = sj.jacobian_with_options(program, x, &mut values, Some(&mut fx), &options);
    match (&dense_result, &sparse_result) {
        (Ok(()), Ok(())) => {}
        (Err(d), Err(s)) if d == s => return Ok(()),
        _ => {
            return Err(format!(
                "{what}: sparse gives {sparse_result:?}, dense {dense_result:?}"
            ));
        }
    }
    for i in 0..n {
        let row = &sj.col_idx()[sj.row_ptr()[i]..sj.row_ptr()[i + 1]];
        for j in 0..m {
            let v = bits(dense[i * m + j]);
            if v != 0.0 && v.is_finite() && row.binary_search(&j).is_err() {
                return Err(format!(
                    "{what}: J[{i}][{j}] = {v:e} is not in the detected pattern {row:?}"
                ));
            }
        }
        for (k, &j) in (sj.row_ptr()[i]..).zip(row) {
            let (s, d) = (bits(values[k]), bits(dense[i * m + j]));
            if !same_bits(s, d) {
                return Err(format!(
                    "{what}: sparse J[{i}][{j}] = {s:e}, dense {d:e} (not the same bits)"
                ));
            }
        }
        let (s, d) = (bits(fx[i]), bits(dense_fx[i]));
        if !same_bits(s, d) {
            return Err(format!("{what}: sparse f[{i}] = {s:e}, dense {d:e}"));
        }
    }
    Ok(())
}

/// Target 3, `text`: the text form.
///
/// 1. The bytes as text (lossy UTF-8): parsing never panics; an error is
///    [`Error::InvalidArgument`] naming a line and column or a statement; a program that
///    parses prints to a text that parses back to the same program and prints the same.
/// 2. The bytes as a generated program: `parse(print(p)) == p`.
#[inline]
pub fn check_text(data: &[u8]) -> Result<(), Finding> {
    let text = String::from_utf8_lossy(data);
    let fail = |case: String, message: String| Finding {
        check: "text",
        case,
        message,
    };
    match Program::parse(&text) {
        Ok(p) => round_trip(&p).map_err(|m| fail(format!("{text:?}"), m))?,
        Err(Error::InvalidArgument { message }) => {
            if !message.starts_with("expression: ") {
                return Err(fail(
                    format!("{text:?}"),
                    format!("unlabelled error {message:?}"),
                ));
            }
        }
        Err(other) => {
            return Err(fail(
                format!("{text:?}"),
                format!("wrong error kind {other:?}"),
            ));
        }
    }
    let generated = ByteSource::new(data).program(8);
    round_trip(&generated).map_err(|m| fail(generated.to_string(), m))
}

fn round_trip(p: &Program) -> Result<(), String> {
    let printed = p.to_string();
    match Program::parse(&printed) {
        Ok(back) if back == *p => {
            let again = back.to_string();
            if again == printed {
                Ok(())
            } else {
                Err(format!("prints as {printed:?}, then as {again:?}"))
            }
        }
        Ok(back) => Err(format!(
            "prints as {printed:?}, which parses as {back:?}, not {p:?}"
        )),
        Err(e) => Err(format!("prints as {printed:?}, which does not parse: {e}")),
    }
}

/// The message of the panics that checks plant in user functions on purpose.
pub const PLANNED_PANIC: &str = "fuzz_checks: planned panic in a user function";

/// Wraps the process's panic hook (once) so that the panics checks plant on purpose
/// pass silently, while every other panic still reaches the previous hook (under
/// libFuzzer, one that aborts, so it is reported as a crash).
pub fn quiet_planned_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let planned = payload.downcast_ref::<&str>() == Some(&PLANNED_PANIC)
                || payload
                    .downcast_ref::<String>()
                    .is_some_and(|s| s == PLANNED_PANIC);
            if !planned {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smooth(text: &str, x: &[f64]) -> Result<(), Smoothness> {
        smoothness(&Program::parse(text).unwrap(), x)
    }

    #[test]
    fn smoothness_accepts_smooth_points() {
        assert_eq!(smooth("y0 = sin(x0) * exp(x1)", &[0.3, -0.2]), Ok(()));
        assert_eq!(smooth("y0 = atanh(x0); y1 = abs(x0)", &[0.5]), Ok(()));
        assert_eq!(smooth("y0 = pow(hypot(x0, x1), x0)", &[0.5, -0.25]), Ok(()));
        // A NaN in a dead statement or an untaken select branch never reaches f.
        assert_eq!(smooth("t0 = ln(-x0); y0 = x0", &[0.5]), Ok(()));
        assert_eq!(smooth("y0 = select(x0 > 0, x0, ln(-1))", &[0.5]), Ok(()));
    }

    #[test]
    fn smoothness_rejects_kinks_edges_noise_and_curvature() {
        use Smoothness::*;
        assert_eq!(smooth("y0 = abs(x0)", &[0.0]), Err(OnKink));
        assert_eq!(smooth("y0 = abs(x0)", &[1e-5]), Err(KinkNearby));
        assert_eq!(smooth("y0 = max(x0, x1)", &[0.5, 0.5]), Err(OnKink));
        assert_eq!(smooth("y0 = max(x0, x1)", &[0.5, 0.501]), Err(KinkNearby));
        assert_eq!(
            smooth("y0 = select(x0 < 1, x0, 2)", &[0.9999]),
            Err(KinkNearby)
        );
        assert_eq!(smooth("y0 = sqrt(x0)", &[1e-4]), Err(KinkNearby));
        assert_eq!(smooth("y0 = atanh(x0)", &[0.9999]), Err(KinkNearby));
        assert_eq!(smooth("y0 = atan2(x0, x1)", &[1e-4, -1.0]), Err(KinkNearby));
        // Found by the fuzzer: the cone's tip within the radius, yet the second
        // difference small, since (sqrt(2)|t|)^t - 1 ~ t ln|t| is odd.
        assert_eq!(
            smooth("y0 = pow(hypot(x0, x0), x0)", &[1e-8]),
            Err(KinkNearby)
        );
        // The same kind of tip where no operation changes branch: sqrt and ln keep
        // positive arguments, so only the slopes at shrinking radii reveal it.
        assert_eq!(smooth("y0 = x0 * ln(sqrt(x0 * x0))", &[1e-8]), Err(Curved));
        assert_eq!(smooth("y0 = x0 * ln(sqrt(x0 * x0))", &[1e-12]), Err(Curved));
        assert_eq!(smooth("y0 = x0 * ln(sqrt(x0 * x0))", &[0.5]), Ok(()));
        assert_eq!(smooth("y0 = ln(x0)", &[-1.0]), Err(NotFinite));
        assert_eq!(smooth("y0 = exp(x0)", &[800.0]), Err(NotFinite));
        assert_eq!(smooth("y0 = x0 + 1e16 - 1e16", &[0.5]), Err(Noisy));
        assert_eq!(smooth("y0 = sin(1000 * x0)", &[0.5]), Err(Curved));
    }

    #[test]
    fn verification_rejects_a_wrong_jacobian_and_accepts_the_right_one() {
        // atanh's derivative replaced by atan's, as a copy-paste bug would: the check the
        // jacobian target makes must call it a finding; the true Jacobian must pass.
        let p = Program::parse("y0 = atanh(x0) * x1; y1 = x1").unwrap();
        let x = [0.43, 1.5];
        let right = [1.5 / (1.0 - 0.43 * 0.43), 0.43f64.atanh(), 0.0, 1.0];
        let mut wrong = right;
        wrong[0] = 1.5 / (1.0 + 0.43 * 0.43);
        assert_eq!(verify_jacobian(&p, &x, &right), Ok(Outcome::Checked));
        let message = verify_jacobian(&p, &x, &wrong).unwrap_err();
        assert!(message.contains("FAILED"), "{message}");
    }
}

mod batch;
mod modes;
pub use batch::check_batch;
pub use modes::check_modes;
