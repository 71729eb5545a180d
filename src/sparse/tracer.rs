//! Sparsity detection: a [`Real`] type that carries, instead of a number, the set of
//! inputs a value depends on.
//!
//! # Design
//! [`Real`] values must be `Copy + 'static`, so a tracer cannot own a heap set. A
//! [`Tracer`] is two `u32`s: the index of its set in a thread-local arena and the epoch
//! (detection run) that arena belongs to. The arena stores each set as a sorted list
//! of input indices, all lists in one `Vec<u32>`:
//!
//! - memory grows with the sizes of the sets made, not with m times the number of
//!   operations as m-bit bitsets would (a sparse function of 10^5 inputs traces in a
//!   few megabytes), and there is no limit on m as a const-generic inline bitset would
//!   have (and no copies of m / 8 bytes per value);
//! - set 0 is the empty set (constants: [`Real::from_f64`] needs no arena), sets 1..=m
//!   the inputs; a unary operation returns its operand's set unchanged (no new set), a
//!   binary one makes a new set only when both operands are non-empty, different, and
//!   neither contains the other;
//! - the epoch makes a tracer used outside its own detection (sent to another thread,
//!   or kept from an earlier run) an error rather than a read of some other set;
//! - the arena is cleared when detection ends, on every path.
//!
//! The pattern is global: every operation unions its operands' sets (including those
//! whose derivative happens to be zero, such as `signum`: a superset of the nonzeros is
//! always correct, and it keeps the compressed tangents equal to the dense ones bit for
//! bit); [`crate::Value::select`] merges both branches; comparisons give a [`TraceMask`] that
//! carries nothing. Anything that needs a value ([`crate::Value::primal`], [`Mask::any`],
//! [`Mask::all`]) unwinds with a private payload that detection turns into
//! [`Error::Untraceable`]. The unwinding uses [`std::panic::resume_unwind`], which does
//! not run the panic hook, so nothing is printed.

use crate::error::{Error, panic_message};
use crate::function::{VectorFn, check_dimensions};
use crate::real::{Mask, Value};
use core::cell::RefCell;
use core::ops::{
    Add, AddAssign, BitAnd, BitOr, Div, DivAssign, Mul, MulAssign, Neg, Not, Sub, SubAssign,
};
use std::sync::atomic::{AtomicU32, Ordering};

/// Set index of the empty set.
const EMPTY: u32 = 0;
/// Set index of the poison value (an output the function never wrote).
const POISON: u32 = u32::MAX;

/// The private panic payload of a tracer asked for something it cannot give.
struct Misuse(&'static str);

/// Unwinds to [`detect`] without running the panic hook.
#[cold]
fn misuse(operation: &'static str) -> ! {
    std::panic::resume_unwind(Box::new(Misuse(operation)))
}

/// A value during sparsity detection: the set of inputs it depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tracer {
    set: u32,
    epoch: u32,
}

/// A comparison result during detection: carries nothing; asking it for a truth value
/// is an error.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TraceMask;

impl BitAnd for TraceMask {
    type Output = Self;
    fn bitand(self, _: Self) -> Self {
        TraceMask
    }
}

impl BitOr for TraceMask {
    type Output = Self;
    fn bitor(self, _: Self) -> Self {
        TraceMask
    }
}

impl Not for TraceMask {
    type Output = Self;
    fn not(self) -> Self {
        TraceMask
    }
}

impl Mask for TraceMask {
    fn any(self) -> bool {
        misuse("Mask::any on a comparison")
    }
    fn all(self) -> bool {
        misuse("Mask::all on a comparison")
    }
}

/// The sets of one detection run.
struct Arena {
    /// The run's epoch; 0 when no run is active.
    epoch: u32,
    /// Set k is `items[starts[k]..starts[k + 1]]` (sorted, distinct).
    starts: Vec<u32>,
    items: Vec<u32>,
}

thread_local! {
    static ARENA: RefCell<Arena> = const {
        RefCell::new(Arena { epoch: 0, starts: Vec::new(), items: Vec::new() })
    };
}

/// Epochs of detection runs, process-wide, so no two runs share one (0 is "none").
static NEXT_EPOCH: AtomicU32 = AtomicU32::new(1);

impl Arena {
    fn set(&self, k: u32) -> &[u32] {
        let k = k as usize;
        &self.items[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// The union of sets a and b (both non-empty and different).
    fn union(&mut self, a: u32, b: u32) -> u32 {
        let start = self.items.len();
        let (mut i, mut j) = (
            self.starts[a as usize] as usize,
            self.starts[b as usize] as usize,
        );
        let (a_end, b_end) = (
            self.starts[a as usize + 1] as usize,
            self.starts[b as usize + 1] as usize,
        );
        while i < a_end && j < b_end {
            let (u, v) = (self.items[i], self.items[j]);
            let next = u.min(v);
            i += usize::from(u == next);
            j += usize::from(v == next);
            self.items.push(next);
        }
        self.items.extend_from_within(i..a_end);
        self.items.extend_from_within(j..b_end);
        let len = self.items.len() - start;
        // One operand contains the other: reuse it rather than store a copy.
        if len == a_end - self.starts[a as usize] as usize {
            self.items.truncate(start);
            return a;
        }
        if len == b_end - self.starts[b as usize] as usize {
            self.items.truncate(start);
            return b;
        }
        let end = u32::try_from(self.items.len()).unwrap_or_else(|_| {
            misuse("more operations than a tracer arena holds (2^32 set entries)")
        });
        if self.starts.len() >= POISON as usize {
            misuse("more operations than a tracer arena holds (2^32 sets)");
        }
        self.starts.push(end);
        (self.starts.len() - 2) as u32
    }
}

impl Tracer {
    const CONSTANT: Tracer = Tracer {
        set: EMPTY,
        epoch: 0,
    };

    /// The union of the dependencies of `self` and `other`.
    #[inline]
    fn with(self, other: Tracer) -> Tracer {
        if self.set == POISON || other.set == POISON {
            return Tracer {
                set: POISON,
                epoch: 0,
            };
        }
        if other.set == EMPTY || other == self {
            return self;
        }
        if self.set == EMPTY {
            return other;
        }
        ARENA.with(|arena| {
            let mut arena = arena.borrow_mut();
            if arena.epoch == 0 || self.epoch != arena.epoch || other.epoch != arena.epoch {
                misuse("a tracer outside its own detection (another thread, or an earlier run)");
            }
            let set = arena.union(self.set, other.set);
            Tracer {
                set,
                epoch: arena.epoch,
            }
        })
    }
}

macro_rules! binary_ops {
    ($($trait:ident $method:ident $assign_trait:ident $assign:ident),*) => {$(
        impl $trait for Tracer {
            type Output = Tracer;
            #[inline]
            fn $method(self, rhs: Tracer) -> Tracer {
                self.with(rhs)
            }
        }
        impl $assign_trait for Tracer {
            #[inline]
            fn $assign(&mut self, rhs: Tracer) {
                *self = self.with(rhs);
            }
        }
        // Constants carry no dependencies: `x op c`, `c op x` keep x's set.
        impl $trait<f64> for Tracer {
            type Output = Tracer;
            #[inline]
            fn $method(self, _: f64) -> Tracer {
                self
            }
        }
        impl $trait<Tracer> for f64 {
            type Output = Tracer;
            #[inline]
            fn $method(self, rhs: Tracer) -> Tracer {
                rhs
            }
        }
        impl $assign_trait<f64> for Tracer {
            #[inline]
            fn $assign(&mut self, _: f64) {}
        }
    )*};
}

binary_ops!(
    Add add AddAssign add_assign,
    Sub sub SubAssign sub_assign,
    Mul mul MulAssign mul_assign,
    Div div DivAssign div_assign
);

impl Neg for Tracer {
    type Output = Tracer;
    #[inline]
    fn neg(self) -> Tracer {
        self
    }
}

/// Unary elementary functions: the result depends on what the operand depends on.
macro_rules! unary {
    ($($name:ident),*) => {$(
        #[inline]
        fn $name(self) -> Self {
            self
        }
    )*};
}

impl Value for Tracer {
    type Mask = TraceMask;
    const POINTS: usize = 1;

    fn from_f64(_: f64) -> Self {
        Tracer::CONSTANT
    }
    fn scale(self, _: f64) -> Self {
        self
    }
    fn primal(&self) -> f64 {
        misuse("Real::primal")
    }
    fn poison() -> Self {
        Tracer {
            set: POISON,
            epoch: 0,
        }
    }
    fn is_poison(&self) -> bool {
        self.set == POISON
    }
    fn lt(self, _: Self) -> TraceMask {
        TraceMask
    }
    fn le(self, _: Self) -> TraceMask {
        TraceMask
    }
    fn gt(self, _: Self) -> TraceMask {
        TraceMask
    }
    fn ge(self, _: Self) -> TraceMask {
        TraceMask
    }
    fn eq(self, _: Self) -> TraceMask {
        TraceMask
    }
    fn is_nan(self) -> TraceMask {
        TraceMask
    }
    fn is_finite(self) -> TraceMask {
        TraceMask
    }
    /// Either branch may be taken at some x: the union of both.
    fn select(_: TraceMask, if_true: Self, if_false: Self) -> Self {
        if_true.with(if_false)
    }
    unary!(
        recip, sqrt, cbrt, exp, exp2, exp_m1, ln, log2, log10, ln_1p, sin, cos, tan, asin, acos,
        atan, sinh, cosh, tanh, asinh, acosh, atanh, abs, signum
    );
    fn powi(self, _: i32) -> Self {
        self
    }
    fn powf(self, _: f64) -> Self {
        self
    }
    fn pow(self, n: Self) -> Self {
        self.with(n)
    }
    fn sin_cos(self) -> (Self, Self) {
        (self, self)
    }
    fn atan2(self, x: Self) -> Self {
        self.with(x)
    }
    fn min(self, other: Self) -> Self {
        self.with(other)
    }
    fn max(self, other: Self) -> Self {
        self.with(other)
    }
    fn hypot(self, other: Self) -> Self {
        self.with(other)
    }
    fn mul_add(self, a: Self, b: Self) -> Self {
        self.with(a).with(b)
    }
}

/// Ends a detection run on every path (return or unwind): clears the arena.
struct Session;

impl Session {
    /// Starts a run with the m input sets; errors if one is already active on this
    /// thread (a function that runs detection inside its own evaluation).
    fn start(m: usize) -> Result<(Session, u32), Error> {
        let epoch = NEXT_EPOCH.fetch_add(1, Ordering::Relaxed).max(1);
        ARENA.with(|arena| {
            let mut arena = arena.borrow_mut();
            if arena.epoch != 0 {
                return Err(Error::Untraceable {
                    operation: "sparsity detection inside a function being traced",
                });
            }
            arena.epoch = epoch;
            arena.starts.clear();
            arena.items.clear();
            // Set 0 is empty; set j + 1 is {j}.
            arena.starts.push(0);
            arena.starts.extend(0..=m as u32);
            arena.items.extend(0..m as u32);
            Ok((Session, epoch))
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        ARENA.with(|arena| {
            let mut arena = arena.borrow_mut();
            arena.epoch = 0;
            arena.starts.clear();
            arena.items.clear();
            // Keep a modest buffer for the next run; give back what a big one took.
            const KEEP: usize = 1 << 16;
            arena.starts.shrink_to(KEEP);
            arena.items.shrink_to(KEEP);
        });
    }
}

/// The global sparsity pattern of `f` as CSR (`row_ptr` of length n + 1, sorted
/// `col_idx`): entry (i, j) is present when output i depends on input j through some
/// operation, whatever branch [`crate::Value::select`] takes.
pub(crate) fn detect<F: VectorFn>(f: &F) -> Result<(Vec<usize>, Vec<usize>), Error> {
    let (m, n) = check_dimensions(f)?;
    if m >= (POISON - 1) as usize {
        return Err(Error::InvalidArgument {
            message: format!(
                "m = {m} inputs is too many for sparsity detection (at most 2^32 - 3)"
            ),
        });
    }
    let (session, epoch) = Session::start(m)?;
    let x: Vec<Tracer> = (0..m as u32)
        .map(|j| Tracer { set: j + 1, epoch })
        .collect();
    let mut y = vec![Tracer::poison(); n];
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.eval(&x, &mut y)));
    if let Err(payload) = run {
        return Err(match payload.downcast_ref::<Misuse>() {
            Some(Misuse(operation)) => Error::Untraceable { operation },
            None => Error::FunctionPanicked {
                point: None,
                message: panic_message(&*payload),
            },
        });
    }
    if let Some(output) = y.iter().position(|t| t.is_poison()) {
        return Err(Error::OutputNotWritten {
            output,
            point: None,
        });
    }
    let mut row_ptr = Vec::with_capacity(n + 1);
    row_ptr.push(0);
    let mut col_idx = Vec::new();
    let foreign = ARENA.with(|arena| {
        let arena = arena.borrow();
        for t in &y {
            if t.set != EMPTY {
                if t.epoch != epoch {
                    return true;
                }
                col_idx.extend(arena.set(t.set).iter().map(|&j| j as usize));
            }
            row_ptr.push(col_idx.len());
        }
        false
    });
    drop(session);
    if foreign {
        return Err(Error::Untraceable {
            operation: "a tracer outside its own detection (another thread, or an earlier run)",
        });
    }
    Ok((row_ptr, col_idx))
}
