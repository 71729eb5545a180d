//! Unit tests of the sparse module's private parts; the tests of its public interface
//! (detection, colouring, compressed evaluation against the dense drivers, errors,
//! determinism) are in tests/it/sparse.rs, where they share the test binary's compiled
//! drivers.

/// Operators with f64 on either side keep the tracer's set (for `Real`'s possible
/// `Add<f64>`-style supertraits).
#[test]
fn tracer_takes_f64_operands() {
    use super::tracer::Tracer;
    use crate::real::Value;
    let c = Tracer::from_f64(2.0);
    let _ = (
        c + 1.0,
        c - 1.0,
        c * 1.0,
        c / 1.0,
        1.0 + c,
        1.0 - c,
        1.0 * c,
        1.0 / c,
    );
    let mut d = c;
    d += 1.0;
    d -= 1.0;
    d *= 2.0;
    d /= 2.0;
    assert_eq!(d, c);
}
