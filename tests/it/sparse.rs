//! Tests of the sparse module (`batchjac::sparse`): detection, colouring, compressed evaluation against
//! the dense drivers, errors, determinism across thread counts.
//!
//! Equality rules. In one mode (tangent lanes, or batch lanes with the same point
//! lanes) the sparse entries must equal the dense Jacobian's entries **bit for bit**:
//! the compressed direction of colour c carries, through every value output i depends
//! on, exactly the operations dense direction j performs (j the one column of colour c
//! in row i; see src/sparse/eval.rs), and the lane type only decides which lane runs
//! them. Across modes too, since the elementary functions run the same kernels in both.
//! The random-program checks are in tests/math/sparse_programs.rs.

use batchjac::batch::{BatchOptions, Mode, Stores};
use batchjac::error::Error;
use batchjac::jacobian::{LaneType, Options};
use batchjac::real::{Mask, Real};
use batchjac::sparse::SparseJacobian;
use batchjac::suite::{Analytic, SuiteFunction};
use batchjac::{VectorFn, jacobian_batch_with_options, jacobian_with_options};

use crate::common::{assert_pattern_holds, gather, same, sequential_in};

/// Sparse batch vs dense batch on every suite function, in both modes, bitwise; the
/// values f(x) too; both modes within a few ulp of each other; the pattern holds every
/// nonzero of the hand-written Jacobian.
#[test]
fn suite_sparse_equals_dense_bitwise_in_each_mode() {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let sj = SparseJacobian::new(&f).unwrap();
        let points = 21; // two full blocks of 8 and a partial one
        let xs = f.points(points);
        let mut analytic = vec![0.0; n * m];
        for x in xs.chunks_exact(m) {
            f.analytic_jacobian(x, &mut analytic);
            assert_pattern_holds(&sj, &analytic, f.name());
        }
        let mut by_mode = Vec::new();
        for mode in [Mode::TangentLanes, Mode::BatchLanes] {
            let mut dense = vec![0.0; points * n * m];
            let mut dense_fx = vec![0.0; points * n];
            jacobian_batch_with_options(
                &f,
                &xs,
                &mut dense,
                Some(&mut dense_fx),
                &sequential_in(mode),
            )
            .unwrap();
            let mut sparse = vec![0.0; points * sj.nnz()];
            let mut sparse_fx = vec![0.0; points * n];
            sj.jacobian_batch_with_options(
                &f,
                &xs,
                &mut sparse,
                Some(&mut sparse_fx),
                &sequential_in(mode),
            )
            .unwrap();
            for k in 0..points {
                let expected = gather(&sj, &dense[k * n * m..(k + 1) * n * m]);
                let got = &sparse[k * sj.nnz()..(k + 1) * sj.nnz()];
                for (e, (a, b)) in got.iter().zip(&expected).enumerate() {
                    assert!(
                        same(*a, *b),
                        "{} {mode:?} point {k} entry {e}: sparse {a:e} vs dense {b:e}",
                        f.name()
                    );
                }
            }
            assert!(
                sparse_fx.iter().zip(&dense_fx).all(|(a, b)| same(*a, *b)),
                "{} {mode:?}: values differ",
                f.name()
            );
            by_mode.push(sparse);
        }
        for (e, (a, b)) in by_mode[0].iter().zip(&by_mode[1]).enumerate() {
            let scale = a.abs().max(b.abs()).max(1.0);
            assert!(
                (a - b).abs() <= 8.0 * f64::EPSILON * scale,
                "{} entry {e}: tangent lanes {a:e} vs batch lanes {b:e}",
                f.name()
            );
        }
    }
}

/// One point: every lane type equals the dense single-point Jacobian bitwise, in f64
/// and f32, and the default entry point agrees too.
#[test]
fn single_point_equals_dense_for_every_lane_type() {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let sj = SparseJacobian::new(&f).unwrap();
        let mut x = vec![0.0; m];
        f.point(5, &mut x);
        let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        for lanes in [
            LaneType::Auto,
            LaneType::Scalar,
            LaneType::F64x4,
            LaneType::F64x8,
        ] {
            let mut dense = vec![0.0; n * m];
            jacobian_with_options(&f, &x, &mut dense, None, &Options::with_lanes(lanes)).unwrap();
            let mut sparse = vec![0.0; sj.nnz()];
            sj.jacobian_with_options(&f, &x, &mut sparse, None, &Options::with_lanes(lanes))
                .unwrap();
            let expected = gather(&sj, &dense);
            assert!(
                sparse.iter().zip(&expected).all(|(a, b)| same(*a, *b)),
                "{} {lanes}",
                f.name()
            );
        }
        let mut plain = vec![0.0; sj.nnz()];
        sj.jacobian(&f, &x, &mut plain).unwrap();
        let mut dense = vec![0.0; n * m];
        batchjac::jacobian(&f, &x, &mut dense).unwrap();
        assert_eq!(plain, gather(&sj, &dense), "{}", f.name());
        for lanes in [LaneType::Scalar, LaneType::F32x8, LaneType::F32x16] {
            let mut dense = vec![0.0f32; n * m];
            jacobian_with_options(&f, &x32, &mut dense, None, &Options::with_lanes(lanes)).unwrap();
            let mut sparse = vec![0.0f32; sj.nnz()];
            sj.jacobian_with_options(&f, &x32, &mut sparse, None, &Options::with_lanes(lanes))
                .unwrap();
            let dense64: Vec<f64> = dense.iter().map(|&v| v as f64).collect();
            let sparse64: Vec<f64> = sparse.iter().map(|&v| v as f64).collect();
            let expected = gather(&sj, &dense64);
            assert!(
                sparse64.iter().zip(&expected).all(|(a, b)| same(*a, *b)),
                "{} f32 {lanes}",
                f.name()
            );
        }
    }
}

#[test]
fn suite_colour_counts() {
    let rosenbrock =
        SparseJacobian::new(&SuiteFunction::by_name("ext_rosenbrock").unwrap()).unwrap();
    assert_eq!((rosenbrock.nnz(), rosenbrock.colors()), (24, 2));
    let brusselator = SparseJacobian::new(&SuiteFunction::by_name("brusselator").unwrap()).unwrap();
    assert_eq!(brusselator.nnz(), 128 * 6);
    assert_eq!(brusselator.lower_bound(), 6);
    // 8 colours exist: u(i, j) gets (i + 3 j) mod 8 and v(i, j) that plus 2 (checked
    // below as a pattern colouring); greedy orders find 9, the tabu search 8. 8 is one
    // pass of 8 directions in batch-lane mode, where 9 would take 12.
    assert_eq!(brusselator.colors(), 8, "brusselator");
    let linear: Vec<usize> = (0..128)
        .map(|c| {
            let (species, i, j) = (c / 64, c % 64 / 8, c % 8);
            (i + 3 * j + 2 * species) % 8
        })
        .collect();
    for i in 0..128 {
        let row = &brusselator.col_idx()[brusselator.row_ptr()[i]..brusselator.row_ptr()[i + 1]];
        let mut seen = [false; 8];
        for &j in row {
            assert!(!seen[linear[j]], "the linear 8-colouring is not proper");
            seen[linear[j]] = true;
        }
    }
    for f in SuiteFunction::all() {
        let sj = SparseJacobian::new(&f).unwrap();
        assert!(sj.colors() >= sj.lower_bound() && sj.colors() <= f.inputs());
        check_coloring(&sj);
    }
}

/// No two columns of one colour share a row.
fn check_coloring(sj: &SparseJacobian) {
    let colors = sj.column_colors();
    assert_eq!(colors.len(), sj.inputs());
    assert!(sj.nnz() == 0 || colors.iter().all(|&c| c < sj.colors()));
    for i in 0..sj.outputs() {
        let row = &sj.col_idx()[sj.row_ptr()[i]..sj.row_ptr()[i + 1]];
        let mut seen = vec![false; sj.colors()];
        for &j in row {
            assert!(!seen[colors[j]], "row {i}: colour {} twice", colors[j]);
            seen[colors[j]] = true;
        }
    }
}

/// A pattern from a predicate on (row, column).
fn pattern(m: usize, n: usize, has: impl Fn(usize, usize) -> bool) -> SparseJacobian {
    let mut row_ptr = vec![0];
    let mut col_idx = Vec::new();
    for i in 0..n {
        col_idx.extend((0..m).filter(|&j| has(i, j)));
        row_ptr.push(col_idx.len());
    }
    let sj = SparseJacobian::from_pattern(m, n, row_ptr, col_idx).unwrap();
    check_coloring(&sj);
    sj
}

#[test]
fn colour_counts_reach_the_optimum_on_structured_patterns() {
    // Banded: a band of half-width w needs 2w + 1 colours (the bound of a full row).
    for (w, m) in [(1, 50), (2, 50), (3, 97)] {
        let sj = pattern(m, m, |i, j| i.abs_diff(j) <= w);
        assert_eq!(sj.colors(), 2 * w + 1, "band half-width {w}");
        assert_eq!(sj.lower_bound(), 2 * w + 1);
    }
    // Block diagonal, blocks of 5: 5 colours.
    let sj = pattern(40, 40, |i, j| i / 5 == j / 5);
    assert_eq!(sj.colors(), 5);
    // Arrow with a dense first row: every column shares it, m colours.
    let sj = pattern(30, 30, |i, j| i == 0 || j == 0 || i == j);
    assert_eq!(sj.colors(), 30);
    // Arrow without the dense row (first column and diagonal): 2 colours.
    let sj = pattern(30, 30, |i, j| j == 0 || i == j);
    assert_eq!(sj.colors(), 2);
    // 2-D stencils on a k x k grid (Dirichlet): the 5-point Laplacian needs 5 colours
    // ((x + 2y) mod 5 reaches it), the 9-point one 9 ((x mod 3, y mod 3)).
    for k in [6, 10, 16] {
        let at = |c: usize| ((c / k) as isize, (c % k) as isize);
        let five = pattern(k * k, k * k, |i, j| {
            let ((a, b), (c, d)) = (at(i), at(j));
            (a - c).abs() + (b - d).abs() <= 1
        });
        assert_eq!(five.colors(), 5, "5-point stencil on {k} x {k}");
        let nine = pattern(k * k, k * k, |i, j| {
            let ((a, b), (c, d)) = (at(i), at(j));
            (a - c).abs() <= 1 && (b - d).abs() <= 1
        });
        assert_eq!(nine.colors(), 9, "9-point stencil on {k} x {k}");
    }
    // Rectangular: 3 outputs over 7 inputs, each row a disjoint block: max row 3.
    let sj = pattern(7, 3, |i, j| j / 3 == i);
    assert_eq!((sj.colors(), sj.lower_bound()), (3, 3));
}

#[test]
fn bitwise_equal_across_thread_counts_in_both_modes() {
    for name in ["brusselator", "ext_rosenbrock", "arm7"] {
        let f = SuiteFunction::by_name(name).unwrap();
        let sj = SparseJacobian::new(&f).unwrap();
        let points = 203;
        let xs = f.points(points);
        for mode in [Mode::TangentLanes, Mode::BatchLanes, Mode::Auto] {
            let mut results = Vec::new();
            for (threads, grain) in [(1, None), (2, None), (2, Some(3)), (2, Some(17))] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let mut values = vec![0.0; points * sj.nnz()];
                let options = BatchOptions {
                    mode,
                    grain,
                    ..Default::default()
                };
                pool.install(|| {
                    sj.jacobian_batch_with_options(&f, &xs, &mut values, None, &options)
                })
                .unwrap();
                results.push(values);
            }
            for r in &results[1..] {
                assert!(
                    r.iter()
                        .zip(&results[0])
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{name} {mode:?}: results depend on the thread count or grain"
                );
            }
        }
    }
}

struct Branchy;
impl VectorFn for Branchy {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0];
        y[1] = if x[1].primal() > 0.0 { x[1] } else { -x[1] };
    }
}

struct MaskBranch;
impl VectorFn for MaskBranch {
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = if x[0].lt(R::from_f64(0.0)).all() {
            -x[0]
        } else {
            x[0]
        };
    }
}

struct Unwritten;
impl VectorFn for Unwritten {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        3
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0];
        y[2] = x[1];
    }
}

struct ReadsBeforeWrite;
impl VectorFn for ReadsBeforeWrite {
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] += x[0];
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
        panic!("{}", batchjac::expr::fuzz_checks::PLANNED_PANIC);
    }
}

#[test]
fn detection_errors() {
    match SparseJacobian::new(&Branchy) {
        Err(Error::Untraceable { operation }) => assert!(operation.contains("primal")),
        other => panic!("expected Untraceable, got {other:?}"),
    }
    let message = SparseJacobian::new(&Branchy).unwrap_err().to_string();
    assert!(
        message.contains("Real::primal") && message.contains("select"),
        "{message}"
    );
    match SparseJacobian::new(&MaskBranch) {
        Err(Error::Untraceable { operation }) => assert!(operation.contains("Mask::all")),
        other => panic!("expected Untraceable, got {other:?}"),
    }
    assert_eq!(
        SparseJacobian::new(&Unwritten),
        Err(Error::OutputNotWritten {
            output: 1,
            point: None
        })
    );
    assert_eq!(
        SparseJacobian::new(&ReadsBeforeWrite),
        Err(Error::OutputNotWritten {
            output: 0,
            point: None
        })
    );
    batchjac::expr::fuzz_checks::quiet_planned_panics();
    assert!(matches!(
        SparseJacobian::new(&Panics),
        Err(Error::FunctionPanicked { point: None, .. })
    ));
    // Detection still works after failures (the arena was cleared).
    let f = SuiteFunction::by_name("ext_rosenbrock").unwrap();
    assert_eq!(SparseJacobian::new(&f).unwrap().nnz(), 24);
}

#[test]
fn length_and_dimension_errors() {
    let f = SuiteFunction::by_name("ext_rosenbrock").unwrap();
    let sj = SparseJacobian::new(&f).unwrap();
    let x = f.points(1);
    let mut values = vec![0.0; 24];
    assert!(matches!(
        sj.jacobian(&f, &x[..15], &mut values),
        Err(Error::Length { what: "x", .. })
    ));
    assert!(matches!(
        sj.jacobian(&f, &x, &mut values[..23]),
        Err(Error::Length {
            what: "values (nnz)",
            ..
        })
    ));
    let xs = f.points(4);
    let mut batch = vec![0.0; 4 * 24];
    assert!(matches!(
        sj.jacobian_batch(&f, &xs[..63], &mut batch),
        Err(Error::NotMultiple { .. })
    ));
    assert!(matches!(
        sj.jacobian_batch(&f, &xs, &mut batch[..95]),
        Err(Error::Length {
            what: "values (B * nnz)",
            ..
        })
    ));
    let mut fx = vec![0.0; 63];
    assert!(matches!(
        sj.jacobian_batch_with_options(
            &f,
            &xs,
            &mut batch,
            Some(&mut fx),
            &BatchOptions::default()
        ),
        Err(Error::Length {
            what: "fx (B * n)",
            ..
        })
    ));
    let zero_grain = BatchOptions {
        grain: Some(0),
        ..Default::default()
    };
    assert!(
        sj.jacobian_batch_with_options(&f, &xs, &mut batch, None, &zero_grain)
            .is_err()
    );
    // A function of other dimensions than the pattern's.
    let other = SuiteFunction::by_name("brusselator").unwrap();
    let xb = other.points(1);
    assert!(matches!(
        sj.jacobian(&other, &xb, &mut values),
        Err(Error::Length {
            what: "f.inputs() (the pattern's m)",
            ..
        })
    ));
    let wide = SparseJacobian::from_pattern(16, 15, (0..=15).collect(), (0..15).collect()).unwrap();
    assert!(matches!(
        wide.jacobian(&f, &x, &mut values[..15]),
        Err(Error::Length {
            what: "f.outputs() (the pattern's n)",
            ..
        })
    ));
    // to_dense lengths.
    let mut dense = vec![0.0; 256];
    assert!(sj.to_dense(&values[..23], &mut dense).is_err());
    assert!(sj.to_dense(&values, &mut dense[..255]).is_err());
    // Wrong lane type for the element.
    let options = Options::with_lanes(LaneType::F32x8);
    assert!(matches!(
        sj.jacobian_with_options(&f, &x, &mut values, None, &options),
        Err(Error::UnsupportedLanes { .. })
    ));
}

#[test]
fn from_pattern_validates_the_csr() {
    let ok = SparseJacobian::from_pattern(3, 2, vec![0, 2, 3], vec![0, 2, 1]).unwrap();
    assert_eq!(ok.nnz(), 3);
    /// m, n, row_ptr, col_idx, a word of the expected message.
    type Case = (usize, usize, Vec<usize>, Vec<usize>, &'static str);
    let bad: [Case; 7] = [
        (3, 2, vec![0, 2], vec![0, 2], "row_ptr (n + 1)"),
        (3, 2, vec![1, 2, 3], vec![0, 2, 1], "row_ptr[0]"),
        (3, 2, vec![0, 2, 1], vec![0, 2], "decreases"),
        (3, 2, vec![0, 2, 3], vec![0, 2], "col_idx (row_ptr[n])"),
        (3, 2, vec![0, 2, 3], vec![0, 3, 1], "below m"),
        (3, 2, vec![0, 2, 3], vec![2, 0, 1], "strictly increasing"),
        (3, 2, vec![0, 2, 3], vec![1, 1, 1], "strictly increasing"),
    ];
    for (m, n, row_ptr, col_idx, expected) in bad {
        let message = SparseJacobian::from_pattern(m, n, row_ptr.clone(), col_idx.clone())
            .unwrap_err()
            .to_string();
        assert!(
            message.contains(expected),
            "{row_ptr:?} {col_idx:?}: {message}"
        );
    }
    assert!(matches!(
        SparseJacobian::from_pattern(0, 2, vec![0, 0, 0], vec![]),
        Err(Error::ZeroDimension { .. })
    ));
}

#[test]
fn verify_catches_a_missing_entry_and_passes_a_right_pattern() {
    let f = SuiteFunction::by_name("brusselator").unwrap();
    let sj = SparseJacobian::new(&f).unwrap();
    let x = f.points(1);
    let mut values = vec![0.0; sj.nnz()];
    sj.jacobian(&f, &x, &mut values).unwrap();
    assert!(sj.verify(&f, &x, &values).unwrap().passed());
    // Drop entry (5, 69) (d u_5' / d v_5) from the pattern.
    let (mut row_ptr, mut col_idx) = (sj.row_ptr().to_vec(), sj.col_idx().to_vec());
    let k = (row_ptr[5]..row_ptr[6])
        .find(|&k| col_idx[k] == 69)
        .unwrap();
    col_idx.remove(k);
    for r in &mut row_ptr[6..] {
        *r -= 1;
    }
    let missing = SparseJacobian::from_pattern(128, 128, row_ptr, col_idx).unwrap();
    let mut values = vec![0.0; missing.nnz()];
    missing.jacobian(&f, &x, &mut values).unwrap();
    let report = missing.verify(&f, &x, &values).unwrap();
    assert!(!report.passed());
    assert_eq!(report.failed(), 1);
    let worst = report.worst().unwrap();
    assert_eq!((worst.row, worst.column), (5, 69));
    assert_eq!(worst.candidate, 0.0);
}

/// A function whose Jacobian is all zero: nnz 0, no colours, values still computed.
struct Constant;
impl VectorFn for Constant {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, _: &[R], y: &mut [R]) {
        y[0] = R::from_f64(1.0);
        y[1] = R::from_f64(2.0).sqrt();
    }
}

#[test]
fn an_empty_pattern_works() {
    let sj = SparseJacobian::new(&Constant).unwrap();
    assert_eq!((sj.nnz(), sj.colors(), sj.lower_bound()), (0, 0, 0));
    let mut values: Vec<f64> = vec![];
    let mut fx = vec![0.0; 6];
    sj.jacobian_batch_with_options(
        &Constant,
        &[0.0; 6],
        &mut values,
        Some(&mut fx),
        &BatchOptions::default(),
    )
    .unwrap();
    assert_eq!(fx[4..], [1.0, 2f64.sqrt()]);
    sj.jacobian(&Constant, &[0.0; 2], &mut values).unwrap();
}

/// Batch errors name the lowest failing point, in both modes.
#[test]
fn batch_errors_name_the_point() {
    struct FailsAbove;
    impl VectorFn for FailsAbove {
        fn inputs(&self) -> usize {
            2
        }
        fn outputs(&self) -> usize {
            2
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0] * x[0];
            // Leaves y1 unwritten (poisoned) where x1 > 10, through select.
            y[1] = R::select(x[1].gt(R::from_f64(10.0)), R::poison(), x[1]);
        }
    }
    // Detection would see the poison (select merges both branches): hand the pattern in.
    assert!(SparseJacobian::new(&FailsAbove).is_err());
    let sj = SparseJacobian::from_pattern(2, 2, vec![0, 1, 2], vec![0, 1]).unwrap();
    let mut xs = vec![1.0; 40];
    xs[2 * 13 + 1] = 11.0;
    xs[2 * 17 + 1] = 11.0;
    for mode in [Mode::TangentLanes, Mode::BatchLanes] {
        let mut values = vec![0.0; 20 * sj.nnz()];
        let result = sj.jacobian_batch_with_options(
            &FailsAbove,
            &xs,
            &mut values,
            None,
            &sequential_in(mode),
        );
        assert_eq!(
            result,
            Err(Error::OutputNotWritten {
                output: 1,
                point: Some(13)
            }),
            "{mode:?}"
        );
    }
}

/// The dense Jacobians expanded from the compressed entries
/// (`SparseJacobian::jacobian_batch_dense_with_options`) against the dense batch: the
/// entries in the pattern bit for bit, every other entry exactly +0.0, the values bit
/// for bit; every suite function, both modes, plain and streaming stores, one and two
/// threads and an odd grain (21 points: two full blocks of 8 and a partial one; 300 for
/// the small Jacobians, so that a task spans several of the expansion's chunks).
#[test]
fn dense_from_compressed_equals_the_dense_batch() {
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let sj = SparseJacobian::new(&f).unwrap();
        let points = if n * m > 1000 { 21 } else { 300 };
        let xs = f.points(points);
        for mode in [Mode::TangentLanes, Mode::BatchLanes] {
            let mut dense = vec![0.0; points * n * m];
            let mut dense_fx = vec![0.0; points * n];
            jacobian_batch_with_options(
                &f,
                &xs,
                &mut dense,
                Some(&mut dense_fx),
                &sequential_in(mode),
            )
            .unwrap();
            for stores in [Stores::Cached, Stores::Streaming] {
                for (parallel, grain) in [(false, None), (true, Some(11)), (true, None)] {
                    let options = BatchOptions {
                        mode,
                        stores,
                        parallel,
                        grain,
                        ..Default::default()
                    };
                    let mut got = vec![f64::NAN; points * n * m];
                    let mut got_fx = vec![f64::NAN; points * n];
                    two.install(|| {
                        sj.jacobian_batch_dense_with_options(
                            &f,
                            &xs,
                            &mut got,
                            Some(&mut got_fx),
                            &options,
                        )
                    })
                    .unwrap();
                    let what = format!("{} {mode:?} {stores:?} {parallel} {grain:?}", f.name());
                    for k in 0..points {
                        let point = k * n * m..(k + 1) * n * m;
                        let (a, b) = (&got[point.clone()], &dense[point]);
                        assert_eq!(gather(&sj, a), gather(&sj, b), "{what} point {k}");
                        for (e, g) in a.iter().enumerate() {
                            let (i, j) = (e / m, e % m);
                            let row = &sj.col_idx()[sj.row_ptr()[i]..sj.row_ptr()[i + 1]];
                            if !row.contains(&j) {
                                assert_eq!(g.to_bits(), 0, "{what} point {k} ({i}, {j})");
                            }
                        }
                    }
                    assert!(
                        got_fx.iter().zip(&dense_fx).all(|(a, b)| same(*a, *b)),
                        "{what}: values differ"
                    );
                }
            }
        }
    }
}

/// f32 in every lane type, against the dense batch of the same lane type.
#[test]
fn dense_from_compressed_in_f32() {
    let f = SuiteFunction::by_name("ext_rosenbrock").unwrap();
    let (m, n) = (f.inputs(), f.outputs());
    let sj = SparseJacobian::new(&f).unwrap();
    let points = 77;
    let xs: Vec<f32> = f.points(points).iter().map(|&v| v as f32).collect();
    for lanes in [
        LaneType::Auto,
        LaneType::F32x8,
        LaneType::F32x16,
        LaneType::Scalar,
    ] {
        for mode in [Mode::TangentLanes, Mode::BatchLanes] {
            let options = BatchOptions {
                lanes,
                mode,
                ..Default::default()
            };
            let mut dense = vec![0.0f32; points * n * m];
            jacobian_batch_with_options(&f, &xs, &mut dense, None, &options).unwrap();
            let mut got = vec![f32::NAN; points * n * m];
            sj.jacobian_batch_dense_with_options(&f, &xs, &mut got, None, &options)
                .unwrap();
            // ext_rosenbrock's tangents outside the pattern are +0.0 in the dense
            // batch too (no negation of a zero tangent), so the whole arrays agree.
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&dense), "{lanes:?} {mode:?}");
        }
    }
}

/// Where the dense batch and the expansion may differ: outside the pattern. At an
/// infinite input the dense batch's structural zeros become NaN (0 x inf in the
/// product rule) and a negated zero tangent is -0.0; the expansion writes +0.0 there
/// and the same entries in the pattern.
#[test]
fn dense_from_compressed_writes_plus_zero_outside_the_pattern() {
    struct Coupled;
    impl VectorFn for Coupled {
        fn inputs(&self) -> usize {
            3
        }
        fn outputs(&self) -> usize {
            2
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0] * x[1];
            y[1] = -x[2];
        }
    }
    let sj = SparseJacobian::new(&Coupled).unwrap();
    assert_eq!(sj.col_idx(), &[0, 1, 2]);
    let xs = [f64::INFINITY, 2.0, 3.0];
    let (mut dense, mut got) = (vec![0.0; 6], vec![7.0; 6]);
    jacobian_batch_with_options(&Coupled, &xs, &mut dense, None, &BatchOptions::default()).unwrap();
    sj.jacobian_batch_dense(&Coupled, &xs, &mut got).unwrap();
    // Row 0: d/dx0 = x0 * 0 + x1 * 1 = NaN (0 x inf, in both: the entries in the
    // pattern are the dense ones), d/dx1 = inf; d/dx2 = x0 * 0 + x1 * 0 = NaN in the
    // dense batch, +0 from the pattern. Row 1: -1 at column 2, -0.0 elsewhere in the
    // dense batch.
    assert!(dense[0].is_nan() && got[0].is_nan());
    assert_eq!((dense[1], got[1]), (f64::INFINITY, f64::INFINITY));
    assert!(dense[2].is_nan() && got[2].to_bits() == 0);
    assert_eq!(dense[3].to_bits(), (-0.0f64).to_bits());
    assert_eq!([got[3].to_bits(), got[4].to_bits()], [0, 0]);
    assert_eq!((dense[5], got[5]), (-1.0, -1.0));
}

/// The dense expansion's errors: lengths checked before any work, a failing point named
/// as the CSR batch names it (also in a later chunk of a task), an empty pattern gives
/// zeros and the values.
#[test]
fn dense_from_compressed_errors_and_empty_pattern() {
    let f = SuiteFunction::by_name("arm7").unwrap();
    let sj = SparseJacobian::new(&f).unwrap();
    let xs = f.points(10);
    let mut jacs = vec![0.0; 10 * 14 - 1];
    assert!(matches!(
        sj.jacobian_batch_dense(&f, &xs, &mut jacs),
        Err(Error::Length { .. })
    ));
    let mut jacs = vec![0.0; 10 * 14];
    let mut fx = vec![0.0; 19];
    assert!(matches!(
        sj.jacobian_batch_dense_with_options(
            &f,
            &xs,
            &mut jacs,
            Some(&mut fx),
            &BatchOptions::default()
        ),
        Err(Error::Length { .. })
    ));
    let grain0 = BatchOptions {
        grain: Some(0),
        ..Default::default()
    };
    assert!(matches!(
        sj.jacobian_batch_dense_with_options(&f, &xs, &mut jacs, None, &grain0),
        Err(Error::InvalidArgument { .. })
    ));
    let other = SuiteFunction::by_name("robertson").unwrap();
    assert!(matches!(
        sj.jacobian_batch_dense(&other, &other.points(10), &mut vec![0.0; 90]),
        Err(Error::Length { .. })
    ));

    // A failing point past the first chunk of 2048 / nnz points.
    struct FailsAbove;
    impl VectorFn for FailsAbove {
        fn inputs(&self) -> usize {
            2
        }
        fn outputs(&self) -> usize {
            2
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0] * x[0];
            y[1] = R::select(x[1].gt(R::from_f64(10.0)), R::poison(), x[1]);
        }
    }
    let sj = SparseJacobian::from_pattern(2, 2, vec![0, 1, 2], vec![0, 1]).unwrap();
    let points = 3000;
    let mut xs = vec![1.0; 2 * points];
    xs[2 * 2500 + 1] = 11.0;
    xs[2 * 2900 + 1] = 11.0;
    for mode in [Mode::TangentLanes, Mode::BatchLanes] {
        let mut jacs = vec![0.0; points * 4];
        let result = sj.jacobian_batch_dense_with_options(
            &FailsAbove,
            &xs,
            &mut jacs,
            None,
            &sequential_in(mode),
        );
        assert_eq!(
            result,
            Err(Error::OutputNotWritten {
                output: 1,
                point: Some(2500)
            }),
            "{mode:?}"
        );
    }

    let sj = SparseJacobian::new(&Constant).unwrap();
    let mut jacs = vec![5.0; 3 * 4];
    let mut fx = vec![0.0; 6];
    sj.jacobian_batch_dense_with_options(
        &Constant,
        &[0.0; 6],
        &mut jacs,
        Some(&mut fx),
        &BatchOptions::default(),
    )
    .unwrap();
    assert_eq!(jacs, [0.0; 12]);
    assert_eq!(fx[4..], [1.0, 2f64.sqrt()]);
}

/// The sparse batches' progress hooks (CSR and dense output): the counts add up to B on
/// 2 threads; a break after the first sequential task stops the batch with exactly
/// that task's points done, their entries as a full run writes them; an empty pattern
/// reports the whole batch at once.
#[test]
fn sparse_batches_report_progress_and_stop() {
    use std::ops::ControlFlow;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let f = SuiteFunction::by_name("ext_rosenbrock").unwrap();
    let (m, n) = (f.inputs(), f.outputs());
    let sj = SparseJacobian::new(&f).unwrap();
    let points = 500;
    let xs = f.points(points);
    for mode in [Mode::TangentLanes, Mode::BatchLanes] {
        for dense in [false, true] {
            let per_point = if dense { n * m } else { sj.nnz() };
            let call =
                |out: &mut [f64],
                 options: &BatchOptions,
                 progress: &(dyn Fn(usize) -> ControlFlow<()> + Sync)| {
                    if dense {
                        sj.jacobian_batch_dense_with_progress(&f, &xs, out, None, options, progress)
                    } else {
                        sj.jacobian_batch_with_progress(&f, &xs, out, None, options, progress)
                    }
                };
            let what = format!("{mode:?} dense {dense}");
            let mut full = vec![0.0; points * per_point];
            let done = AtomicUsize::new(0);
            let count = |c: usize| {
                done.fetch_add(c, Ordering::Relaxed);
                ControlFlow::Continue(())
            };
            let options = BatchOptions {
                mode,
                grain: Some(48),
                ..Default::default()
            };
            two.install(|| call(&mut full, &options, &count)).unwrap();
            assert_eq!(done.load(Ordering::Relaxed), points, "{what}");

            let options = BatchOptions {
                mode,
                grain: Some(48),
                ..BatchOptions::sequential()
            };
            let mut stopped = vec![f64::NAN; points * per_point];
            let stop = |_: usize| ControlFlow::Break(());
            assert_eq!(
                call(&mut stopped, &options, &stop),
                Err(Error::Stopped {
                    done: 48,
                    prefix: 48,
                    points
                }),
                "{what}"
            );
            let written = 48 * per_point;
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&stopped[..written]), bits(&full[..written]), "{what}");
            assert!(stopped[written..].iter().all(|v| v.is_nan()), "{what}");
        }
    }
    let sj = SparseJacobian::new(&Constant).unwrap();
    let done = AtomicUsize::new(0);
    let count = |c: usize| {
        done.fetch_add(c, Ordering::Relaxed);
        ControlFlow::Break(())
    };
    let mut jacs = vec![1.0; 3 * 4];
    sj.jacobian_batch_dense_with_progress(
        &Constant,
        &[0.0; 6],
        &mut jacs,
        None,
        &BatchOptions::default(),
        &count,
    )
    .unwrap();
    assert_eq!((done.load(Ordering::Relaxed), jacs), (3, vec![0.0; 12]));
}
