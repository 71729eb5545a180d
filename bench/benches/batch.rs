//! Batch throughput (issue 3): for every suite function at its docs/SUITE.md batch size B,
//! Jacobians per second (`Throughput::Elements(B)`) of
//! - `batch_1_thread`: `jacobian_batch` in a one-thread rayon pool,
//! - `batch_all_threads`: `jacobian_batch` in rayon's global pool (all cores),
//! - `loop_single_point`: a plain loop calling `batchjac::jacobian` per point,
//! - `analytic_loop`: the suite's hand-written Jacobian per point,
//!
//! all writing the B Jacobians into one preallocated row-major buffer. A second group
//! per function (`lanes_<name>`) runs the batch on one thread with each static dual
//! type, to see which chunk width K is fastest for each m. A third (`stores/<name>`)
//! runs the batch on one thread with plain stores (`Stores::Cached`) and with
//! streaming stores (`Stores::Streaming`), into a buffer as `vec!` allocates it.
//!
//! `cargo bench --bench batch`; one function only: `cargo bench --bench batch -- arm7`.

use batchjac::suite::{Analytic, SuiteFunction};
use batchjac::{
    BatchOptions, Dual, Stores, TangentDual, VectorFn, jacobian, jacobian_batch,
    jacobian_batch_with, jacobian_batch_with_options,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use wide::{f64x4, f64x8};

fn throughput(c: &mut Criterion) {
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one-thread pool");
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let points = f.batch_size();
        let xs = f.points(points);
        let mut jacs = vec![0.0; points * n * m];
        let mut group = c.benchmark_group(f.name());
        group.throughput(Throughput::Elements(points as u64));
        group.bench_function(BenchmarkId::new("batch_1_thread", points), |b| {
            b.iter(|| one_thread.install(|| jacobian_batch(&f, black_box(&xs), &mut jacs)))
        });
        group.bench_function(BenchmarkId::new("batch_all_threads", points), |b| {
            b.iter(|| jacobian_batch(&f, black_box(&xs), &mut jacs))
        });
        group.bench_function(BenchmarkId::new("loop_single_point", points), |b| {
            b.iter(|| {
                for (x, jac) in black_box(&xs)
                    .chunks_exact(m)
                    .zip(jacs.chunks_exact_mut(n * m))
                {
                    jacobian(&f, x, jac)?;
                }
                Ok::<(), batchjac::Error>(())
            })
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

/// One-thread batch throughput with dual type `D`.
fn bench_dual<D: TangentDual<Elem = f64>>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    f: &SuiteFunction,
    xs: &[f64],
    jacs: &mut [f64],
) {
    let options = BatchOptions::sequential();
    group.bench_function(name, |b| {
        b.iter(|| jacobian_batch_with::<D, _>(f, black_box(xs), jacs, None, &options))
    });
}

fn lane_choice(c: &mut Criterion) {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let points = f.batch_size();
        let xs = f.points(points);
        let mut jacs = vec![0.0; points * n * m];
        let mut group = c.benchmark_group(format!("lanes_{}", f.name()));
        group.throughput(Throughput::Elements(points as u64));
        bench_dual::<Dual<f64, f64x4, 1>>(&mut group, "f64x4_k1", &f, &xs, &mut jacs);
        bench_dual::<Dual<f64, f64x4, 2>>(&mut group, "f64x4_k2", &f, &xs, &mut jacs);
        bench_dual::<Dual<f64, f64x4, 4>>(&mut group, "f64x4_k4", &f, &xs, &mut jacs);
        bench_dual::<Dual<f64, f64x8, 1>>(&mut group, "f64x8_k1", &f, &xs, &mut jacs);
        bench_dual::<Dual<f64, f64x8, 2>>(&mut group, "f64x8_k2", &f, &xs, &mut jacs);
        bench_dual::<Dual<f64, f64x8, 4>>(&mut group, "f64x8_k4", &f, &xs, &mut jacs);
        bench_dual::<Dual<f64, f64x8, 8>>(&mut group, "f64x8_k8", &f, &xs, &mut jacs);
        group.finish();
    }
}

/// Plain against streaming stores, one thread, each function at its batch size.
fn stores(c: &mut Criterion) {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let points = f.batch_size();
        let xs = f.points(points);
        let mut jacs = vec![0.0; points * n * m];
        let mut group = c.benchmark_group(format!("stores/{}", f.name()));
        group.throughput(Throughput::Elements(points as u64));
        for (name, stores) in [("cached", Stores::Cached), ("streaming", Stores::Streaming)] {
            let options = BatchOptions {
                parallel: false,
                stores,
                ..Default::default()
            };
            group.bench_function(name, |b| {
                b.iter(|| {
                    jacobian_batch_with_options(&f, black_box(&xs), &mut jacs, None, &options)
                })
            });
        }
        group.finish();
    }
}

/// Short runs: 7 functions x (4 + 7) variants must finish in a few minutes on a shared
/// 2-core machine; 10 samples over 2 s give a few percent of spread.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = throughput, lane_choice, stores
}
criterion_main!(benches);
