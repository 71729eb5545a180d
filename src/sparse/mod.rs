//! Sparse Jacobians: sparsity detection, column colouring and compressed evaluation.
//!
//! Most Jacobians evaluated at high throughput are sparse (discretised PDEs, chained
//! residuals, ODE systems). A dense forward pass spends its directions and its memory
//! bandwidth on zeros. [`SparseJacobian`] finds the pattern once, colours its columns
//! so that columns sharing a colour never share a row, and then computes every
//! Jacobian with one tangent direction per colour instead of one per input, writing
//! only the nonzeros, in CSR order.
//!
//! ```
//! use batchjac::sparse::SparseJacobian;
//! use batchjac::{Real, VectorFn};
//!
//! /// y_i = x_i^2 - x_{i+1}: a bidiagonal Jacobian.
//! struct Chain;
//! impl VectorFn for Chain {
//!     fn inputs(&self) -> usize { 4 }
//!     fn outputs(&self) -> usize { 3 }
//!     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
//!         for i in 0..3 {
//!             y[i] = x[i] * x[i] - x[i + 1];
//!         }
//!     }
//! }
//!
//! let sj = SparseJacobian::new(&Chain).unwrap(); // detect and colour, once
//! assert_eq!((sj.nnz(), sj.colors()), (6, 2));
//! assert_eq!(sj.row_ptr(), &[0, 2, 4, 6]);
//! assert_eq!(sj.col_idx(), &[0, 1, 1, 2, 2, 3]);
//!
//! let mut values = vec![0.0; sj.nnz()];
//! sj.jacobian(&Chain, &[1.0, 2.0, 3.0, 4.0], &mut values).unwrap();
//! assert_eq!(values, [2.0, -1.0, 4.0, -1.0, 6.0, -1.0]);
//!
//! // Many points at once, in parallel: values of point k at k * nnz.
//! let xs = [1.0, 2.0, 3.0, 4.0, 0.5, 0.5, 0.5, 0.5];
//! let mut batch = vec![0.0; 2 * sj.nnz()];
//! sj.jacobian_batch(&Chain, &xs, &mut batch).unwrap();
//! assert_eq!(batch[6..], [1.0, -1.0, 1.0, -1.0, 1.0, -1.0]);
//! ```
//!
//! # Detection
//! [`SparseJacobian::new`] runs the function once on a tracer type whose values are
//! the sets of inputs they depend on (src/sparse/tracer.rs explains the design). The
//! pattern is *global*: it holds for every x, because [`crate::Value::select`]
//! contributes both branches. A function that branches on a value (an `if` on
//! [`crate::Value::primal`], or `any`/`all` of a comparison) cannot be traced and gives
//! [`Error::Untraceable`]; hand such a function's pattern in with
//! [`SparseJacobian::from_pattern`].
//!
//! # Colouring
//! Greedy colouring in several orders (largest-first, smallest-last, incidence degree,
//! DSATUR) improved by iterated greedy; [`SparseJacobian::colors`] is the result and
//! [`SparseJacobian::lower_bound`] the largest row count, which no colouring beats.
//!
//! # Evaluation and results
//! Both modes of the dense batch ([`Mode`]) are available; [`Mode::Auto`] chooses with
//! [`choose_sparse_mode`] on the number of colours instead of m (batch lanes carry up
//! to 16 colours in one pass). The batch runs on the dense
//! driver ([`crate::batch`]): same tasks, same per-thread workspaces (no allocation per
//! point), same error rules, and the same determinism: a point's values do not depend
//! on the thread count. In a given mode and lane type the compressed entries equal
//! the dense Jacobian's entries bit for bit (the same operations on the same values;
//! see src/sparse/eval.rs), and since the dense entries do not depend on the mode or
//! the lane type (one implementation of each elementary function serves both), the
//! compressed ones do not either.

mod color;
mod dense;
mod eval;
pub(crate) mod tracer;

#[cfg(test)]
mod tests;

use crate::batch::{BatchOptions, Engine, Mode, Progress, Shape, choose_mode, run};
use crate::batch_lane::{LaneBlockVisitor, PointLanes};
use crate::dual::Scalar;
use crate::error::{Error, check_len};
use crate::function::{VectorFn, check_batch_dimensions, check_dimensions, eval_checked};
use crate::jacobian::{DualVisitor, Element, Options, TangentDual};
use crate::verify::{CheckOptions, Report, check_jacobian_with};
use dense::Densify;
use eval::{LaneEngine, TangentEngine};
use std::ops::ControlFlow;

/// A sparsity pattern (CSR, rows = outputs) with a column colouring: computes sparse
/// Jacobians of functions with that pattern, one point or a batch.
///
/// Made once per function ([`SparseJacobian::new`] detects the pattern,
/// [`SparseJacobian::from_pattern`] takes a known one); immutable and `Sync`, so one
/// value serves any number of calls and threads.
///
/// ```
/// use batchjac::sparse::SparseJacobian;
/// use batchjac::{Real, VectorFn};
/// struct Diag;
/// impl VectorFn for Diag {
///     fn inputs(&self) -> usize { 3 }
///     fn outputs(&self) -> usize { 3 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         for i in 0..3 { y[i] = x[i].exp(); }
///     }
/// }
/// let sj = SparseJacobian::new(&Diag).unwrap();
/// assert_eq!((sj.nnz(), sj.colors(), sj.lower_bound()), (3, 1, 1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SparseJacobian {
    m: usize,
    n: usize,
    row_ptr: Vec<usize>,
    col_idx: Vec<usize>,
    /// Colour of each column.
    colors: Vec<usize>,
    color_count: usize,
    lower_bound: usize,
    /// Colour of each nonzero (`colors[col_idx[k]]`), the direction it is read from.
    slot: Vec<u32>,
}

impl SparseJacobian {
    /// Detects the global sparsity pattern of `f` with a tracer and colours its columns.
    ///
    /// Errors: [`Error::Untraceable`] if `f` branches on a value during detection,
    /// [`Error::OutputNotWritten`], [`Error::FunctionPanicked`], or a zero dimension.
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::{Error, Real, VectorFn};
    /// struct Branchy;
    /// impl VectorFn for Branchy {
    ///     fn inputs(&self) -> usize { 2 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = if x[0].primal() > 0.0 { x[0] } else { x[1] };
    ///     }
    /// }
    /// assert!(matches!(SparseJacobian::new(&Branchy), Err(Error::Untraceable { .. })));
    ///
    /// // The same choice through Real::select traces: both branches count.
    /// struct Selecting;
    /// impl VectorFn for Selecting {
    ///     fn inputs(&self) -> usize { 3 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = R::select(x[0].gt(R::from_f64(0.0)), x[0], x[1]);
    ///     }
    /// }
    /// let sj = SparseJacobian::new(&Selecting).unwrap();
    /// assert_eq!(sj.col_idx(), &[0, 1]);
    /// ```
    pub fn new<F: VectorFn>(f: &F) -> Result<Self, Error> {
        let (m, n) = check_dimensions(f)?;
        let (row_ptr, col_idx) = tracer::detect(f)?;
        Ok(Self::colored(m, n, row_ptr, col_idx))
    }

    /// A known pattern: `m` inputs, `n` outputs, CSR rows (`row_ptr` of length n + 1,
    /// starting at 0 and non-decreasing; `col_idx` of length `row_ptr[n]`, each row's
    /// columns strictly increasing and below m). The pattern must hold every nonzero of
    /// the functions it is used with; [`SparseJacobian::verify`] checks that at a point.
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// // Tridiagonal 4 x 4.
    /// let row_ptr = vec![0, 2, 5, 8, 10];
    /// let col_idx = vec![0, 1, 0, 1, 2, 1, 2, 3, 2, 3];
    /// let sj = SparseJacobian::from_pattern(4, 4, row_ptr, col_idx).unwrap();
    /// assert_eq!((sj.colors(), sj.lower_bound()), (3, 3));
    /// // Unsorted columns are refused.
    /// assert!(SparseJacobian::from_pattern(2, 1, vec![0, 2], vec![1, 0]).is_err());
    /// ```
    pub fn from_pattern(
        m: usize,
        n: usize,
        row_ptr: Vec<usize>,
        col_idx: Vec<usize>,
    ) -> Result<Self, Error> {
        crate::error::check_nonzero("m", m)?;
        crate::error::check_nonzero("n", n)?;
        check_len("row_ptr (n + 1)", row_ptr.len(), n + 1)?;
        let invalid = |message: String| Err(Error::InvalidArgument { message });
        if row_ptr[0] != 0 {
            return invalid(format!("row_ptr[0] is {}, expected 0", row_ptr[0]));
        }
        if let Some(i) = (0..n).find(|&i| row_ptr[i + 1] < row_ptr[i]) {
            return invalid(format!(
                "row_ptr decreases at row {i}: row_ptr[{i}] = {}, row_ptr[{}] = {}",
                row_ptr[i],
                i + 1,
                row_ptr[i + 1]
            ));
        }
        check_len("col_idx (row_ptr[n])", col_idx.len(), row_ptr[n])?;
        for i in 0..n {
            let row = &col_idx[row_ptr[i]..row_ptr[i + 1]];
            if let Some(&j) = row.iter().find(|&&j| j >= m) {
                return invalid(format!(
                    "row {i} has column {j}, expected columns below m = {m}"
                ));
            }
            if let Some(w) = row.windows(2).find(|w| w[1] <= w[0]) {
                return invalid(format!(
                    "row {i} has columns {} then {}, expected strictly increasing columns",
                    w[0], w[1]
                ));
            }
        }
        Ok(Self::colored(m, n, row_ptr, col_idx))
    }

    fn colored(m: usize, n: usize, row_ptr: Vec<usize>, col_idx: Vec<usize>) -> Self {
        let (coloring, lower_bound) = color::color_columns(m, &row_ptr, &col_idx);
        let slot = col_idx.iter().map(|&j| coloring.colors[j] as u32).collect();
        SparseJacobian {
            m,
            n,
            row_ptr,
            col_idx,
            colors: coloring.colors,
            color_count: coloring.count,
            lower_bound,
            slot,
        }
    }

    /// The input dimension m (columns).
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// let sj = SparseJacobian::from_pattern(3, 1, vec![0, 1], vec![2]).unwrap();
    /// assert_eq!((sj.inputs(), sj.outputs()), (3, 1));
    /// ```
    pub fn inputs(&self) -> usize {
        self.m
    }

    /// The output dimension n (rows).
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// let sj = SparseJacobian::from_pattern(1, 2, vec![0, 1, 1], vec![0]).unwrap();
    /// assert_eq!(sj.outputs(), 2);
    /// ```
    pub fn outputs(&self) -> usize {
        self.n
    }

    /// The number of structural nonzeros (entries per Jacobian).
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// let sj = SparseJacobian::from_pattern(2, 2, vec![0, 2, 3], vec![0, 1, 1]).unwrap();
    /// assert_eq!(sj.nnz(), 3);
    /// ```
    pub fn nnz(&self) -> usize {
        self.col_idx.len()
    }

    /// The number of colours p: tangent directions per point (one pass when p fits
    /// the dual type).
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// // A dense row: every column needs its own colour.
    /// let sj = SparseJacobian::from_pattern(3, 1, vec![0, 3], vec![0, 1, 2]).unwrap();
    /// assert_eq!(sj.colors(), 3);
    /// ```
    pub fn colors(&self) -> usize {
        self.color_count
    }

    /// The colour of each column (length m, values below [`SparseJacobian::colors`];
    /// all 0 when the pattern has no entries and so no colours).
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// // Diagonal: one colour.
    /// let sj = SparseJacobian::from_pattern(2, 2, vec![0, 1, 2], vec![0, 1]).unwrap();
    /// assert_eq!(sj.column_colors(), &[0, 0]);
    /// ```
    pub fn column_colors(&self) -> &[usize] {
        &self.colors
    }

    /// The lower bound on the colour count: the most nonzeros in one row (those columns
    /// pairwise share that row).
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// let sj = SparseJacobian::from_pattern(3, 2, vec![0, 2, 3], vec![0, 2, 1]).unwrap();
    /// assert_eq!((sj.lower_bound(), sj.colors()), (2, 2));
    /// ```
    pub fn lower_bound(&self) -> usize {
        self.lower_bound
    }

    /// CSR row pointers (length n + 1): row i's entries are `row_ptr[i]..row_ptr[i + 1]`.
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// let sj = SparseJacobian::from_pattern(2, 2, vec![0, 0, 2], vec![0, 1]).unwrap();
    /// assert_eq!(sj.row_ptr(), &[0, 0, 2]);
    /// ```
    pub fn row_ptr(&self) -> &[usize] {
        &self.row_ptr
    }

    /// CSR column indices (length nnz), increasing within each row.
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// let sj = SparseJacobian::from_pattern(3, 1, vec![0, 2], vec![0, 2]).unwrap();
    /// assert_eq!(sj.col_idx(), &[0, 2]);
    /// ```
    pub fn col_idx(&self) -> &[usize] {
        &self.col_idx
    }

    /// Expands one sparse Jacobian (`values`, length nnz, CSR order) into `dense`
    /// (n x m row-major); every other entry is set to zero.
    ///
    /// ```
    /// # use batchjac::sparse::SparseJacobian;
    /// let sj = SparseJacobian::from_pattern(2, 2, vec![0, 1, 2], vec![1, 0]).unwrap();
    /// let mut dense = [9.0; 4];
    /// sj.to_dense(&[5.0, 7.0], &mut dense).unwrap();
    /// assert_eq!(dense, [0.0, 5.0, 7.0, 0.0]);
    /// ```
    pub fn to_dense<E: Copy + Default>(&self, values: &[E], dense: &mut [E]) -> Result<(), Error> {
        check_len("values (nnz)", values.len(), self.nnz())?;
        check_len("dense (n * m)", dense.len(), self.n * self.m)?;
        dense.fill(E::default());
        for i in 0..self.n {
            for k in self.row_ptr[i]..self.row_ptr[i + 1] {
                dense[i * self.m + self.col_idx[k]] = values[k];
            }
        }
        Ok(())
    }

    /// Checks that `f` has this pattern's dimensions.
    fn check_function<F: VectorFn>(&self, f: &F) -> Result<(), Error> {
        check_len("f.inputs() (the pattern's m)", f.inputs(), self.m)?;
        check_len("f.outputs() (the pattern's n)", f.outputs(), self.n)
    }

    /// The sparse Jacobian of `f` at `x` into `values` (length nnz, CSR order).
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::{Real, VectorFn};
    /// struct Cubes;
    /// impl VectorFn for Cubes {
    ///     fn inputs(&self) -> usize { 2 }
    ///     fn outputs(&self) -> usize { 2 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = x[0].powi(3);
    ///         y[1] = x[1].powi(3);
    ///     }
    /// }
    /// let sj = SparseJacobian::new(&Cubes).unwrap();
    /// let mut values = [0.0f32; 2]; // f32 works as well as f64
    /// sj.jacobian(&Cubes, &[1.0f32, 2.0], &mut values).unwrap();
    /// assert_eq!(values, [3.0, 12.0]);
    /// ```
    pub fn jacobian<F: VectorFn, E: Element>(
        &self,
        f: &F,
        x: &[E],
        values: &mut [E],
    ) -> Result<(), Error> {
        self.jacobian_with_options(f, x, values, None, &Options::default())
    }

    /// The sparse Jacobian at `x` into `values` (nnz), f(x) into `fx` (n) if given, with
    /// the lane type of `options` (tangent-lane mode).
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::{LaneType, Options, Real, VectorFn};
    /// struct Squares;
    /// impl VectorFn for Squares {
    ///     fn inputs(&self) -> usize { 2 }
    ///     fn outputs(&self) -> usize { 2 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = x[0] * x[0];
    ///         y[1] = x[1] * x[1];
    ///     }
    /// }
    /// let sj = SparseJacobian::new(&Squares).unwrap();
    /// let (mut values, mut fx) = ([0.0; 2], [0.0; 2]);
    /// let options = Options::with_lanes(LaneType::Scalar);
    /// sj.jacobian_with_options(&Squares, &[3.0, 4.0], &mut values, Some(&mut fx), &options)
    ///     .unwrap();
    /// assert_eq!((values, fx), ([6.0, 8.0], [9.0, 16.0]));
    /// ```
    pub fn jacobian_with_options<F: VectorFn, E: Element>(
        &self,
        f: &F,
        x: &[E],
        values: &mut [E],
        fx: Option<&mut [E]>,
        options: &Options,
    ) -> Result<(), Error> {
        self.check_function(f)?;
        check_len("x", x.len(), self.m)?;
        check_len("values (nnz)", values.len(), self.nnz())?;
        if let Some(fx) = fx.as_deref() {
            check_len("fx (n)", fx.len(), self.n)?;
        }
        if self.nnz() == 0 {
            return self.values_only(f, x, fx);
        }
        let batch = BatchOptions {
            lanes: options.lanes,
            mode: Mode::TangentLanes,
            parallel: false,
            grain: None,
            stores: crate::batch::Stores::Cached,
        };
        // One point: errors name no point, as the dense single-point entry points.
        self.run_checked::<Csr, _, _>(f, x, values, fx, &batch, &|_| ControlFlow::Continue(()))
            .map_err(|e| match e {
                Error::OutputNotWritten { output, .. } => Error::OutputNotWritten {
                    output,
                    point: None,
                },
                Error::FunctionPanicked { message, .. } => Error::FunctionPanicked {
                    point: None,
                    message,
                },
                other => other,
            })
    }

    /// The sparse Jacobians of `f` at the B points `xs` (B x m row-major) into `values`
    /// (B x nnz: point k's entries at `k * nnz`, CSR order), in parallel in the current
    /// rayon pool. The bits of every point's entries do not depend on the thread count.
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::suite::{Analytic, Brusselator};
    /// use batchjac::VectorFn;
    /// let f = Brusselator;
    /// let sj = SparseJacobian::new(&f).unwrap();
    /// assert_eq!(sj.nnz(), 128 * 6);
    /// let xs: Vec<f64> = (0..3 * 128).map(|i| 1.0 + 0.01 * i as f64).collect();
    /// let mut values = vec![0.0; 3 * sj.nnz()];
    /// sj.jacobian_batch(&f, &xs, &mut values).unwrap();
    /// // Point 2 against the hand-written Jacobian.
    /// let (mut dense, mut analytic) = (vec![0.0; 128 * 128], vec![0.0; 128 * 128]);
    /// sj.to_dense(&values[2 * sj.nnz()..], &mut dense).unwrap();
    /// f.analytic_jacobian(&xs[2 * 128..], &mut analytic);
    /// for (a, b) in dense.iter().zip(&analytic) {
    ///     assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0));
    /// }
    /// ```
    pub fn jacobian_batch<F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        values: &mut [E],
    ) -> Result<(), Error> {
        self.jacobian_batch_with_options(f, xs, values, None, &BatchOptions::default())
    }

    /// The B sparse Jacobians with options (mode, lane type, parallel or not, grain),
    /// and f(x_k) into `fx` (B x n) if given. [`Mode::Auto`] picks the mode with
    /// [`choose_sparse_mode`] (batch lanes up to 16 colours when the batch fills a
    /// vector).
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::{BatchOptions, Mode, Real, VectorFn};
    /// struct Pairs;
    /// impl VectorFn for Pairs {
    ///     fn inputs(&self) -> usize { 4 }
    ///     fn outputs(&self) -> usize { 2 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = x[0] * x[1];
    ///         y[1] = x[2] * x[3];
    ///     }
    /// }
    /// let sj = SparseJacobian::new(&Pairs).unwrap();
    /// let xs: Vec<f64> = (0..40).map(|i| i as f64).collect(); // 10 points
    /// let mut values = vec![0.0; 10 * sj.nnz()];
    /// for mode in [Mode::TangentLanes, Mode::BatchLanes] {
    ///     let options = BatchOptions { mode, ..Default::default() };
    ///     sj.jacobian_batch_with_options(&Pairs, &xs, &mut values, None, &options).unwrap();
    ///     assert_eq!(values[4..8], [5.0, 4.0, 7.0, 6.0]); // point 1 is (4, 5, 6, 7)
    /// }
    /// ```
    pub fn jacobian_batch_with_options<F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        values: &mut [E],
        fx: Option<&mut [E]>,
        options: &BatchOptions,
    ) -> Result<(), Error> {
        self.batch::<Csr, _, _>(f, xs, values, fx, options, &|_| ControlFlow::Continue(()))
    }

    /// The B Jacobians of `f` at the points `xs` (B x m row-major) as **dense** n x m
    /// matrices into `jacs` (B x n x m, the layout of [`crate::jacobian_batch`]),
    /// computed with one direction per colour instead of one per input: for a sparse
    /// function, a dense Jacobian at about the price of writing it.
    ///
    /// The entries in the pattern are the compressed entries, so they equal the dense
    /// batch's bit for bit; every entry outside it is `0.0`. The dense batch computes
    /// those from the function, where they are zeros of either sign, or NaN when an
    /// input is not finite (0 x inf); so for a point with an infinite or NaN input, or a
    /// function that produces -0.0 tangents (`-x`, `0.0 - x`), the two entry points can
    /// differ outside the pattern, and only there. [`crate::jacobian_batch`] does not
    /// switch to this path by itself for that reason: call it when the pattern is what
    /// you want.
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::{jacobian_batch, Real, VectorFn};
    /// /// A tridiagonal residual, as a 1-D finite-difference stencil gives.
    /// struct Stencil;
    /// impl VectorFn for Stencil {
    ///     fn inputs(&self) -> usize { 6 }
    ///     fn outputs(&self) -> usize { 6 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         for i in 0..6 {
    ///             let left = if i > 0 { x[i - 1] } else { R::from_f64(0.0) };
    ///             let right = if i < 5 { x[i + 1] } else { R::from_f64(0.0) };
    ///             y[i] = left - x[i] * 2.0 + right + x[i].sin();
    ///         }
    ///     }
    /// }
    /// let sj = SparseJacobian::new(&Stencil).unwrap();
    /// assert_eq!(sj.colors(), 3); // 3 directions instead of 6
    /// let xs: Vec<f64> = (0..60).map(|i| 0.1 * i as f64).collect(); // 10 points
    /// let (mut dense, mut compressed) = (vec![0.0; 10 * 36], vec![1.0; 10 * 36]);
    /// jacobian_batch(&Stencil, &xs, &mut dense).unwrap();
    /// sj.jacobian_batch_dense(&Stencil, &xs, &mut compressed).unwrap();
    /// assert_eq!(dense, compressed);
    /// ```
    pub fn jacobian_batch_dense<F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        jacs: &mut [E],
    ) -> Result<(), Error> {
        self.jacobian_batch_dense_with_options(f, xs, jacs, None, &BatchOptions::default())
    }

    /// [`SparseJacobian::jacobian_batch_dense`] with options (mode, lane type, parallel
    /// or not, grain, stores), and f(x_k) into `fx` (B x n) if given. [`Mode::Auto`]
    /// picks the mode by the colour count ([`choose_sparse_mode`]); `options.stores`
    /// applies to the dense output (streamed whole points at a time, about 16 KiB or
    /// one point, whichever is larger).
    ///
    /// ```
    /// use batchjac::batch::Stores;
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::suite::{Analytic, SuiteFunction};
    /// use batchjac::{BatchOptions, Error, Mode};
    /// let f = SuiteFunction::by_name("ext_rosenbrock").unwrap(); // 16 x 16, 2 colours
    /// let sj = SparseJacobian::new(&f).unwrap();
    /// let xs = f.points(20);
    /// let mut expected = vec![0.0; 256];
    /// f.analytic_jacobian(&xs[19 * 16..], &mut expected);
    /// for mode in [Mode::TangentLanes, Mode::BatchLanes] {
    ///     for stores in [Stores::Cached, Stores::Streaming] {
    ///         let (mut jacs, mut fx) = (vec![f64::NAN; 20 * 256], vec![0.0; 20 * 16]);
    ///         let options = BatchOptions { mode, stores, ..Default::default() };
    ///         sj.jacobian_batch_dense_with_options(&f, &xs, &mut jacs, Some(&mut fx), &options)
    ///             .unwrap();
    ///         for (a, b) in jacs[19 * 256..].iter().zip(&expected) {
    ///             assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0));
    ///         }
    ///     }
    /// }
    /// // The output must hold B x n x m entries.
    /// let mut short = vec![0.0; 20 * 32];
    /// let err = sj.jacobian_batch_dense(&f, &xs, &mut short);
    /// assert!(matches!(err, Err(Error::Length { what: "jacs (B * n * m)", .. })));
    /// ```
    pub fn jacobian_batch_dense_with_options<F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        jacs: &mut [E],
        fx: Option<&mut [E]>,
        options: &BatchOptions,
    ) -> Result<(), Error> {
        self.batch::<DenseLayout, _, _>(f, xs, jacs, fx, options, &|_| ControlFlow::Continue(()))
    }

    /// [`SparseJacobian::jacobian_batch_with_options`] with a progress hook, as
    /// [`crate::jacobian_batch_with_progress`] has it: `progress(count)` after each task
    /// of `count` points (the counts of a successful call add up to B), and
    /// [`ControlFlow::Break`] stops the batch, which then returns [`Error::Stopped`]
    /// with the points done and the complete prefix; the entries of completed points
    /// are written in full.
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::suite::SuiteFunction;
    /// use batchjac::{BatchOptions, Error};
    /// use std::ops::ControlFlow;
    /// let f = SuiteFunction::by_name("ext_rosenbrock").unwrap();
    /// let sj = SparseJacobian::new(&f).unwrap();
    /// let xs = f.points(1000);
    /// let mut values = vec![0.0; 1000 * sj.nnz()];
    /// // Sequential tasks of 200 points; stop after the second.
    /// let options = BatchOptions { grain: Some(200), ..BatchOptions::sequential() };
    /// let seen = std::sync::atomic::AtomicUsize::new(0);
    /// let stop = |count: usize| {
    ///     let done = seen.fetch_add(count, std::sync::atomic::Ordering::Relaxed) + count;
    ///     if done >= 400 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    /// };
    /// let result = sj.jacobian_batch_with_progress(&f, &xs, &mut values, None, &options, &stop);
    /// assert_eq!(result, Err(Error::Stopped { done: 400, prefix: 400, points: 1000 }));
    /// ```
    pub fn jacobian_batch_with_progress<F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        values: &mut [E],
        fx: Option<&mut [E]>,
        options: &BatchOptions,
        progress: &(dyn Fn(usize) -> ControlFlow<()> + Sync),
    ) -> Result<(), Error> {
        self.batch::<Csr, _, _>(f, xs, values, fx, options, progress)
    }

    /// [`SparseJacobian::jacobian_batch_dense_with_options`] with a progress hook that
    /// can stop the batch, as [`SparseJacobian::jacobian_batch_with_progress`].
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::suite::SuiteFunction;
    /// use batchjac::BatchOptions;
    /// use std::ops::ControlFlow;
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// let f = SuiteFunction::by_name("brusselator").unwrap();
    /// let sj = SparseJacobian::new(&f).unwrap();
    /// let xs = f.points(40);
    /// let mut jacs = vec![0.0; 40 * 128 * 128];
    /// let done = AtomicUsize::new(0);
    /// let count = |points: usize| {
    ///     done.fetch_add(points, Ordering::Relaxed);
    ///     ControlFlow::Continue(())
    /// };
    /// sj.jacobian_batch_dense_with_progress(&f, &xs, &mut jacs, None, &BatchOptions::default(), &count)
    ///     .unwrap();
    /// assert_eq!(done.load(Ordering::Relaxed), 40);
    /// ```
    pub fn jacobian_batch_dense_with_progress<F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        jacs: &mut [E],
        fx: Option<&mut [E]>,
        options: &BatchOptions,
        progress: &(dyn Fn(usize) -> ControlFlow<()> + Sync),
    ) -> Result<(), Error> {
        self.batch::<DenseLayout, _, _>(f, xs, jacs, fx, options, progress)
    }

    /// A batch call laid out by `L`: the arguments checked (f's dimensions, `out`
    /// holding `L::entries` per point, `fx`, the grain), then the compressed batch, or
    /// for an empty pattern zeros and the values alone (reported to `progress` as one
    /// task).
    fn batch<L: Layout, F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        out: &mut [E],
        fx: Option<&mut [E]>,
        options: &BatchOptions,
        progress: Progress<'_>,
    ) -> Result<(), Error> {
        self.check_function(f)?;
        let points = check_batch_dimensions(f, xs.len())?.points;
        let per_point = L::entries(self);
        let entries = points
            .checked_mul(per_point)
            .ok_or_else(|| Error::InvalidArgument {
                message: format!(
                    "B * {} overflows usize (B = {points}, {} = {per_point})",
                    L::PER_POINT,
                    L::PER_POINT
                ),
            })?;
        check_len(L::OUT, out.len(), entries)?;
        if let Some(fx) = fx.as_deref() {
            check_len("fx (B * n)", fx.len(), points * self.n)?;
        }
        if options.grain == Some(0) {
            return Err(Error::InvalidArgument {
                message: "grain is 0; a task must hold at least one point".to_string(),
            });
        }
        if self.nnz() == 0 {
            out.fill(E::default());
            self.values_only(f, xs, fx)?;
            // The whole batch was one task: a break now stops nothing.
            let _ = progress(points);
            return Ok(());
        }
        self.run_checked::<L, _, _>(f, xs, out, fx, options, progress)
    }

    /// Runs the compressed batch, written as `L` lays it out; arguments checked,
    /// nnz > 0.
    fn run_checked<L: Layout, F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        values: &mut [E],
        fx: Option<&mut [E]>,
        options: &BatchOptions,
        progress: Progress<'_>,
    ) -> Result<(), Error> {
        let points = xs.len() / self.m;
        let p = self.color_count;
        let mode = match options.mode {
            Mode::Auto => choose_sparse_mode(p, points),
            chosen => chosen,
        };
        let visitor = SparseVisitor {
            sj: self,
            f,
            shape: Shape {
                m: self.m,
                n: self.n,
                points,
                out: L::entries(self),
            },
            xs,
            values,
            fx,
            options,
            progress,
            layout: std::marker::PhantomData::<L>,
        };
        match mode {
            // Dispatch on the colour count selects the point lanes P and K for up to 8
            // colours; `LaneColors` takes K = 8, 12 or 16 past that.
            Mode::BatchLanes => E::dispatch_points(options.lanes, p, LaneColors(visitor))?,
            _ => E::dispatch(options.lanes, p, visitor)?,
        }
    }

    /// An all-zero pattern: no directions to compute; evaluate f for `fx` (and for the
    /// errors of an unwritten output or a panic).
    fn values_only<F: VectorFn, E: Element>(
        &self,
        f: &F,
        xs: &[E],
        mut fx: Option<&mut [E]>,
    ) -> Result<(), Error> {
        // Plain evaluation in E: f64 or f32, through `Scalar<E>` (the one real type of
        // both element types).
        let zero = Scalar::<E>::from(E::default());
        let (mut x, mut y) = (vec![zero; self.m], vec![zero; self.n]);
        let points = xs.len() / self.m;
        for (k, point) in xs.chunks_exact(self.m).enumerate() {
            let at = |e: Error| if points > 1 { e.at_point(k) } else { e };
            for (xd, &v) in x.iter_mut().zip(point) {
                *xd = Scalar::from(v);
            }
            eval_checked(f, &x, &mut y).map_err(at)?;
            if let Some(fx) = fx.as_deref_mut() {
                for (out, yd) in fx[k * self.n..(k + 1) * self.n].iter_mut().zip(&y) {
                    *out = yd.value;
                }
            }
        }
        Ok(())
    }

    /// Judges a sparse Jacobian of `f` at `x` (`values`, length nnz) against
    /// finite differences, **structural zeros included**: the values are expanded to
    /// the dense n x m matrix and checked entry by entry by
    /// [`crate::verify::check_jacobian`], so a nonzero the pattern misses fails with
    /// its row and column (see [`Report::worst`] and [`Report::failures`]).
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::{Real, VectorFn};
    /// struct Coupled;
    /// impl VectorFn for Coupled {
    ///     fn inputs(&self) -> usize { 2 }
    ///     fn outputs(&self) -> usize { 2 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = x[0].sin();
    ///         y[1] = x[1] * x[0];
    ///     }
    /// }
    /// let x = [0.3, 0.7];
    /// let sj = SparseJacobian::new(&Coupled).unwrap();
    /// let mut values = vec![0.0; sj.nnz()];
    /// sj.jacobian(&Coupled, &x, &mut values).unwrap();
    /// assert!(sj.verify(&Coupled, &x, &values).unwrap().passed());
    ///
    /// // A diagonal pattern misses d y1 / d x0 = x1: verification fails there.
    /// let diagonal = SparseJacobian::from_pattern(2, 2, vec![0, 1, 2], vec![0, 1]).unwrap();
    /// let mut values = vec![0.0; 2];
    /// diagonal.jacobian(&Coupled, &x, &mut values).unwrap();
    /// let report = diagonal.verify(&Coupled, &x, &values).unwrap();
    /// assert!(!report.passed());
    /// let worst = report.worst().unwrap();
    /// assert_eq!((worst.row, worst.column), (1, 0));
    /// ```
    pub fn verify<F: VectorFn>(&self, f: &F, x: &[f64], values: &[f64]) -> Result<Report, Error> {
        self.verify_with(f, x, values, &CheckOptions::default())
    }

    /// [`SparseJacobian::verify`] with a choice of scheme and tolerances
    /// ([`CheckOptions`]), in f64 or f32.
    ///
    /// ```
    /// use batchjac::sparse::SparseJacobian;
    /// use batchjac::verify::{CheckOptions, Scheme};
    /// use batchjac::{Real, VectorFn};
    /// struct Exp2;
    /// impl VectorFn for Exp2 {
    ///     fn inputs(&self) -> usize { 2 }
    ///     fn outputs(&self) -> usize { 2 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = x[0].exp();
    ///         y[1] = x[1].exp();
    ///     }
    /// }
    /// let sj = SparseJacobian::new(&Exp2).unwrap();
    /// let x = [0.5f32, 1.0];
    /// let mut values = [0.0f32; 2];
    /// sj.jacobian(&Exp2, &x, &mut values).unwrap();
    /// let options = CheckOptions { scheme: Scheme::Central, ..CheckOptions::default() };
    /// assert!(sj.verify_with(&Exp2, &x, &values, &options).unwrap().passed());
    /// ```
    pub fn verify_with<F: VectorFn, E: Element>(
        &self,
        f: &F,
        x: &[E],
        values: &[E],
        options: &CheckOptions,
    ) -> Result<Report, Error> {
        self.check_function(f)?;
        check_len("x", x.len(), self.m)?;
        let mut dense = vec![E::default(); self.n * self.m];
        self.to_dense(values, &mut dense)?;
        check_jacobian_with(f, x, &dense, options)
    }
}

/// Runs the compressed batch with the dual type (tangent lanes) or the point lanes and
/// K (batch lanes) that dispatch on the colour count selects.
struct SparseVisitor<'a, F, E, L> {
    sj: &'a SparseJacobian,
    f: &'a F,
    shape: Shape,
    xs: &'a [E],
    values: &'a mut [E],
    fx: Option<&'a mut [E]>,
    options: &'a BatchOptions,
    progress: Progress<'a>,
    layout: std::marker::PhantomData<L>,
}

impl<F: VectorFn, E: Element, L: Layout> SparseVisitor<'_, F, E, L> {
    /// Runs the batch with the compressed engine `make` builds, laid out by `L`.
    fn run_engine<W: Engine<Elem = E>>(self, make: &(impl Fn() -> W + Sync)) -> Result<(), Error> {
        let sj = self.sj;
        run(
            self.f,
            self.shape,
            self.xs,
            self.values,
            self.fx,
            self.options,
            self.progress,
            &|| L::writer(sj, make()),
        )
    }
}

/// How a batch of compressed Jacobians is written: CSR entries as computed ([`Csr`]), or
/// expanded to dense n x m Jacobians ([`DenseLayout`]). A type, not a flag, so that a
/// caller of one compiles no engine of the other.
trait Layout {
    /// The output argument as errors name it.
    const OUT: &'static str;
    /// Its entries per point, as errors name them.
    const PER_POINT: &'static str;
    /// The engine that writes this layout from a compressed engine `W`.
    type Writer<'a, W: Engine + 'a>: Engine<Elem = W::Elem>;
    /// Entries one point writes.
    fn entries(sj: &SparseJacobian) -> usize;
    /// Wraps the compressed engine `inner`.
    fn writer<'a, W: Engine + 'a>(sj: &'a SparseJacobian, inner: W) -> Self::Writer<'a, W>;
}

/// CSR entries, nnz per point: the compressed engine as it is.
struct Csr;

impl Layout for Csr {
    const OUT: &'static str = "values (B * nnz)";
    const PER_POINT: &'static str = "nnz";
    type Writer<'a, W: Engine + 'a> = W;
    fn entries(sj: &SparseJacobian) -> usize {
        sj.nnz()
    }
    fn writer<'a, W: Engine + 'a>(_sj: &'a SparseJacobian, inner: W) -> W {
        inner
    }
}

/// Dense n x m Jacobians, zero outside the pattern.
struct DenseLayout;

impl Layout for DenseLayout {
    const OUT: &'static str = "jacs (B * n * m)";
    const PER_POINT: &'static str = "n * m";
    type Writer<'a, W: Engine + 'a> = Densify<'a, W>;
    fn entries(sj: &SparseJacobian) -> usize {
        sj.n * sj.m
    }
    fn writer<'a, W: Engine + 'a>(sj: &'a SparseJacobian, inner: W) -> Densify<'a, W> {
        Densify::new(sj, inner)
    }
}

impl<F: VectorFn, E: Element, L: Layout> DualVisitor<E> for SparseVisitor<'_, F, E, L> {
    type Output = Result<(), Error>;
    fn visit<D: TangentDual<Elem = E>>(self) -> Self::Output {
        let sj = self.sj;
        self.run_engine(&|| TangentEngine::<D>::new(sj))
    }
}

/// The largest colour count for which [`Mode::Auto`] picks batch lanes in the sparse
/// batch: batch lanes carry up to 16 colours in one pass. On
/// brusselator batch lanes are about twice as fast as tangent lanes with 9 colours
/// (K = 12) and three times with 8 (K = 8), measured in docs/RESULTS.md.
///
/// ```
/// use batchjac::sparse::{choose_sparse_mode, SPARSE_BATCH_LANES_MAX_COLORS};
/// use batchjac::Mode;
/// assert_eq!(choose_sparse_mode(SPARSE_BATCH_LANES_MAX_COLORS, 64), Mode::BatchLanes);
/// assert_eq!(choose_sparse_mode(SPARSE_BATCH_LANES_MAX_COLORS + 1, 64), Mode::TangentLanes);
/// ```
pub const SPARSE_BATCH_LANES_MAX_COLORS: usize = 16;

/// The mode [`Mode::Auto`] resolves to in the sparse batch for `colors` colours and
/// `points` points: batch lanes when the colours fit one batch-lane pass
/// ([`SPARSE_BATCH_LANES_MAX_COLORS`]) and the batch fills a vector of 8 points,
/// tangent lanes otherwise.
///
/// ```
/// use batchjac::sparse::choose_sparse_mode;
/// use batchjac::Mode;
/// assert_eq!(choose_sparse_mode(9, 512), Mode::BatchLanes);
/// assert_eq!(choose_sparse_mode(40, 512), Mode::TangentLanes);
/// assert_eq!(choose_sparse_mode(2, 1), Mode::TangentLanes);
/// ```
pub fn choose_sparse_mode(colors: usize, points: usize) -> Mode {
    if colors <= SPARSE_BATCH_LANES_MAX_COLORS {
        choose_mode(1, points)
    } else {
        Mode::TangentLanes
    }
}

/// Picks the batch-lane K from the colour count p: the K that the dense dispatch gives
/// for m = p up to 8 colours (K = p on the widest vector, the power of two that covers p
/// on the others), and K = 12 or 16 (one pass) up to 16 colours; passes of 8 beyond.
struct LaneColors<V>(V);

impl<'a, F: VectorFn, E: Element, L: Layout> LaneBlockVisitor<E>
    for LaneColors<SparseVisitor<'a, F, E, L>>
{
    type Output = Result<(), Error>;
    fn visit<P: PointLanes<Elem = E>, const K: usize>(self) -> Self::Output {
        let v = self.0;
        if K < 8 {
            return v.run_lanes::<P, K>();
        }
        match v.sj.color_count {
            9..=12 => v.run_lanes::<P, 12>(),
            13..=16 => v.run_lanes::<P, 16>(),
            _ => v.run_lanes::<P, 8>(),
        }
    }
}

impl<F: VectorFn, E: Element, L: Layout> SparseVisitor<'_, F, E, L> {
    fn run_lanes<P: PointLanes<Elem = E>, const K: usize>(self) -> Result<(), Error> {
        let sj = self.sj;
        self.run_engine(&|| LaneEngine::<P, K>::new(sj))
    }
}
