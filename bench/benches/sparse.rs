//! Sparse Jacobians (issue 12): for ext_rosenbrock and brusselator at their docs/SUITE.md
//! batch sizes B, Jacobians per second (`Throughput::Elements(B)`), all in a one-thread
//! rayon pool that each benchmark enters once (not once per iteration: the hop to the
//! pool's thread would be part of every brusselator iteration's 260 us), of
//! - `sparse_batch`: `SparseJacobian::jacobian_batch` (CSR, mode chosen automatically),
//! - `sparse_tangent_lanes` / `sparse_batch_lanes`: the same with the mode forced,
//! - `dense_from_sparse`: `SparseJacobian::jacobian_batch_dense` (n x m per point from
//!   the compressed entries, zeros outside the pattern),
//! - `dense_batch`: the dense `jacobian_batch` (n x m per point),
//! - `analytic_loop`: the suite's hand-written dense Jacobian per point,
//!
//! each writing into one preallocated buffer; and `detection/brusselator`: detection
//! plus colouring of brusselator (`SparseJacobian::new`).
//!
//! `cargo bench --bench sparse`.

use batchjac::sparse::SparseJacobian;
use batchjac::suite::{Analytic, SuiteFunction};
use batchjac::{BatchOptions, Mode, VectorFn, jacobian_batch};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn throughput(c: &mut Criterion) {
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one-thread pool");
    for name in ["ext_rosenbrock", "brusselator"] {
        let f = SuiteFunction::by_name(name).expect("suite function");
        let (m, n) = (f.inputs(), f.outputs());
        let points = f.batch_size();
        let xs = f.points(points);
        let sj = SparseJacobian::new(&f).expect("detection");
        eprintln!(
            "{name}: nnz {} of {}, {} colours (lower bound {})",
            sj.nnz(),
            n * m,
            sj.colors(),
            sj.lower_bound()
        );
        let mut values = vec![0.0; points * sj.nnz()];
        let mut jacs = vec![0.0; points * n * m];
        let mut group = c.benchmark_group(format!("sparse_{name}"));
        group.throughput(Throughput::Elements(points as u64));
        group.bench_function(BenchmarkId::new("sparse_batch", points), |b| {
            one_thread.install(|| b.iter(|| sj.jacobian_batch(&f, black_box(&xs), &mut values)))
        });
        for (label, mode) in [
            ("sparse_tangent_lanes", Mode::TangentLanes),
            ("sparse_batch_lanes", Mode::BatchLanes),
        ] {
            let options = BatchOptions {
                mode,
                ..Default::default()
            };
            group.bench_function(BenchmarkId::new(label, points), |b| {
                one_thread.install(|| {
                    b.iter(|| {
                        sj.jacobian_batch_with_options(
                            &f,
                            black_box(&xs),
                            &mut values,
                            None,
                            &options,
                        )
                    })
                })
            });
        }
        group.bench_function(BenchmarkId::new("dense_from_sparse", points), |b| {
            one_thread.install(|| b.iter(|| sj.jacobian_batch_dense(&f, black_box(&xs), &mut jacs)))
        });
        group.bench_function(BenchmarkId::new("dense_batch", points), |b| {
            one_thread.install(|| b.iter(|| jacobian_batch(&f, black_box(&xs), &mut jacs)))
        });
        group.bench_function(BenchmarkId::new("analytic_loop", points), |b| {
            b.iter(|| {
                for (x, jac) in black_box(&xs)
                    .chunks_exact(m)
                    .zip(jacs.chunks_exact_mut(n * m))
                {
                    f.analytic_jacobian(x, jac);
                }
            })
        });
        group.finish();
    }
}

fn detection(c: &mut Criterion) {
    let f = SuiteFunction::by_name("brusselator").expect("suite function");
    let mut group = c.benchmark_group("detection");
    group.bench_function("brusselator", |b| {
        b.iter(|| SparseJacobian::new(black_box(&f)))
    });
    group.finish();
}

/// Short runs on a shared 2-core machine: 10 samples over 2 s.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = throughput, detection
}
criterion_main!(benches);
