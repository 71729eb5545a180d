//! Sparse Jacobians of random programs from `batchjac::expr`: the detected pattern holds
//! every finite nonzero of the dense Jacobian, and the compressed entries equal the
//! dense ones bitwise, in both modes. The interface tests of the sparse module are in
//! tests/it/sparse.rs.

use crate::common::{assert_pattern_holds, gather, same, sequential_in};
use batchjac::batch::Mode;
use batchjac::expr::ByteSource;
use batchjac::sparse::SparseJacobian;
use batchjac::{VectorFn, jacobian_batch_with_options};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// On random programs: the detected pattern holds every finite nonzero of the dense
    /// Jacobian, the colouring is valid, and the sparse entries equal the dense ones
    /// bitwise (tangent lanes, every lane type, f64 and f32) or both calls fail alike:
    /// the check of the `sparse` fuzz target (`fuzz_checks::check_sparse`).
    #[test]
    fn random_programs_sparse_equals_dense(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Err(finding) = batchjac::expr::fuzz_checks::check_sparse(&bytes) {
            prop_assert!(false, "{}", finding);
        }
    }

    /// On random programs over batches of random points, batch lanes: sparse equals
    /// the dense batch-lane Jacobians bitwise; the pattern holds every finite nonzero.
    #[test]
    fn random_programs_batch_lanes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut source = ByteSource::new(&bytes);
        let program = source.program(10);
        let (m, n) = (program.inputs(), program.outputs());
        let points = 11;
        let xs: Vec<f64> = (0..points).flat_map(|_| source.point(m)).collect();
        let sj = SparseJacobian::new(&program).unwrap();
        let mut dense = vec![0.0; points * n * m];
        let dense_result =
            jacobian_batch_with_options(&program, &xs, &mut dense, None, &sequential_in(Mode::BatchLanes));
        let mut sparse = vec![0.0; points * sj.nnz()];
        let sparse_result =
            sj.jacobian_batch_with_options(&program, &xs, &mut sparse, None, &sequential_in(Mode::BatchLanes));
        prop_assert_eq!(&dense_result, &sparse_result);
        if dense_result.is_ok() {
            for k in 0..points {
                let d = &dense[k * n * m..(k + 1) * n * m];
                assert_pattern_holds(&sj, d, &program.to_string());
                let expected = gather(&sj, d);
                let got = &sparse[k * sj.nnz()..(k + 1) * sj.nnz()];
                for (a, b) in got.iter().zip(&expected) {
                    prop_assert!(same(*a, *b), "{} point {}", program, k);
                }
            }
        }
    }
}
