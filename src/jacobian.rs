//! Jacobians at one point: seed tangents, run f on duals, read the tangents into J.
//!
//! J is n x m, row-major: `jac[i * m + j] = d f_i / d x_j`. When m exceeds the directions
//! of one dual, f runs once per chunk of columns. Every entry point checks lengths and
//! dimensions, catches a panic of the user function and reports an output it never wrote.

use crate::dual::{Dual, Tangent};
use crate::error::{Error, check_len, check_nonzero};
use crate::function::{VectorFn, check_dimensions, eval_checked};
use crate::lanes::{Float, Lanes};
use crate::real::{Real, Value};
use core::fmt;
use core::str::FromStr;
use wide::{f32x8, f32x16, f64x4, f64x8};

/// A tangent-lane dual type usable by the Jacobian drivers: a scalar value of type
/// `Elem` and `DIRECTIONS` tangent directions.
///
/// ```
/// use batchjac::{Dual, TangentDual, Value};
/// use wide::f64x4;
/// /// The derivative of a scalar function at x, with any tangent-lane dual type.
/// fn derivative<D: TangentDual<Elem = f64>>(f: impl Fn(D) -> D, x: f64) -> f64 {
///     let mut t = [0.0];
///     f(D::unit(x, 0)).write_tangents(&mut t);
///     t[0]
/// }
/// let d = derivative(|x: Dual<f64, f64x4, 1>| x.sin() * 10.0, 0.5);
/// assert!((d - 10.0 * 0.5f64.cos()).abs() < 1e-14);
/// assert_eq!(<Dual<f64, f64x4, 2> as TangentDual>::DIRECTIONS, 8);
/// assert_eq!(<Dual<f64, f64x4, 2> as TangentDual>::LANES, "f64x4");
/// ```
pub trait TangentDual: Real {
    /// The element type (`f64` or `f32`).
    type Elem: Element;
    /// Directions carried at once.
    const DIRECTIONS: usize;
    /// The lane type's name, e.g. `"f64x8"`.
    const LANES: &'static str;
    /// A variable with tangent 1 in `direction` (none if `direction >= DIRECTIONS`).
    ///
    /// ```
    /// use batchjac::{Dual, TangentDual};
    /// use wide::f64x4;
    /// type D = Dual<f64, f64x4, 1>;
    /// let mut t = [0.0; 4];
    /// <D as TangentDual>::unit(2.0, 1).write_tangents(&mut t);
    /// assert_eq!(t, [0.0, 1.0, 0.0, 0.0]);
    /// // Past the last direction: a variable with no tangent at all.
    /// <D as TangentDual>::unit(2.0, 4).write_tangents(&mut t);
    /// assert_eq!(t, [0.0; 4]);
    /// ```
    fn unit(value: Self::Elem, direction: usize) -> Self;
    /// A variable with tangents `seed[d]` (zero past `seed.len()`).
    ///
    /// ```
    /// use batchjac::{Dual, TangentDual};
    /// use wide::f64x4;
    /// type D = Dual<f64, f64x4, 1>;
    /// // The seed (1, 2) makes the tangent a directional derivative: d/dx x^2 = 2 x.
    /// let x = <D as TangentDual>::seeded(3.0, &[1.0, 2.0]);
    /// let y = x * x;
    /// let mut t = [0.0; 3];
    /// y.write_tangents(&mut t);
    /// assert_eq!(t, [6.0, 12.0, 0.0]);
    /// ```
    fn seeded(value: Self::Elem, seed: &[Self::Elem]) -> Self;
    /// The primal value.
    ///
    /// ```
    /// use batchjac::{Dual, TangentDual};
    /// use wide::f64x4;
    /// type D = Dual<f64, f64x4, 1>;
    /// let y = <D as TangentDual>::unit(3.0, 0) * 2.0 + 1.0;
    /// assert_eq!(TangentDual::value(&y), 7.0);
    /// ```
    fn value(&self) -> Self::Elem;
    /// Writes the first `out.len()` tangent directions into `out`.
    ///
    /// ```
    /// use batchjac::{Dual, TangentDual};
    /// use wide::f64x4;
    /// let x = <Dual<f64, f64x4, 2> as TangentDual>::unit(1.0, 5);
    /// let mut first = [9.0; 6];
    /// x.write_tangents(&mut first);
    /// assert_eq!(first, [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
    /// ```
    fn write_tangents(&self, out: &mut [Self::Elem]);
    /// Replaces the value, keeping the tangents: moves a seeded variable to another
    /// point without seeding it again.
    ///
    /// ```
    /// use batchjac::{Dual, TangentDual};
    /// use wide::f64x4;
    /// let mut x = <Dual<f64, f64x4, 1> as TangentDual>::unit(1.0, 2);
    /// x.set_value(5.0);
    /// assert_eq!((x.value, x.tangent(2)), (5.0, 1.0));
    /// ```
    fn set_value(&mut self, value: Self::Elem);
}

impl<E, T, const K: usize> TangentDual for Dual<E, T, K>
where
    E: Element,
    T: Tangent<E> + Lanes<Elem = E>,
{
    type Elem = E;
    const DIRECTIONS: usize = K * T::WIDTH;
    const LANES: &'static str = T::NAME;
    #[inline(always)]
    fn unit(value: E, direction: usize) -> Self {
        Dual::unit(value, direction)
    }
    #[inline(always)]
    fn seeded(value: E, seed: &[E]) -> Self {
        Dual::seeded(value, seed)
    }
    #[inline(always)]
    fn value(&self) -> E {
        self.value
    }
    #[inline(always)]
    fn write_tangents(&self, out: &mut [E]) {
        Dual::write_tangents(self, out)
    }
    #[inline(always)]
    fn set_value(&mut self, value: E) {
        self.value = value;
    }
}

/// Which lane type carries the tangent directions.
///
/// ```
/// use batchjac::{jacobian_with_options, Error, LaneType, Options, Real, VectorFn};
/// struct Product;
/// impl VectorFn for Product {
///     fn inputs(&self) -> usize { 3 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[1] * x[2]; }
/// }
/// let x = [1.5, -2.0, 0.25];
/// // Every f64 lane type gives the same Jacobian.
/// for lanes in [LaneType::Auto, LaneType::Scalar, LaneType::F64x4, LaneType::F64x8] {
///     let mut jac = [0.0; 3];
///     jacobian_with_options(&Product, &x, &mut jac, None, &Options::with_lanes(lanes)).unwrap();
///     assert_eq!(jac, [-0.5, 0.375, -3.0]);
/// }
/// // f32 lanes do not hold f64 values.
/// let f32_lanes = Options::with_lanes(LaneType::F32x8);
/// let err = jacobian_with_options(&Product, &x, &mut [0.0; 3], None, &f32_lanes);
/// assert_eq!(err, Err(Error::UnsupportedLanes { lanes: "f32x8", element: "f64" }));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LaneType {
    /// Chosen from m (the default).
    #[default]
    Auto,
    /// One lane (`f64` or `f32`): the reference oracle.
    Scalar,
    /// `wide::f64x4`.
    F64x4,
    /// `wide::f64x8`.
    F64x8,
    /// `wide::f32x8`.
    F32x8,
    /// `wide::f32x16`.
    F32x16,
}

impl LaneType {
    /// Every lane type, `Auto` first.
    ///
    /// ```
    /// use batchjac::LaneType;
    /// for lanes in LaneType::ALL {
    ///     assert_eq!(lanes.name().parse::<LaneType>().unwrap(), lanes);
    /// }
    /// ```
    pub const ALL: [LaneType; 6] = [
        LaneType::Auto,
        LaneType::Scalar,
        LaneType::F64x4,
        LaneType::F64x8,
        LaneType::F32x8,
        LaneType::F32x16,
    ];

    /// The name used on the command line and in reports.
    ///
    /// ```
    /// use batchjac::LaneType;
    /// assert_eq!(LaneType::F32x16.name(), "f32x16");
    /// assert_eq!(LaneType::default().to_string(), "auto");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            LaneType::Auto => "auto",
            LaneType::Scalar => "scalar",
            LaneType::F64x4 => "f64x4",
            LaneType::F64x8 => "f64x8",
            LaneType::F32x8 => "f32x8",
            LaneType::F32x16 => "f32x16",
        }
    }
}

impl fmt::Display for LaneType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for LaneType {
    type Err = Error;
    /// Parses a name of [`LaneType::name`].
    ///
    /// ```
    /// use batchjac::LaneType;
    /// assert_eq!("f64x8".parse::<LaneType>().unwrap(), LaneType::F64x8);
    /// assert!("f64x3".parse::<LaneType>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Error> {
        LaneType::ALL.into_iter().find(|l| l.name() == s).ok_or_else(|| Error::InvalidArgument {
            message: format!(
                "unknown lane type {s:?}; expected one of auto, scalar, f64x4, f64x8, f32x8, f32x16"
            ),
        })
    }
}

/// A computation generic over the dual type, run by [`Element::dispatch`] with the
/// type a [`LaneType`] and m select.
///
/// ```
/// use batchjac::{DualVisitor, Element, LaneType, TangentDual};
/// /// Reports the directions and lane type of the dual type it is run with.
/// struct Which;
/// impl DualVisitor<f64> for Which {
///     type Output = (usize, &'static str);
///     fn visit<D: TangentDual<Elem = f64>>(self) -> Self::Output {
///         (D::DIRECTIONS, D::LANES)
///     }
/// }
/// // m = 3 fits one f64x4; m = 20 takes four f64x8 (32 directions).
/// assert_eq!(f64::dispatch(LaneType::Auto, 3, Which).unwrap(), (4, "f64x4"));
/// assert_eq!(f64::dispatch(LaneType::Auto, 20, Which).unwrap(), (32, "f64x8"));
/// assert!(f64::dispatch(LaneType::F32x16, 3, Which).is_err());
/// ```
pub trait DualVisitor<E: Element> {
    /// What the computation returns.
    type Output;
    /// Runs the computation with dual type `D`.
    ///
    /// ```
    /// use batchjac::{DualVisitor, Element, LaneType, TangentDual};
    /// /// The derivative of x^3 at 2, with whichever dual type is chosen.
    /// struct Slope;
    /// impl DualVisitor<f32> for Slope {
    ///     type Output = f32;
    ///     fn visit<D: TangentDual<Elem = f32>>(self) -> f32 {
    ///         let mut t = [0.0];
    ///         D::unit(2.0, 0).powi(3).write_tangents(&mut t);
    ///         t[0]
    ///     }
    /// }
    /// assert_eq!(f32::dispatch(LaneType::F32x8, 1, Slope).unwrap(), 12.0);
    /// ```
    fn visit<D: TangentDual<Elem = E>>(self) -> Self::Output;
}

/// An element type the Jacobian drivers work in: `f64` or `f32`.
///
/// ```
/// use batchjac::{jacobian, Element, Real, VectorFn};
/// struct Cube;
/// impl VectorFn for Cube {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0] * x[0]; }
/// }
/// /// d(x^3)/dx in either precision.
/// fn slope<E: Element>(x: E) -> E {
///     let mut jac = [x];
///     jacobian(&Cube, &[x], &mut jac).unwrap();
///     jac[0]
/// }
/// assert_eq!(slope(2.0f64), 12.0);
/// assert_eq!(slope(2.0f32), 12.0);
/// ```
pub trait Element: Float + Value + Lanes<Elem = Self> + Tangent<Self> {
    /// Runs `visitor` with the batch-lane workspace that `lanes` selects for `m` inputs:
    /// point vectors of the lane type asked for (`Auto`: the widest, f64x8 or f32x16;
    /// `Scalar`: one point per vector) and `K` directions per pass: K = m up to 8 for
    /// the widest vector ([`crate::batch_lane::dispatch_lane_block`]), the power of two
    /// that covers m for the others
    /// ([`crate::batch_lane::dispatch_lane_block_pow2`]).
    ///
    /// ```
    /// use batchjac::batch_lane::{LaneBlockVisitor, PointLanes};
    /// use batchjac::{Element, LaneType, Lanes};
    /// /// Reports the points per vector and the directions per pass it is run with.
    /// struct Shape;
    /// impl LaneBlockVisitor<f64> for Shape {
    ///     type Output = (usize, usize);
    ///     fn visit<P: PointLanes<Elem = f64>, const K: usize>(self) -> (usize, usize) {
    ///         (P::WIDTH, K)
    ///     }
    /// }
    /// assert_eq!(f64::dispatch_points(LaneType::Auto, 3, Shape).unwrap(), (8, 3));
    /// assert_eq!(f64::dispatch_points(LaneType::F64x8, 3, Shape).unwrap(), (8, 3));
    /// assert_eq!(f64::dispatch_points(LaneType::F64x4, 3, Shape).unwrap(), (4, 4));
    /// assert_eq!(f64::dispatch_points(LaneType::Scalar, 12, Shape).unwrap(), (1, 8));
    /// ```
    fn dispatch_points<V: crate::batch_lane::LaneBlockVisitor<Self>>(
        lanes: LaneType,
        m: usize,
        visitor: V,
    ) -> Result<V::Output, Error>;

    /// Runs `visitor` with the dual type that `lanes` selects for `m` inputs: the lane
    /// type as asked, and enough lane vectors (1, 2, 4 or 8) to cover m in as few
    /// chunks as that allows.
    ///
    /// ```
    /// use batchjac::{DualVisitor, Element, LaneType, TangentDual};
    /// /// Reports the lane type and the directions of the dual type it is run with.
    /// struct Which;
    /// impl DualVisitor<f32> for Which {
    ///     type Output = (&'static str, usize);
    ///     fn visit<D: TangentDual<Elem = f32>>(self) -> Self::Output {
    ///         (D::LANES, D::DIRECTIONS)
    ///     }
    /// }
    /// assert_eq!(f32::dispatch(LaneType::Auto, 6, Which).unwrap(), ("f32x8", 8));
    /// assert_eq!(f32::dispatch(LaneType::Auto, 12, Which).unwrap(), ("f32x16", 16));
    /// assert_eq!(f32::dispatch(LaneType::F32x8, 12, Which).unwrap(), ("f32x8", 16));
    /// ```
    fn dispatch<V: DualVisitor<Self>>(
        lanes: LaneType,
        m: usize,
        visitor: V,
    ) -> Result<V::Output, Error>;
}

/// Visits `Dual<$e, $t, K>` with K in {1, 2, 4, 8}, the smallest that covers m (8 past that).
macro_rules! visit_chunked {
    ($e:ty, $t:ty, $m:expr, $visitor:expr) => {{
        let vectors = $m.div_ceil(<$t as Lanes>::WIDTH);
        Ok(if vectors <= 1 {
            $visitor.visit::<Dual<$e, $t, 1>>()
        } else if vectors <= 2 {
            $visitor.visit::<Dual<$e, $t, 2>>()
        } else if vectors <= 4 {
            $visitor.visit::<Dual<$e, $t, 4>>()
        } else {
            $visitor.visit::<Dual<$e, $t, 8>>()
        })
    }};
}

/// `Element` for a float type `$e` with its two SIMD vectors: batch-lane mode takes the
/// wide one for `Auto`; tangent-lane mode takes the narrow one while it holds all m
/// directions in one vector (fewer wasted lanes), the wide one past that. The lane types
/// of the other float type are refused.
macro_rules! impl_element {
    ($e:ident, narrow: $narrow:ident = $narrow_lane:ident, wide: $wide:ident = $wide_lane:ident,
     other: $other1:ident | $other2:ident) => {
        impl Element for $e {
            fn dispatch_points<V: crate::batch_lane::LaneBlockVisitor<$e>>(
                lanes: LaneType,
                m: usize,
                visitor: V,
            ) -> Result<V::Output, Error> {
                use crate::batch_lane::{dispatch_lane_block, dispatch_lane_block_pow2};
                match lanes {
                    LaneType::Auto | LaneType::$wide_lane => {
                        Ok(dispatch_lane_block::<$wide, V>(m, visitor))
                    }
                    LaneType::$narrow_lane => {
                        Ok(dispatch_lane_block_pow2::<$narrow, V>(m, visitor))
                    }
                    LaneType::Scalar => Ok(dispatch_lane_block_pow2::<$e, V>(m, visitor)),
                    LaneType::$other1 | LaneType::$other2 => Err(Error::UnsupportedLanes {
                        lanes: lanes.name(),
                        element: stringify!($e),
                    }),
                }
            }
            fn dispatch<V: DualVisitor<$e>>(
                lanes: LaneType,
                m: usize,
                visitor: V,
            ) -> Result<V::Output, Error> {
                match lanes {
                    LaneType::Auto if m <= 1 => visit_chunked!($e, $e, m, visitor),
                    LaneType::Auto if m <= <$narrow as Lanes>::WIDTH => {
                        visit_chunked!($e, $narrow, m, visitor)
                    }
                    LaneType::Auto | LaneType::$wide_lane => visit_chunked!($e, $wide, m, visitor),
                    LaneType::Scalar => visit_chunked!($e, $e, m, visitor),
                    LaneType::$narrow_lane => visit_chunked!($e, $narrow, m, visitor),
                    LaneType::$other1 | LaneType::$other2 => Err(Error::UnsupportedLanes {
                        lanes: lanes.name(),
                        element: stringify!($e),
                    }),
                }
            }
        }
    };
}

impl_element!(f64, narrow: f64x4 = F64x4, wide: f64x8 = F64x8, other: F32x8 | F32x16);
impl_element!(f32, narrow: f32x8 = F32x8, wide: f32x16 = F32x16, other: F64x4 | F64x8);

/// A user function evaluated on dual numbers `D`, behind a reference, returning what
/// its checks found (the unguarded batch loop checks the outputs itself).
type Eval<'a, D> = &'a dyn Fn(&[D], &mut [D]) -> Result<(), Error>;

/// Reusable dual buffers for one worker: inputs (m) and outputs (n). Made once, used for
/// any number of points without allocating.
///
/// ```
/// use batchjac::{Dual, Real, VectorFn, Workspace};
/// use wide::f64x4;
/// /// r(x) = x^2 - 2, whose root is the square root of 2.
/// struct R2;
/// impl VectorFn for R2 {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0] - 2.0; }
/// }
/// // Newton's method: one workspace, a Jacobian and a residual per step.
/// let mut workspace = Workspace::<Dual<f64, f64x4, 1>>::new(1, 1);
/// let (mut x, mut jac, mut r) = (1.0, [0.0], [0.0]);
/// for _ in 0..6 {
///     workspace.jacobian(&R2, &[x], &mut jac, Some(&mut r)).unwrap();
///     x -= r[0] / jac[0];
/// }
/// assert!((x - 2f64.sqrt()).abs() < 1e-15);
/// ```
pub struct Workspace<D: TangentDual> {
    x: Vec<D>,
    y: Vec<D>,
    /// The pass (first direction) whose unit tangents `x` holds, if any.
    seeded: Option<usize>,
    /// The batch driver's choice for the current task ([`crate::batch::Stores`]): each
    /// point's Jacobian is computed into `staging` and streamed to its place.
    pub(crate) stream: bool,
    /// One point's Jacobian (n x m) when streaming; empty until first needed.
    staging: Vec<D::Elem>,
}

impl<D: TangentDual> Workspace<D> {
    /// Entries of one Jacobian, n x m.
    pub(crate) fn entries(&self) -> usize {
        self.x.len() * self.y.len()
    }

    /// Buffers for a function with `m` inputs and `n` outputs.
    ///
    /// ```
    /// use batchjac::{Dual, Error, Real, VectorFn, Workspace};
    /// use wide::f64x8;
    /// struct F; // y = x0^2 x1: m = 2, n = 1
    /// impl VectorFn for F {
    ///     fn inputs(&self) -> usize { 2 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0] * x[1]; }
    /// }
    /// let mut jac = [0.0; 2];
    /// let mut workspace = Workspace::<Dual<f64, f64x8, 1>>::new(2, 1);
    /// workspace.jacobian(&F, &[3.0, 4.0], &mut jac, None).unwrap();
    /// assert_eq!(jac, [24.0, 9.0]);
    /// // A workspace made for another shape is refused.
    /// let mut other = Workspace::<Dual<f64, f64x8, 1>>::new(3, 1);
    /// let err = other.jacobian(&F, &[3.0, 4.0], &mut jac, None);
    /// assert!(matches!(err, Err(Error::Length { .. })));
    /// ```
    pub fn new(m: usize, n: usize) -> Self {
        Workspace {
            x: vec![D::from_f64(0.0); m],
            y: vec![D::from_f64(0.0); n],
            seeded: None,
            stream: false,
            staging: Vec::new(),
        }
    }

    /// The Jacobian of `f` at `x` into `jac` (n x m row-major), and f(x) into `values`
    /// if given, reusing this workspace's buffers: allocates nothing, so a solver that
    /// needs a Jacobian per iteration makes one workspace and calls this in its loop.
    ///
    /// ```
    /// use batchjac::{Dual, Real, VectorFn, Workspace};
    /// use wide::f64x4;
    /// struct Square;
    /// impl VectorFn for Square {
    ///     fn inputs(&self) -> usize { 1 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
    /// }
    /// let mut workspace = Workspace::<Dual<f64, f64x4, 1>>::new(1, 1);
    /// let mut jac = [0.0];
    /// for x in [1.0, 2.0, 3.0] {
    ///     workspace.jacobian(&Square, &[x], &mut jac, None).unwrap();
    ///     assert_eq!(jac[0], 2.0 * x);
    /// }
    /// ```
    #[inline]
    pub fn jacobian<F: VectorFn>(
        &mut self,
        f: &F,
        x: &[D::Elem],
        jac: &mut [D::Elem],
        values: Option<&mut [D::Elem]>,
    ) -> Result<(), Error> {
        let (m, n) = (self.x.len(), self.y.len());
        check_len("f.inputs() (workspace m)", f.inputs(), m)?;
        check_len("f.outputs() (workspace n)", f.outputs(), n)?;
        check_len("x", x.len(), m)?;
        check_len("jac (n * m)", jac.len(), n * m)?;
        if let Some(values) = values.as_deref() {
            check_len("values (n)", values.len(), n)?;
        }
        self.jacobian_unchecked(f, x, jac, values)
    }

    /// [`Workspace::jacobian`] without the length checks, for callers that checked once
    /// for a whole batch.
    #[inline]
    pub(crate) fn jacobian_unchecked<F: VectorFn>(
        &mut self,
        f: &F,
        x: &[D::Elem],
        jac: &mut [D::Elem],
        values: Option<&mut [D::Elem]>,
    ) -> Result<(), Error> {
        self.jacobian_inner::<true>(&|x, y| eval_checked(f, x, y), x, jac, values)
    }

    /// The points of `xs` (`jacs` n m entries and `values` n per point) in order,
    /// without a panic guard (the batch driver catches once around many points); on
    /// failure the index of the failing point (relative to `xs`) and its error.
    #[inline]
    pub(crate) fn points_unguarded<F: VectorFn>(
        &mut self,
        f: &F,
        xs: &[D::Elem],
        jacs: &mut [D::Elem],
        values: Option<&mut [D::Elem]>,
    ) -> Result<(), (usize, Error)> {
        self.points(
            &|x, y| {
                f.eval(x, y);
                Ok(())
            },
            xs,
            jacs,
            values,
        )
    }

    /// [`Self::points_unguarded`] with the user's function behind a reference: the
    /// seeding and output loops are compiled once per dual type, not once per function.
    /// Never inlined: the batch driver calls it for a task and again per point after a
    /// panic.
    #[inline(never)]
    fn points(
        &mut self,
        eval: Eval<'_, D>,
        xs: &[D::Elem],
        jacs: &mut [D::Elem],
        mut values: Option<&mut [D::Elem]>,
    ) -> Result<(), (usize, Error)> {
        let (m, n) = (self.x.len(), self.y.len());
        // The unguarded path expects poisoned outputs before every evaluation (see
        // `jacobian_inner`); a panic or the guarded path may have left them written.
        for yd in self.y.iter_mut() {
            yd.set_poison();
        }
        // Each Jacobian into the (cached) staging buffer, then streamed to its place, or
        // straight to its place: one call of the point's code either way. The staging
        // buffer has room for a row's whole vectors past its last entry (see
        // `points_one_pass`).
        let stream = self.stream;
        let mut staging = core::mem::take(&mut self.staging);
        if stream {
            staging.resize(n * m + D::DIRECTIONS, D::Elem::default());
        }
        let result = if m <= D::DIRECTIONS && stream {
            self.points_one_pass::<true>(eval, xs, jacs, values, &mut staging)
        } else if m <= D::DIRECTIONS {
            self.points_one_pass::<false>(eval, xs, jacs, values, &mut [])
        } else {
            xs.chunks_exact(m)
                .zip(jacs.chunks_exact_mut(n * m))
                .enumerate()
                .try_for_each(|(p, (x, jac))| {
                    let value = values.as_deref_mut().map(|v| &mut v[p * n..(p + 1) * n]);
                    let out = if stream {
                        &mut staging[..n * m]
                    } else {
                        &mut *jac
                    };
                    self.jacobian_inner::<false>(eval, x, out, value)
                        .map_err(|e| (p, e))?;
                    if stream {
                        crate::lanes::stream_copy(jac, &staging[..n * m]);
                    }
                    Ok(())
                })
        };
        self.staging = staging;
        result
    }

    /// [`Self::points`] when one evaluation holds all m directions (`m <= DIRECTIONS`),
    /// the common case for small and medium m: the unit tangents are seeded once per
    /// task and each point only sets the inputs' values; each output row is written as
    /// whole lane vectors wherever the destination has room past its m entries. The
    /// lanes past m (zeros, or NaN after an infinite value) land on the next row, which
    /// is written after it and covers them, so only the task's last row (or a row of the
    /// staging buffer without room) is written entry by entry. Same values, same order
    /// of operations, so the same bits as [`Self::jacobian_inner`]; about a third fewer
    /// instructions per point than the general loop on m = 16 (callgrind,
    /// ext_rosenbrock: 1474 -> 975), half on m = 3 (robertson: 275 -> 142).
    #[inline(always)]
    fn points_one_pass<const STREAM: bool>(
        &mut self,
        eval: Eval<'_, D>,
        xs: &[D::Elem],
        jacs: &mut [D::Elem],
        mut values: Option<&mut [D::Elem]>,
        staging: &mut [D::Elem],
    ) -> Result<(), (usize, Error)> {
        let (m, n) = (self.x.len(), self.y.len());
        let nm = n * m;
        if self.seeded != Some(0) {
            for (j, xd) in self.x.iter_mut().enumerate() {
                *xd = D::unit(D::Elem::default(), j);
            }
            self.seeded = Some(0);
        }
        let points = xs.len() / m;
        let (xs, jacs) = (&xs[..points * m], &mut jacs[..points * nm]);
        let (x, y) = (&mut self.x[..], &mut self.y[..]);
        for (p, xp) in xs.chunks_exact(m).enumerate() {
            for (xd, &v) in x.iter_mut().zip(xp) {
                xd.set_value(v);
            }
            eval(x, y).map_err(|e| (p, e))?;
            // The point's rows and everything after them in the task (or the staging
            // buffer): room for the spill of whole vectors.
            let out = if STREAM {
                &mut *staging
            } else {
                &mut jacs[p * nm..]
            };
            for (i, yd) in y.iter_mut().enumerate() {
                if yd.is_poison() {
                    for yd in y.iter_mut() {
                        yd.set_poison();
                    }
                    let error = Error::OutputNotWritten {
                        output: i,
                        point: None,
                    };
                    return Err((p, error));
                }
                let start = i * m;
                match out.get_mut(start..start + D::DIRECTIONS) {
                    Some(whole) => yd.write_tangents(whole),
                    None => yd.write_tangents(&mut out[start..start + m]),
                }
                if let Some(values) = values.as_deref_mut() {
                    values[p * n + i] = yd.value();
                }
                yd.set_poison();
            }
            if STREAM {
                crate::lanes::stream_copy(&mut jacs[p * nm..(p + 1) * nm], &staging[..nm]);
            }
        }
        Ok(())
    }

    /// One point's Jacobian. `GUARDED`: `eval` checks the outputs itself (and catches a
    /// panic); otherwise it only evaluates, the outputs hold the poison pattern before
    /// it and are checked here.
    #[inline(always)]
    fn jacobian_inner<const GUARDED: bool>(
        &mut self,
        eval: Eval<'_, D>,
        x: &[D::Elem],
        jac: &mut [D::Elem],
        mut values: Option<&mut [D::Elem]>,
    ) -> Result<(), Error> {
        let m = self.x.len();
        for c0 in (0..m).step_by(D::DIRECTIONS) {
            if self.seeded == Some(c0) {
                // Same pass as the last evaluation: the unit tangents are in place.
                for (xd, &xv) in self.x.iter_mut().zip(x) {
                    xd.set_value(xv);
                }
            } else {
                for (j, (xd, &xv)) in self.x.iter_mut().zip(x).enumerate() {
                    *xd = D::unit(xv, j.wrapping_sub(c0));
                }
                self.seeded = Some(c0);
            }
            let width = D::DIRECTIONS.min(m - c0);
            if GUARDED {
                eval(&self.x, &mut self.y)?;
                for (i, yd) in self.y.iter().enumerate() {
                    yd.write_tangents(&mut jac[i * m + c0..i * m + c0 + width]);
                }
            } else {
                // The outputs hold the poison pattern (set by `points_unguarded` and
                // after every output below): one pass over them checks each, writes its
                // entries (and value) and poisons it again for the next evaluation. A
                // loop that exits early is not turned into scatters by the vectoriser.
                eval(&self.x, &mut self.y)?;
                let last_pass = c0 + D::DIRECTIONS >= m;
                for i in 0..self.y.len() {
                    let yd = &mut self.y[i];
                    if yd.is_poison() {
                        for yd in self.y.iter_mut() {
                            yd.set_poison();
                        }
                        return Err(Error::OutputNotWritten {
                            output: i,
                            point: None,
                        });
                    }
                    yd.write_tangents(&mut jac[i * m + c0..i * m + c0 + width]);
                    if last_pass && let Some(values) = values.as_deref_mut() {
                        values[i] = yd.value();
                    }
                    yd.set_poison();
                }
            }
        }
        if GUARDED && let Some(values) = values {
            for (v, yd) in values.iter_mut().zip(&self.y) {
                *v = yd.value();
            }
        }
        Ok(())
    }

    /// J S for a seed matrix S (m x p row-major) into `out` (n x p), values if given.
    /// Lengths must already be checked.
    fn jacobian_times<F: VectorFn>(
        &mut self,
        f: &F,
        x: &[D::Elem],
        seed: &[D::Elem],
        p: usize,
        out: &mut [D::Elem],
        values: Option<&mut [D::Elem]>,
    ) -> Result<(), Error> {
        for c0 in (0..p).step_by(D::DIRECTIONS) {
            let width = D::DIRECTIONS.min(p - c0);
            for (j, (xd, &xv)) in self.x.iter_mut().zip(x).enumerate() {
                *xd = D::seeded(xv, &seed[j * p + c0..j * p + c0 + width]);
            }
            eval_checked(f, &self.x, &mut self.y)?;
            for (i, yd) in self.y.iter().enumerate() {
                yd.write_tangents(&mut out[i * p + c0..i * p + c0 + width]);
            }
        }
        if let Some(values) = values {
            for (v, yd) in values.iter_mut().zip(&self.y) {
                *v = yd.value();
            }
        }
        Ok(())
    }
}

/// Options of the Jacobian entry points.
///
/// ```
/// use batchjac::{jacobian_with_options, LaneType, Options, Real, VectorFn};
/// struct Hypot;
/// impl VectorFn for Hypot {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0].hypot(x[1]); }
/// }
/// assert_eq!(Options::default().lanes, LaneType::Auto);
/// let (mut jac, mut value) = ([0.0f32; 2], [0.0f32]);
/// let options = Options::with_lanes(LaneType::F32x16);
/// jacobian_with_options(&Hypot, &[3.0f32, 4.0], &mut jac, Some(&mut value), &options).unwrap();
/// assert!((value[0] - 5.0).abs() < 1e-6);
/// assert!((jac[0] - 0.6).abs() < 1e-6 && (jac[1] - 0.8).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Which lane type carries the directions ([`LaneType::Auto`] by default).
    pub lanes: LaneType,
}

impl Options {
    /// Options with the given lane type.
    ///
    /// ```
    /// use batchjac::{LaneType, Options};
    /// let options = Options::with_lanes(LaneType::F64x4);
    /// assert_eq!(options, Options { lanes: LaneType::F64x4 });
    /// ```
    pub fn with_lanes(lanes: LaneType) -> Self {
        Options { lanes }
    }
}

/// Checks lengths for a Jacobian of f at one point; returns (m, n).
pub(crate) fn check_jacobian_args<F: VectorFn, E>(
    f: &F,
    x: &[E],
    jac: &[E],
    values: Option<&[E]>,
) -> Result<(usize, usize), Error> {
    let (m, n) = check_dimensions(f)?;
    check_len("x", x.len(), m)?;
    check_len("jac (n * m)", jac.len(), n * m)?;
    if let Some(values) = values {
        check_len("values (n)", values.len(), n)?;
    }
    Ok((m, n))
}

/// The Jacobian of `f` at `x`, row-major n x m, into `jac`.
///
/// The dual type is chosen from m; see [`jacobian_with_options`] to choose it.
///
/// ```
/// use batchjac::{jacobian, Real, VectorFn};
/// struct Polar;
/// impl VectorFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[1].cos();
///         y[1] = x[0] * x[1].sin();
///     }
/// }
/// let mut jac = [0.0; 4];
/// jacobian(&Polar, &[2.0, 0.0], &mut jac).unwrap();
/// assert_eq!(jac, [1.0, 0.0, 0.0, 2.0]);
/// ```
pub fn jacobian<F: VectorFn, E: Element>(f: &F, x: &[E], jac: &mut [E]) -> Result<(), Error> {
    jacobian_with_options(f, x, jac, None, &Options::default())
}

/// The Jacobian of `f` at `x` into `jac` and f(x) into `values`: what Gauss-Newton needs.
///
/// ```
/// use batchjac::{jacobian_and_value, Real, VectorFn};
/// struct Residual;
/// impl VectorFn for Residual {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0].exp() - R::from_f64(2.0); }
/// }
/// let (mut jac, mut r) = ([0.0], [0.0]);
/// jacobian_and_value(&Residual, &[0.0], &mut jac, &mut r).unwrap();
/// assert_eq!((jac[0], r[0]), (1.0, -1.0));
/// ```
pub fn jacobian_and_value<F: VectorFn, E: Element>(
    f: &F,
    x: &[E],
    jac: &mut [E],
    values: &mut [E],
) -> Result<(), Error> {
    jacobian_with_options(f, x, jac, Some(values), &Options::default())
}

struct JacobianVisitor<'a, F, E> {
    f: &'a F,
    x: &'a [E],
    jac: &'a mut [E],
    values: Option<&'a mut [E]>,
}

impl<F: VectorFn, E: Element> DualVisitor<E> for JacobianVisitor<'_, F, E> {
    type Output = Result<(), Error>;
    fn visit<D: TangentDual<Elem = E>>(self) -> Self::Output {
        jacobian_with::<D, F>(self.f, self.x, self.jac, self.values)
    }
}

/// The Jacobian with a lane type chosen at run time, and f(x) into `values` if given.
///
/// ```
/// use batchjac::{jacobian_with_options, LaneType, Options, Real, VectorFn};
/// struct Sum3;
/// impl VectorFn for Sum3 {
///     fn inputs(&self) -> usize { 3 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] + x[1] * x[2]; }
/// }
/// let mut jac = [0.0; 3];
/// let options = Options::with_lanes(LaneType::Scalar);
/// jacobian_with_options(&Sum3, &[1.0, 2.0, 3.0], &mut jac, None, &options).unwrap();
/// assert_eq!(jac, [1.0, 3.0, 2.0]);
/// ```
pub fn jacobian_with_options<F: VectorFn, E: Element>(
    f: &F,
    x: &[E],
    jac: &mut [E],
    values: Option<&mut [E]>,
    options: &Options,
) -> Result<(), Error> {
    let (m, _) = check_jacobian_args(f, x, jac, values.as_deref())?;
    E::dispatch(options.lanes, m, JacobianVisitor { f, x, jac, values })?
}

/// The Jacobian with the dual type `D` chosen at compile time.
///
/// ```
/// use batchjac::{jacobian_with, Dual, Real, VectorFn};
/// use wide::f64x4;
/// struct Cube;
/// impl VectorFn for Cube {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0].powi(3); }
/// }
/// let mut jac = [0.0];
/// jacobian_with::<Dual<f64, f64x4, 1>, _>(&Cube, &[2.0], &mut jac, None).unwrap();
/// assert_eq!(jac[0], 12.0);
/// ```
pub fn jacobian_with<D: TangentDual, F: VectorFn>(
    f: &F,
    x: &[D::Elem],
    jac: &mut [D::Elem],
    values: Option<&mut [D::Elem]>,
) -> Result<(), Error> {
    let (m, n) = check_jacobian_args(f, x, jac, values.as_deref())?;
    Workspace::<D>::new(m, n).jacobian_unchecked(f, x, jac, values)
}

/// The directional derivative J v (one direction) into `jv` (length n), and f(x) into
/// `values` if given.
///
/// ```
/// use batchjac::{jvp, Real, VectorFn};
/// struct Product;
/// impl VectorFn for Product {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[1]; }
/// }
/// let mut jv = [0.0];
/// jvp(&Product, &[2.0, 3.0], &[1.0, 1.0], &mut jv, None).unwrap();
/// assert_eq!(jv[0], 5.0);
/// ```
pub fn jvp<F: VectorFn, E: Element>(
    f: &F,
    x: &[E],
    v: &[E],
    jv: &mut [E],
    values: Option<&mut [E]>,
) -> Result<(), Error> {
    let (m, n) = check_dimensions(f)?;
    check_len("x", x.len(), m)?;
    check_len("v", v.len(), m)?;
    check_len("jv (n)", jv.len(), n)?;
    if let Some(values) = values.as_deref() {
        check_len("values (n)", values.len(), n)?;
    }
    Workspace::<Dual<E, E, 1>>::new(m, n).jacobian_times(f, x, v, 1, jv, values)
}

struct TimesVisitor<'a, F, E> {
    f: &'a F,
    x: &'a [E],
    seed: &'a [E],
    p: usize,
    out: &'a mut [E],
    values: Option<&'a mut [E]>,
}

impl<F: VectorFn, E: Element> DualVisitor<E> for TimesVisitor<'_, F, E> {
    type Output = Result<(), Error>;
    fn visit<D: TangentDual<Elem = E>>(self) -> Self::Output {
        let (m, n) = (self.f.inputs(), self.f.outputs());
        Workspace::<D>::new(m, n).jacobian_times(
            self.f,
            self.x,
            self.seed,
            self.p,
            self.out,
            self.values,
        )
    }
}

/// J S for a seed matrix S (m x p, row-major) into `out` (n x p, row-major), and f(x)
/// into `values` if given. Any seed works: the derivative does not depend on the basis.
///
/// ```
/// use batchjac::{jacobian_times, Options, Real, VectorFn};
/// struct Product;
/// impl VectorFn for Product {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[1]; }
/// }
/// // J = [3, 2] at (2, 3); S = [[1, 1], [1, -1]] gives J S = [5, 1].
/// let mut out = [0.0; 2];
/// jacobian_times(&Product, &[2.0, 3.0], &[1.0, 1.0, 1.0, -1.0], 2, &mut out, None, &Options::default()).unwrap();
/// assert_eq!(out, [5.0, 1.0]);
/// ```
pub fn jacobian_times<F: VectorFn, E: Element>(
    f: &F,
    x: &[E],
    seed: &[E],
    p: usize,
    out: &mut [E],
    values: Option<&mut [E]>,
    options: &Options,
) -> Result<(), Error> {
    let (m, n) = check_dimensions(f)?;
    check_nonzero("p (seed columns)", p)?;
    check_len("x", x.len(), m)?;
    check_len("seed (m * p)", seed.len(), m * p)?;
    check_len("out (n * p)", out.len(), n * p)?;
    if let Some(values) = values.as_deref() {
        check_len("values (n)", values.len(), n)?;
    }
    E::dispatch(
        options.lanes,
        p,
        TimesVisitor {
            f,
            x,
            seed,
            p,
            out,
            values,
        },
    )?
}
