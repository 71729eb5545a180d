//! SIMD storage of tangent directions.
//!
//! [`Lanes`] is one trait over `wide`'s `f64x4`, `f64x8`, `f32x8` and `f32x16`, plus the
//! one-lane scalars `f64` and `f32`. The scalars are the reference oracle: every property
//! test compares the SIMD lane types against them.
//!
//! ```
//! use batchjac::Lanes;
//! use wide::f64x8;
//! // The same generic code on a SIMD type and on its one-lane scalar oracle.
//! fn sum_of_lanes<L: Lanes>(v: L) -> f64
//! where
//!     L::Elem: Into<f64>,
//! {
//!     (0..L::WIDTH).map(|i| v.lane(i).into()).sum()
//! }
//! assert_eq!(sum_of_lanes(<f64x8 as Lanes>::from_fn(|i| i as f64)), 28.0);
//! assert_eq!(sum_of_lanes(2.5f64), 2.5);
//! ```

use core::fmt::{Debug, Display};
use core::ops::{Add, Div, Mul, Neg, Sub};
use wide::{f32x8, f32x16, f64x4, f64x8};

/// A floating-point element type: `f64` or `f32`.
///
/// ```
/// use batchjac::Float;
/// assert_eq!(<f32 as Float>::from_f64(0.5), 0.5f32);
/// assert_eq!(2.0f32.to_f64(), 2.0);
/// ```
pub trait Float:
    Copy
    + Send
    + Sync
    + Debug
    + Display
    + Default
    + PartialOrd
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// Machine epsilon (the distance from 1 to the next larger float).
    ///
    /// ```
    /// use batchjac::Float;
    /// let eps = <f64 as Float>::EPSILON;
    /// assert!(1.0 + eps > 1.0 && 1.0 + eps / 2.0 == 1.0);
    /// assert_eq!(<f32 as Float>::EPSILON, f32::EPSILON);
    /// ```
    const EPSILON: Self;
    /// A name for messages and reports: `"f64"` or `"f32"`.
    ///
    /// ```
    /// use batchjac::Float;
    /// assert_eq!((<f64 as Float>::NAME, <f32 as Float>::NAME), ("f64", "f32"));
    /// ```
    const NAME: &'static str;
    /// Converts from `f64`, rounding to nearest.
    ///
    /// ```
    /// use batchjac::Float;
    /// // 0.1 is not exact in either type: f32 keeps the nearest f32.
    /// assert_eq!(<f32 as Float>::from_f64(0.1), 0.1f32);
    /// assert_ne!(<f32 as Float>::from_f64(0.1) as f64, 0.1);
    /// ```
    fn from_f64(v: f64) -> Self;
    /// Converts to `f64` (exact).
    ///
    /// ```
    /// use batchjac::Float;
    /// let x = 0.1f32;
    /// assert_eq!(<f32 as Float>::from_f64(x.to_f64()), x); // round trip
    /// ```
    fn to_f64(self) -> f64;
    /// A quiet NaN with a payload that arithmetic never produces from non-NaN
    /// inputs; it marks outputs that a user function has not written.
    ///
    /// ```
    /// use batchjac::Float;
    /// let p = <f64 as Float>::poison();
    /// assert!(p.is_nan() && p.is_poison());
    /// assert!(!f64::NAN.is_poison());
    /// ```
    fn poison() -> Self;
    /// Whether `self` carries exactly the bits of [`Float::poison`].
    ///
    /// ```
    /// use batchjac::Float;
    /// assert!(<f32 as Float>::poison().is_poison());
    /// let zero = std::hint::black_box(0.0f32);
    /// assert!(!(zero / zero).is_poison() && !1.0f32.is_poison());
    /// ```
    fn is_poison(self) -> bool;
}

impl Float for f64 {
    const EPSILON: Self = f64::EPSILON;
    const NAME: &'static str = "f64";
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn poison() -> Self {
        f64::from_bits(POISON_F64)
    }
    #[inline(always)]
    fn is_poison(self) -> bool {
        self.to_bits() == POISON_F64
    }
}

impl Float for f32 {
    const EPSILON: Self = f32::EPSILON;
    const NAME: &'static str = "f32";
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn poison() -> Self {
        f32::from_bits(POISON_F32)
    }
    #[inline(always)]
    fn is_poison(self) -> bool {
        self.to_bits() == POISON_F32
    }
}

/// Quiet NaN, sign bit set, payload `0xBAD_0BAD_0BAD`: NaNs made by arithmetic on
/// non-NaN operands carry the default payload (all zero), so this pattern means "never
/// written".
const POISON_F64: u64 = 0xFFF8_0BAD_0BAD_0BAD;
/// The f32 counterpart of [`POISON_F64`].
const POISON_F32: u32 = 0xFFC0_0BAD;

/// A vector of `WIDTH` tangent lanes of one element type.
///
/// ```
/// use batchjac::Lanes;
/// use wide::f64x4;
/// let t = <f64x4 as Lanes>::from_fn(|i| i as f64);
/// assert_eq!(t.lane(3), 3.0);
/// assert_eq!(<f64x4 as Lanes>::WIDTH, 4);
/// ```
pub trait Lanes:
    Copy
    + Send
    + Sync
    + Debug
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The element type of one lane.
    type Elem: Float;
    /// Number of lanes.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::{f32x16, f64x8};
    /// assert_eq!((<f64 as Lanes>::WIDTH, <f64x8 as Lanes>::WIDTH, <f32x16 as Lanes>::WIDTH), (1, 8, 16));
    /// ```
    const WIDTH: usize;
    /// The name used in reports and on the command line, e.g. `"f64x8"`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x8;
    /// assert_eq!(<f64x8 as Lanes>::NAME, "f64x8");
    /// assert_eq!(<f64 as Lanes>::NAME, "scalar-f64");
    /// ```
    const NAME: &'static str;
    /// All lanes equal to `e`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// assert_eq!(<f64x4 as Lanes>::splat(1.5).to_array(), [1.5; 4]);
    /// ```
    fn splat(e: Self::Elem) -> Self;
    /// All lanes zero.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f32x8;
    /// assert_eq!(<f32x8 as Lanes>::zero().to_array(), [0.0f32; 8]);
    /// ```
    #[inline(always)]
    fn zero() -> Self {
        Self::splat(Self::Elem::default())
    }
    /// `self * a + b`, fused into one rounding where the target has FMA (as `wide`
    /// does), two roundings otherwise.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let x = <f64x4 as Lanes>::from_fn(|i| i as f64);
    /// let y = Lanes::mul_add(x, f64x4::splat(2.0), f64x4::splat(1.0));
    /// assert_eq!(y.to_array(), [1.0, 3.0, 5.0, 7.0]);
    /// ```
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// Lane `i` (`i < WIDTH`).
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let v = f64x4::from([1.0, 2.0, 3.0, 4.0]);
    /// assert_eq!((v.lane(0), v.lane(3)), (1.0, 4.0));
    /// assert_eq!(Lanes::lane(7.0f64, 0), 7.0); // a scalar has one lane
    /// ```
    fn lane(self, i: usize) -> Self::Elem;
    /// Builds a vector from `f(0), ..., f(WIDTH - 1)`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let v = <f64x4 as Lanes>::from_fn(|i| (i * i) as f64);
    /// assert_eq!(v.to_array(), [0.0, 1.0, 4.0, 9.0]);
    /// ```
    fn from_fn(f: impl FnMut(usize) -> Self::Elem) -> Self;
    /// Writes the first `min(WIDTH, out.len())` lanes into `out`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let v = f64x4::from([1.0, 2.0, 3.0, 4.0]);
    /// let mut short = [0.0; 2];
    /// v.store(&mut short);
    /// assert_eq!(short, [1.0, 2.0]);
    /// let mut long = [9.0; 6];
    /// v.store(&mut long);
    /// assert_eq!(long, [1.0, 2.0, 3.0, 4.0, 9.0, 9.0]); // the rest is left alone
    /// ```
    fn store(self, out: &mut [Self::Elem]);
    /// Transposes a square tile of `WIDTH` vectors in place: afterwards lane `j` of
    /// `tile[i]` holds what lane `i` of `tile[j]` held. The batch-lane engines move
    /// `WIDTH` points into lanes (and Jacobian entries out of them) with it: `WIDTH`
    /// contiguous loads, one transpose, instead of `WIDTH * WIDTH` strided element
    /// moves. Each type uses register shuffles where its target has them (`f64x8` with
    /// AVX-512F, `f64x4` and `f32x8` with AVX) and [`transpose_by_lanes`] otherwise;
    /// the two give the same result (it only moves bits).
    ///
    /// Panics if `tile.len() != WIDTH`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let mut tile: Vec<f64x4> = (0..4)
    ///     .map(|i| <f64x4 as Lanes>::from_fn(|j| (10 * i + j) as f64))
    ///     .collect();
    /// Lanes::transpose(&mut tile);
    /// assert_eq!(tile[1].to_array(), [1.0, 11.0, 21.0, 31.0]);
    /// ```
    fn transpose(tile: &mut [Self]) {
        transpose_by_lanes(tile);
    }
}

/// [`Lanes::transpose`] element by element, for any lane type: the portable fallback
/// and the reference the shuffle versions are tested against.
///
/// Panics if `tile.len() != L::WIDTH` or `L::WIDTH > 16`.
///
/// ```
/// use batchjac::lanes::transpose_by_lanes;
/// use batchjac::Lanes;
/// use wide::f32x8;
/// let mut tile: Vec<f32x8> = (0..8).map(|i| <f32x8 as Lanes>::splat(i as f32)).collect();
/// transpose_by_lanes(&mut tile);
/// assert_eq!(tile[5].to_array(), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
/// ```
pub fn transpose_by_lanes<L: Lanes>(tile: &mut [L]) {
    let w = L::WIDTH;
    assert_eq!(tile.len(), w, "a tile of WIDTH vectors");
    assert!(w <= 16, "lane types up to 16 lanes");
    let mut scratch = [L::Elem::default(); 256];
    for (i, v) in tile.iter().enumerate() {
        v.store(&mut scratch[i * w..(i + 1) * w]);
    }
    for (j, v) in tile.iter_mut().enumerate() {
        *v = L::from_fn(|i| scratch[i * w + j]);
    }
}

/// 8 x 8 transpose of f64 lanes in 24 two-source lane permutes (`vpermt2q`), through
/// safe_arch's safe wrappers of the AVX-512F intrinsics (no `unsafe` here).
#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
#[inline(always)]
fn transpose_f64x8_avx512(tile: &mut [f64x8]) {
    use safe_arch::{
        cast_to_m512d_from_m512i, cast_to_m512i_from_m512d, m512d, m512i, shuffle_abv_i64_all_m512i,
    };
    let tile: &mut [f64x8; 8] = tile.try_into().expect("a tile of 8 vectors");
    let r: [m512i; 8] = core::array::from_fn(|i| {
        cast_to_m512i_from_m512d(m512d(core::arch::x86_64::__m512d::from(tile[i])))
    });
    let idx = |lanes: [i64; 8]| m512i::from(lanes);
    // Pairs of rows: [a0 b0 a2 b2 a4 b4 a6 b6] and [a1 b1 a3 b3 a5 b5 a7 b7].
    let (even, odd) = (
        idx([0, 8, 2, 10, 4, 12, 6, 14]),
        idx([1, 9, 3, 11, 5, 13, 7, 15]),
    );
    // Pairs of pairs: [a0 b0 c0 d0 a4 b4 c4 d4] and [a2 b2 c2 d2 a6 b6 c6 d6].
    let (low2, high2) = (
        idx([0, 1, 8, 9, 4, 5, 12, 13]),
        idx([2, 3, 10, 11, 6, 7, 14, 15]),
    );
    // Halves: lanes 0..4 of both, lanes 4..8 of both.
    let (low4, high4) = (
        idx([0, 1, 2, 3, 8, 9, 10, 11]),
        idx([4, 5, 6, 7, 12, 13, 14, 15]),
    );
    let s = |a: m512i, i: m512i, b: m512i| shuffle_abv_i64_all_m512i(a, i, b);
    let a: [m512i; 8] = core::array::from_fn(|k| {
        let (p, q) = (r[2 * (k / 2)], r[2 * (k / 2) + 1]);
        s(p, if k % 2 == 0 { even } else { odd }, q)
    });
    // a[0] = rows 0,1 even columns; a[1] = rows 0,1 odd; a[2], a[3] rows 2,3; ...
    let b: [m512i; 8] = [
        s(a[0], low2, a[2]),  // rows 0-3, columns 0, 4
        s(a[0], high2, a[2]), // rows 0-3, columns 2, 6
        s(a[1], low2, a[3]),  // rows 0-3, columns 1, 5
        s(a[1], high2, a[3]), // rows 0-3, columns 3, 7
        s(a[4], low2, a[6]),  // rows 4-7, columns 0, 4
        s(a[4], high2, a[6]),
        s(a[5], low2, a[7]),
        s(a[5], high2, a[7]),
    ];
    let columns = [
        (0, b[0], low4, b[4]),
        (4, b[0], high4, b[4]),
        (2, b[1], low4, b[5]),
        (6, b[1], high4, b[5]),
        (1, b[2], low4, b[6]),
        (5, b[2], high4, b[6]),
        (3, b[3], low4, b[7]),
        (7, b[3], high4, b[7]),
    ];
    for (column, lo, which, hi) in columns {
        tile[column] = f64x8::from(cast_to_m512d_from_m512i(s(lo, which, hi)).0);
    }
}

macro_rules! scalar_lanes {
    ($t:ty, $name:literal) => {
        impl Lanes for $t {
            type Elem = $t;
            const WIDTH: usize = 1;
            const NAME: &'static str = $name;
            #[inline(always)]
            fn splat(e: $t) -> Self {
                e
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                // Match wide: fused only where the hardware fuses; a software fma
                // would be orders of magnitude slower.
                if cfg!(target_feature = "fma") {
                    <$t>::mul_add(self, a, b)
                } else {
                    self * a + b
                }
            }
            #[inline(always)]
            fn lane(self, _i: usize) -> $t {
                self
            }
            #[inline(always)]
            fn from_fn(mut f: impl FnMut(usize) -> $t) -> Self {
                f(0)
            }
            #[inline(always)]
            fn store(self, out: &mut [$t]) {
                if let Some(first) = out.first_mut() {
                    *first = self;
                }
            }
        }
    };
}
scalar_lanes!(f64, "scalar-f64");
scalar_lanes!(f32, "scalar-f32");

macro_rules! simd_lanes {
    ($t:ty, $e:ty, $w:literal, $name:literal, $transpose:expr) => {
        impl Lanes for $t {
            type Elem = $e;
            const WIDTH: usize = $w;
            const NAME: &'static str = $name;
            #[inline(always)]
            fn splat(e: $e) -> Self {
                <$t>::splat(e)
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                <$t>::mul_add(self, a, b)
            }
            #[inline(always)]
            fn lane(self, i: usize) -> $e {
                self.as_array()[i]
            }
            #[inline(always)]
            fn from_fn(mut f: impl FnMut(usize) -> $e) -> Self {
                // A plain loop, not `core::array::from_fn`, whose machinery (a drop guard
                // over uninitialised memory) is instantiated per closure: the same code
                // once optimised, much less to optimise in a crate of many call sites.
                let mut lanes = [<$e>::default(); $w];
                for (i, lane) in lanes.iter_mut().enumerate() {
                    *lane = f(i);
                }
                <$t>::new(lanes)
            }
            #[inline(always)]
            fn store(self, out: &mut [$e]) {
                let lanes = self.as_array();
                if let Some(whole) = out.get_mut(..$w) {
                    // A copy of known length: one vector store, not a call to memmove.
                    whole.copy_from_slice(lanes);
                } else {
                    // Fewer lanes than WIDTH: copies of 8, 4, 2 and 1 lanes as the
                    // length's bits say (a copy of unknown length calls memmove, which
                    // cost a tangent-lane Jacobian with m = 3 about a tenth of its time).
                    let (mut at, n) = (0, out.len());
                    for size in [8, 4, 2, 1] {
                        if size < $w && n & size != 0 {
                            out[at..at + size].copy_from_slice(&lanes[at..at + size]);
                            at += size;
                        }
                    }
                }
            }
            #[inline(always)]
            fn transpose(tile: &mut [Self]) {
                $transpose(tile)
            }
        }
    };
}

/// 4 x 4 transpose of f64 lanes: with AVX four in-lane unpacks and four 128-bit lane
/// permutes, through safe_arch's safe wrappers (wide's own `f64x4::transpose` goes
/// through 128-bit halves and, in the block drivers, through the stack); wide's
/// elsewhere.
#[inline(always)]
fn transpose_f64x4(r: [f64x4; 4]) -> [f64x4; 4] {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
    {
        use safe_arch::{m256d, permute2z_m256d, unpack_hi_m256d, unpack_lo_m256d};
        let r: [m256d; 4] = r.map(bytemuck::cast);
        // [a0 b0 a2 b2], [a1 b1 a3 b3], [c0 d0 c2 d2], [c1 d1 c3 d3].
        let (ab_even, ab_odd) = (unpack_lo_m256d(r[0], r[1]), unpack_hi_m256d(r[0], r[1]));
        let (cd_even, cd_odd) = (unpack_lo_m256d(r[2], r[3]), unpack_hi_m256d(r[2], r[3]));
        // Low 128 bits of both (0x20) give columns 0 and 1, high ones (0x31) 2 and 3.
        [
            permute2z_m256d::<0x20>(ab_even, cd_even),
            permute2z_m256d::<0x20>(ab_odd, cd_odd),
            permute2z_m256d::<0x31>(ab_even, cd_even),
            permute2z_m256d::<0x31>(ab_odd, cd_odd),
        ]
        .map(bytemuck::cast)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx")))]
    {
        f64x4::transpose(r)
    }
}

/// A square transpose of `$wide` (2N lanes) from its two `$half` halves (N lanes each):
/// the four N x N blocks transposed with `wide`'s shuffles, the off-diagonal ones
/// swapped. Without AVX-512, f64x8 and f32x16 are pairs of AVX vectors, so this stays
/// in registers where an element-by-element transpose goes through memory.
macro_rules! transpose_by_halves {
    ($name:ident, $wide:ident, $half:ident, $n:literal, $half_transpose:expr) => {
        #[allow(dead_code)]
        #[inline(always)]
        fn $name(tile: &mut [$wide]) {
            let tile: &mut [$wide; 2 * $n] = tile.try_into().expect("a tile of WIDTH vectors");
            // Zero-cost reinterpretations (wide's types are `bytemuck::Pod`).
            let block = |first_row: usize, h: usize| {
                $half_transpose(core::array::from_fn(|i| {
                    bytemuck::cast::<$wide, [$half; 2]>(tile[first_row + i])[h]
                }))
            };
            // Rows 0..N: columns 0..N and N..2N; rows N..2N likewise.
            let (top_left, top_right) = (block(0, 0), block(0, 1));
            let (bottom_left, bottom_right) = (block($n, 0), block($n, 1));
            let join = |low: $half, high: $half| bytemuck::cast::<[$half; 2], $wide>([low, high]);
            for i in 0..$n {
                tile[i] = join(top_left[i], bottom_left[i]);
                tile[$n + i] = join(top_right[i], bottom_right[i]);
            }
        }
    };
}
transpose_by_halves!(transpose_f64x8_by_halves, f64x8, f64x4, 4, transpose_f64x4);
transpose_by_halves!(
    transpose_f32x16_by_halves,
    f32x16,
    f32x8,
    8,
    f32x8::transpose
);

/// A tile transposed in place by a function of the square array: [`transpose_f64x4`]
/// for f64x4, `wide`'s own (shuffles with AVX) for f32x8.
macro_rules! square_transpose {
    ($t:ty, $w:literal, $transpose:expr) => {
        |tile: &mut [$t]| {
            let square: [$t; $w] = (&*tile).try_into().expect("a tile of WIDTH vectors");
            tile.copy_from_slice(&$transpose(square));
        }
    };
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
simd_lanes!(f64x8, f64, 8, "f64x8", transpose_f64x8_avx512);
#[cfg(not(all(target_arch = "x86_64", target_feature = "avx512f")))]
simd_lanes!(f64x8, f64, 8, "f64x8", transpose_f64x8_by_halves);
simd_lanes!(
    f64x4,
    f64,
    4,
    "f64x4",
    square_transpose!(f64x4, 4, transpose_f64x4)
);
simd_lanes!(
    f32x8,
    f32,
    8,
    "f32x8",
    square_transpose!(f32x8, 8, f32x8::transpose)
);
simd_lanes!(f32x16, f32, 16, "f32x16", transpose_f32x16_by_halves);

/// Copies `src` into `dst` (same length), writing every whole, 64-byte-aligned cache
/// line of `dst` with non-temporal (streaming) stores where the target has them (every
/// x86_64 target: one 64-byte `vmovntdq` with AVX-512F, two 32-byte ones with AVX, four
/// 16-byte `movntdq` otherwise), and the partial lines at either end with plain stores.
/// A streaming store sends the line to memory without first reading it and without
/// keeping it in the caches: for outputs larger than the caches it saves the read of
/// every line written (docs/RESULTS.md has the figures). The same bytes as
/// `copy_from_slice` (the fallback on other architectures, and for element sizes other
/// than 4 and 8 bytes). Streaming stores are weakly ordered: call [`store_fence`] before
/// another thread may read `dst`.
///
/// Panics if the lengths differ.
#[inline]
pub(crate) fn stream_copy<E: Copy>(dst: &mut [E], src: &[E]) {
    assert_eq!(dst.len(), src.len(), "stream_copy: lengths differ");
    #[cfg(target_arch = "x86_64")]
    if (size_of::<E>() == 8 || size_of::<E>() == 4)
        && dst.as_ptr().addr().is_multiple_of(size_of::<E>())
    {
        stream_copy_x86_64(dst, src);
        return;
    }
    dst.copy_from_slice(src);
}

/// [`stream_copy`] for 4- and 8-byte elements at element-aligned addresses.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn stream_copy_x86_64<E: Copy>(dst: &mut [E], src: &[E]) {
    const LINE: usize = 64;
    let size = size_of::<E>();
    let per_line = LINE / size;
    let len = dst.len();
    // Elements before the first 64-byte boundary of `dst` (all of it if there is none),
    // the whole lines after it, and the elements left after them.
    let head = (dst.as_ptr().addr().wrapping_neg() % LINE / size).min(len);
    let lines = (len - head) / per_line;
    let body = head + lines * per_line;
    dst[..head].copy_from_slice(&src[..head]);
    for line in 0..lines {
        let at = head + line * per_line;
        let from = src[at..at + per_line].as_ptr().cast::<u8>();
        let to = dst[at..at + per_line].as_mut_ptr().cast::<u8>();
        // SAFETY: `from` points at 64 readable bytes of `src` (the bounds-checked slice
        // above); `to` points at 64 writable bytes of `dst` (checked the same way) that
        // start on a 64-byte boundary (`head` elements past `dst`'s first boundary, plus
        // whole lines). `E` is `Copy`, so its bytes may be copied as integers.
        unsafe { stream_line(to, from) }
    }
    dst[body..].copy_from_slice(&src[body..]);
}

/// Writes the 64 bytes at `from` to the 64-byte-aligned line at `to` with one AVX-512
/// streaming store.
///
/// # Safety
/// `from` must be readable and `to` writable for 64 bytes, `to` aligned to 64 bytes.
#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
#[inline(always)]
unsafe fn stream_line(to: *mut u8, from: *const u8) {
    use core::arch::x86_64::{__m512i, _mm512_loadu_si512, _mm512_stream_si512};
    // SAFETY: the caller's contract: 64 readable bytes at `from` (`loadu` takes any
    // alignment), 64 writable bytes at `to` on a 64-byte boundary, as the streaming
    // store requires; AVX-512F is enabled at compile time (cfg).
    unsafe { _mm512_stream_si512(to.cast::<__m512i>(), _mm512_loadu_si512(from.cast())) }
}

/// Writes the 64 bytes at `from` to the 64-byte-aligned line at `to` with two AVX
/// streaming stores.
///
/// # Safety
/// `from` must be readable and `to` writable for 64 bytes, `to` aligned to 64 bytes.
#[cfg(all(
    target_arch = "x86_64",
    target_feature = "avx",
    not(target_feature = "avx512f")
))]
#[inline(always)]
unsafe fn stream_line(to: *mut u8, from: *const u8) {
    use core::arch::x86_64::{__m256i, _mm256_loadu_si256, _mm256_stream_si256};
    for half in 0..2 {
        // SAFETY: the caller's contract: bytes 32 * half .. 32 * half + 32 of both
        // lines lie inside their 64 bytes, `loadu` takes any alignment, and `to + 32 *
        // half` is 32-byte aligned, as the streaming store requires; AVX is enabled at
        // compile time (cfg).
        unsafe {
            let v = _mm256_loadu_si256(from.add(32 * half).cast::<__m256i>());
            _mm256_stream_si256(to.add(32 * half).cast::<__m256i>(), v);
        }
    }
}

/// Writes the 64 bytes at `from` to the 64-byte-aligned line at `to` with four SSE2
/// streaming stores (SSE2 is part of every x86_64 target).
///
/// # Safety
/// `from` must be readable and `to` writable for 64 bytes, `to` aligned to 64 bytes.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx")))]
#[inline(always)]
unsafe fn stream_line(to: *mut u8, from: *const u8) {
    use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_stream_si128};
    for quarter in 0..4 {
        // SAFETY: the caller's contract: bytes 16 * quarter .. 16 * quarter + 16 of
        // both lines lie inside their 64 bytes, `loadu` takes any alignment, and `to +
        // 16 * quarter` is 16-byte aligned, as the streaming store requires; SSE2 is
        // part of every x86_64 target.
        unsafe {
            let v = _mm_loadu_si128(from.add(16 * quarter).cast::<__m128i>());
            _mm_stream_si128(to.add(16 * quarter).cast::<__m128i>(), v);
        }
    }
}

/// Orders this thread's earlier streaming stores ([`stream_copy`]) before its later
/// stores (`sfence` on x86_64; nothing elsewhere, where nothing streams): called before
/// a batch task reports that it is done, so the thread that returns to the caller sees
/// every entry.
#[inline]
pub(crate) fn store_fence() {
    // SAFETY: `sfence` has no operands and only orders stores; SSE, which it needs, is
    // part of every x86_64 target.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::x86_64::_mm_sfence()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poison_is_not_produced_by_arithmetic() {
        let zero = std::hint::black_box(0.0f64);
        assert!(!(f64::NAN + 1.0).is_poison());
        assert!(!(zero / zero).is_poison());
        assert!(!(f64::INFINITY - f64::INFINITY).is_poison());
        assert!(f64::poison().is_nan() && f64::poison().is_poison());
        assert!(!(zero as f32 / zero as f32).is_poison());
        assert!(f32::poison().is_nan() && f32::poison().is_poison());
    }

    #[test]
    fn store_writes_a_prefix() {
        let v = <f64x8 as Lanes>::from_fn(|i| i as f64 + 1.0);
        let mut out = [0.0; 3];
        v.store(&mut out);
        assert_eq!(out, [1.0, 2.0, 3.0]);
        let mut long = [0.0; 10];
        v.store(&mut long);
        assert_eq!(long[7], 8.0);
        assert_eq!(long[8], 0.0);
        // Every prefix length of every vector type (copied in pieces of 8, 4, 2 and 1),
        // and nothing past it.
        fn every_prefix<L: Lanes>(lane: impl Fn(usize) -> L::Elem, fill: L::Elem)
        where
            L::Elem: PartialEq + core::fmt::Debug,
        {
            let v = L::from_fn(&lane);
            for n in 0..=L::WIDTH + 1 {
                let mut out = vec![fill; L::WIDTH + 2];
                v.store(&mut out[..n]);
                let expected: Vec<_> = (0..L::WIDTH + 2)
                    .map(|i| if i < n.min(L::WIDTH) { lane(i) } else { fill })
                    .collect();
                assert_eq!(out, expected, "{} prefix of {n}", L::NAME);
            }
        }
        every_prefix::<f64x4>(|i| i as f64 + 1.0, 0.0);
        every_prefix::<f64x8>(|i| i as f64 + 1.0, 0.0);
        every_prefix::<f32x8>(|i| i as f32 + 1.0, 0.0);
        every_prefix::<f32x16>(|i| i as f32 + 1.0, 0.0);
    }

    /// Every lane type's `transpose` (shuffles where the target has them) against the
    /// definition and against the portable `transpose_by_lanes`, with distinct
    /// bit patterns (NaN payloads, signed zeros, subnormals) in every lane: a transpose
    /// only moves bits.
    fn transpose_is_the_definition<L: Lanes>(bits: impl Fn(usize) -> L::Elem) {
        let w = L::WIDTH;
        let tile: Vec<L> = (0..w).map(|i| L::from_fn(|j| bits(i * w + j))).collect();
        let mut fast = tile.clone();
        L::transpose(&mut fast);
        let mut portable = tile.clone();
        transpose_by_lanes(&mut portable);
        for i in 0..w {
            for (j, column) in tile.iter().enumerate() {
                let want = column.lane(i);
                for (got, how) in [
                    (fast[i].lane(j), "transpose"),
                    (portable[i].lane(j), "by lanes"),
                ] {
                    assert_eq!(
                        got.to_f64().to_bits(),
                        want.to_f64().to_bits(),
                        "{} {how}: lane {j} of vector {i}",
                        L::NAME
                    );
                }
            }
        }
        // Twice is the identity, bit for bit.
        L::transpose(&mut fast);
        for (a, b) in fast.iter().zip(&tile) {
            for l in 0..w {
                assert_eq!(a.lane(l).to_f64().to_bits(), b.lane(l).to_f64().to_bits());
            }
        }
    }

    /// `by_halves` gives the bits of the element-by-element transpose.
    fn by_halves_is_the_definition<L: Lanes>(
        by_halves: fn(&mut [L]),
        bits: impl Fn(usize) -> L::Elem,
    ) {
        let w = L::WIDTH;
        let tile: Vec<L> = (0..w).map(|i| L::from_fn(|j| bits(w * i + j))).collect();
        let (mut fast, mut portable) = (tile.clone(), tile);
        by_halves(&mut fast);
        transpose_by_lanes(&mut portable);
        let lanes = |t: &[L]| -> Vec<u64> {
            t.iter()
                .flat_map(|v| (0..w).map(move |k| v.lane(k).to_f64().to_bits()))
                .collect()
        };
        assert_eq!(lanes(&fast), lanes(&portable), "{}", L::NAME);
    }

    #[test]
    fn transposes_move_every_lane_to_its_place() {
        let f64_bits = |k: usize| match k % 4 {
            0 => f64::from_bits(0x7FF8_0000_0000_0000 | k as u64), // NaN, payload k
            1 => -(k as f64),
            2 => f64::from_bits(k as u64), // subnormal
            _ => k as f64 + 0.5,
        };
        let f32_bits = |k: usize| match k % 3 {
            0 => -(k as f32),
            1 => f32::from_bits(k as u32),
            _ => k as f32 + 0.25,
        };
        transpose_is_the_definition::<f64>(f64_bits);
        transpose_is_the_definition::<f64x4>(f64_bits);
        transpose_is_the_definition::<f64x8>(f64_bits);
        transpose_is_the_definition::<f32>(f32_bits);
        transpose_is_the_definition::<f32x8>(f32_bits);
        transpose_is_the_definition::<f32x16>(f32_bits);
        // The by-halves transposes directly, whichever one `Lanes::transpose` compiled
        // to on this machine (they serve targets without AVX-512).
        by_halves_is_the_definition::<f64x8>(transpose_f64x8_by_halves, f64_bits);
        by_halves_is_the_definition::<f32x16>(transpose_f32x16_by_halves, f32_bits);
    }

    /// `stream_copy` copies exactly, at every alignment of source and destination and
    /// every length around a few cache lines (streamed lines, plain head and tail), in
    /// f64 and f32 (the streaming path on x86_64, whichever vector width this target
    /// compiled), and in 2-byte elements (the plain copy, the fallback).
    #[test]
    fn stream_copy_is_an_exact_copy_at_every_alignment() {
        fn check<E: Copy + PartialEq + core::fmt::Debug>(make: impl Fn(usize) -> E, fill: E) {
            let src: Vec<E> = (0..200).map(&make).collect();
            for offset in 0..16 {
                for len in [0, 1, 7, 8, 15, 16, 17, 31, 33, 64, 100, 150] {
                    let mut dst = [fill; 200];
                    stream_copy(&mut dst[offset..offset + len], &src[3..3 + len]);
                    store_fence();
                    assert_eq!(&dst[offset..offset + len], &src[3..3 + len]);
                    assert!(dst[..offset].iter().all(|&d| d == fill), "before {offset}");
                    assert!(dst[offset + len..].iter().all(|&d| d == fill), "after");
                }
            }
        }
        check(|i| i as f64 * 1.5 - 7.0, 12345.0);
        check(|i| i as f32 * 0.25, -1.0f32);
        check(|i| i as u16 * 3, 9u16);
    }
}
