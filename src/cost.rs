//! Operation counts of a function, for [`crate::Mode::Auto`]: one evaluation over a
//! [`Real`](crate::Real) type that carries nothing and counts what is done to it.
//!
//! Batch lanes evaluate an elementary function (sin, exp, tanh, ...) for 8 points with
//! one SIMD kernel call, tangent lanes call the scalar kernel once per point, so a
//! function heavy in elementary functions or in arithmetic per Jacobian entry gains
//! from batch lanes even past 8 inputs; a function that does little work per entry is
//! bound by writing the Jacobian, which tangent lanes do in one contiguous run per
//! point. [`op_counts`] measures the first without running the function on numbers.
//!
//! Anything that needs a value ([`Value::primal`], [`crate::Mask::any`], [`crate::Mask::all`]) ends
//! the count by unwinding with a private payload (through
//! [`std::panic::resume_unwind`], which prints nothing); so does a panic of the
//! function. Either way [`op_counts`] returns `None` and the caller falls back to the
//! rule by m alone.

use crate::function::VectorFn;
use crate::real::Value;
// Comparisons carry nothing here either: the tracer's mask, whose truth value unwinds
// (caught below like any other unwinding).
use crate::sparse::tracer::TraceMask;
use core::cell::Cell;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// Operations counted in one evaluation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct OpCounts {
    /// Arithmetic, comparisons, `sqrt`, `abs`, `min`, ... (a few instructions each).
    pub arithmetic: u64,
    /// Elementary functions computed by a polynomial kernel (`exp`, `sin`, `tanh`, ...).
    pub elementary: u64,
}

thread_local! {
    static COUNTS: Cell<OpCounts> = const { Cell::new(OpCounts { arithmetic: 0, elementary: 0 }) };
}

/// The private unwinding payload: the function asked for a value.
struct NeedsValue;

#[cold]
fn needs_value() -> ! {
    std::panic::resume_unwind(Box::new(NeedsValue))
}

#[inline]
fn arithmetic(k: u64) {
    COUNTS.with(|c| {
        let mut v = c.get();
        v.arithmetic += k;
        c.set(v);
    });
}

#[inline]
fn elementary(k: u64) {
    COUNTS.with(|c| {
        let mut v = c.get();
        v.elementary += k;
        c.set(v);
    });
}

/// A value that carries nothing; every operation on it is counted.
#[derive(Clone, Copy, Debug)]
struct Counted;

macro_rules! binary_ops {
    ($($trait:ident $method:ident $assign_trait:ident $assign:ident),*) => {$(
        impl $trait for Counted {
            type Output = Counted;
            fn $method(self, _: Counted) -> Counted {
                arithmetic(1);
                Counted
            }
        }
        impl $assign_trait for Counted {
            fn $assign(&mut self, _: Counted) {
                arithmetic(1);
            }
        }
        impl $trait<f64> for Counted {
            type Output = Counted;
            fn $method(self, _: f64) -> Counted {
                arithmetic(1);
                Counted
            }
        }
        impl $assign_trait<f64> for Counted {
            fn $assign(&mut self, _: f64) {
                arithmetic(1);
            }
        }
    )*};
}

binary_ops!(
    Add add AddAssign add_assign,
    Sub sub SubAssign sub_assign,
    Mul mul MulAssign mul_assign,
    Div div DivAssign div_assign
);

impl Neg for Counted {
    type Output = Counted;
    fn neg(self) -> Counted {
        arithmetic(1);
        Counted
    }
}

/// Methods that cost `$counter(1)` and return a `Counted`.
macro_rules! counted {
    ($counter:ident: $($name:ident($($arg:ident: $ty:ty),*)),*) => {$(
        fn $name(self, $(_: $ty),*) -> Self {
            $counter(1);
            Counted
        }
    )*};
}

/// Comparisons: one arithmetic operation each.
macro_rules! compare {
    ($($name:ident),*) => {$(
        fn $name(self, _: Self) -> TraceMask {
            arithmetic(1);
            TraceMask
        }
    )*};
}

impl Value for Counted {
    type Mask = TraceMask;
    const POINTS: usize = 1;

    fn from_f64(_: f64) -> Self {
        Counted
    }
    fn scale(self, _: f64) -> Self {
        arithmetic(1);
        Counted
    }
    fn primal(&self) -> f64 {
        needs_value()
    }
    fn poison() -> Self {
        Counted
    }
    fn is_poison(&self) -> bool {
        false
    }
    compare!(lt, le, gt, ge, eq);
    fn is_nan(self) -> TraceMask {
        arithmetic(1);
        TraceMask
    }
    fn is_finite(self) -> TraceMask {
        arithmetic(1);
        TraceMask
    }
    fn select(_: TraceMask, _: Self, _: Self) -> Self {
        arithmetic(1);
        Counted
    }
    counted!(arithmetic: recip(), sqrt(), abs(), signum(), powi(n: i32), min(o: Self),
        max(o: Self), mul_add(a: Self, b: Self));
    counted!(elementary: cbrt(), exp(), exp2(), exp_m1(), ln(), log2(), log10(), ln_1p(),
        sin(), cos(), tan(), asin(), acos(), atan(), sinh(), cosh(), tanh(), asinh(),
        acosh(), atanh(), powf(n: f64), pow(n: Self), atan2(x: Self), hypot(o: Self));
    fn sin_cos(self) -> (Self, Self) {
        elementary(1);
        (Counted, Counted)
    }
}

/// Counts the operations of one evaluation of `f`; `None` when the function needs a
/// value to decide what to do (it reads [`Value::primal`] or a comparison's truth) or
/// panics. The count includes both sides of every [`Value::select`].
pub(crate) fn op_counts<F: VectorFn>(f: &F) -> Option<OpCounts> {
    let (m, n) = (f.inputs(), f.outputs());
    let x = vec![Counted; m];
    let mut y = vec![Counted; n];
    let before = COUNTS.with(|c| c.replace(OpCounts::default()));
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.eval(&x, &mut y)));
    let counts = COUNTS.with(|c| c.replace(before));
    run.ok().map(|()| counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::SuiteFunction;
    use crate::{Real, VectorFn};

    struct Fixed;
    impl VectorFn for Fixed {
        fn inputs(&self) -> usize {
            2
        }
        fn outputs(&self) -> usize {
            2
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            // 3 arithmetic (mul, add with a constant, scale) and 2 elementary (sin, exp).
            y[0] = x[0] * x[1] + 1.0;
            y[1] = x[0].sin().exp().scale(2.0);
        }
    }

    #[test]
    fn counts_each_operation_once() {
        let counts = op_counts(&Fixed).unwrap();
        assert_eq!(
            counts,
            OpCounts {
                arithmetic: 3,
                elementary: 2
            }
        );
    }

    #[test]
    fn suite_functions_count_their_elementary_calls() {
        // src/suite.rs: a cos per input for the sum, then a sin_cos per input.
        let f = SuiteFunction::by_name("trigonometric").unwrap();
        assert_eq!(op_counts(&f).unwrap().elementary, 32);
        let f = SuiteFunction::by_name("ext_rosenbrock").unwrap();
        assert_eq!(op_counts(&f).unwrap().elementary, 0);
    }

    struct Branchy;
    impl VectorFn for Branchy {
        fn inputs(&self) -> usize {
            1
        }
        fn outputs(&self) -> usize {
            1
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = if x[0].primal() > 0.0 {
                x[0].exp()
            } else {
                x[0]
            };
        }
    }

    struct Panics;
    impl VectorFn for Panics {
        fn inputs(&self) -> usize {
            1
        }
        fn outputs(&self) -> usize {
            1
        }
        fn eval<R: Real>(&self, _: &[R], _: &mut [R]) {
            panic!("always");
        }
    }

    #[test]
    fn a_function_that_needs_values_or_panics_has_no_count() {
        assert_eq!(op_counts(&Branchy), None);
        // A panic inside the count is caught (the panic hook prints it), and the
        // counter is left as it was.
        assert_eq!(op_counts(&Panics), None);
        assert_eq!(op_counts(&Fixed).unwrap().elementary, 2);
    }
}
