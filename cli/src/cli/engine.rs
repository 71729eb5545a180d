//! The ways the CLI computes a batch of Jacobians, each timed the same way: batchjac
//! (the batch engine), batchjac's sparse batch (CSR, or expanded to dense matrices), the
//! suite's hand-written analytic Jacobian, and central finite differences from the
//! verification layer.

use super::timing::{Budget, Extent, Throughput, measure_alternating};
use batchjac::batch::{BatchOptions, Mode, jacobian_batch_with_progress};
use batchjac::sparse::SparseJacobian;
use batchjac::suite::{Analytic, SuiteFunction, SuiteVisitor};
use batchjac::verify::{Scheme, fd_jacobian};
use batchjac::{Error, LaneType, VectorFn};
use clap::ValueEnum;
use rayon::prelude::*;

/// What computes the Jacobians.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// batchjac's batch engine (forward-mode AD, SIMD dual numbers).
    Batchjac,
    /// batchjac's sparse batch (`batchjac::sparse`): the detected pattern, coloured
    /// columns, only the nonzeros written (CSR); the pattern is found once, untimed.
    Sparse,
    /// The same sparse batch written as dense n x m Jacobians
    /// (`SparseJacobian::jacobian_batch_dense`, zeros outside the pattern): what the
    /// batchjac and analytic engines write, at the sparse price.
    SparseDense,
    /// The hand-written analytic Jacobian of src/suite.rs, point by point.
    Analytic,
    /// Central finite differences (`verify::fd_jacobian`, `Scheme::Central`), point by point.
    CentralFd,
}

impl Engine {
    /// The name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Batchjac => "batchjac",
            Engine::Sparse => "sparse",
            Engine::SparseDense => "sparse-dense",
            Engine::Analytic => "analytic",
            Engine::CentralFd => "central-fd",
        }
    }
}

/// The batchjac engine's batch, run by [`SuiteFunction::visit`] with the function's own
/// type.
struct BatchjacBatch<'a> {
    xs: &'a [f64],
    jacs: &'a mut [f64],
    options: &'a BatchOptions,
}

impl SuiteVisitor for BatchjacBatch<'_> {
    type Output = Result<(), Error>;
    fn visit<F: Analytic + Clone + 'static>(self, f: &F) -> Result<(), Error> {
        jacobian_batch_with_progress(
            f,
            self.xs,
            self.jacs,
            None,
            self.options,
            &super::interrupt::hook,
        )
    }
}

/// A suite function with its batch of points and the output buffer of its Jacobians.
pub struct Problem {
    /// The function.
    pub function: SuiteFunction,
    /// Inputs m.
    pub m: usize,
    /// Outputs n.
    pub n: usize,
    /// Batch size B.
    pub batch: usize,
    /// Points 0..B of docs/SUITE.md, B x m row-major.
    pub xs: Vec<f64>,
    /// B Jacobians, B x n x m row-major.
    pub jacs: Vec<f64>,
    /// The sparse pattern and colouring, once the sparse engine was asked for.
    pub sparse: Option<SparseJacobian>,
    /// B sparse Jacobians, B x nnz (CSR values), once the sparse engine was asked for.
    pub values: Vec<f64>,
}

impl Problem {
    /// The function at its points 0..batch.
    pub fn new(function: SuiteFunction, batch: usize) -> Self {
        let (m, n) = (function.inputs(), function.outputs());
        Problem {
            xs: function.points(batch),
            jacs: vec![0.0; batch * n * m],
            sparse: None,
            values: Vec::new(),
            function,
            m,
            n,
            batch,
        }
    }

    /// The sparse pattern of the function (detected and coloured on the first call), and
    /// room for the batch's sparse Jacobians in `values`.
    pub fn prepare_sparse(&mut self) -> Result<&SparseJacobian, Error> {
        if self.sparse.is_none() {
            let sj = SparseJacobian::new(&self.function)?;
            self.values = vec![0.0; self.batch * sj.nnz()];
            self.sparse = Some(sj);
        }
        Ok(self.sparse.as_ref().expect("set above"))
    }

    /// Jacobians of the first `points` points into `jacs` (the sparse engine: into
    /// `values`; both sparse engines after [`Problem::prepare_sparse`]), by `engine`, in the current
    /// rayon pool (`threads` is its size: 1 runs the per-point baselines as a plain loop).
    /// `lanes` and `mode` apply to batchjac and sparse only.
    pub fn compute(
        &mut self,
        engine: Engine,
        lanes: LaneType,
        mode: Mode,
        threads: usize,
        points: usize,
    ) -> Result<(), Error> {
        let (m, n, f) = (self.m, self.n, &self.function);
        if super::interrupt::requested() {
            return Err(Error::Stopped {
                done: 0,
                prefix: 0,
                points,
            });
        }
        let xs = &self.xs[..points * m];
        let jacs = &mut self.jacs[..points * n * m];
        // batchjac's engines: the whole batch in the current pool.
        let options = BatchOptions {
            lanes,
            mode,
            parallel: true,
            grain: None,
            ..Default::default()
        };
        let sparse = || {
            self.sparse.as_ref().ok_or_else(|| Error::InvalidArgument {
                message: "the sparse engines need Problem::prepare_sparse first".to_string(),
            })
        };
        // Ctrl-C stops a long batch (any of batchjac's engines) at its next task.
        match engine {
            // Each function through its own type (`SuiteFunction::visit`), not the
            // enum, whose `eval` is too large to inline into the small-function loop
            // (robertson ran at a quarter of its user-code speed through it).
            Engine::Batchjac => f.visit(BatchjacBatch {
                xs,
                jacs,
                options: &options,
            }),
            Engine::Sparse => {
                let sj = sparse()?;
                let values = &mut self.values[..points * sj.nnz()];
                sj.jacobian_batch_with_progress(
                    f,
                    xs,
                    values,
                    None,
                    &options,
                    &super::interrupt::hook,
                )
            }
            Engine::SparseDense => {
                let sj = sparse()?;
                sj.jacobian_batch_dense_with_progress(
                    f,
                    xs,
                    jacs,
                    None,
                    &options,
                    &super::interrupt::hook,
                )
            }
            Engine::Analytic if threads == 1 => {
                for (x, jac) in xs.chunks_exact(m).zip(jacs.chunks_exact_mut(n * m)) {
                    f.analytic_jacobian(x, jac);
                }
                Ok(())
            }
            Engine::Analytic => {
                xs.par_chunks_exact(m)
                    .zip(jacs.par_chunks_exact_mut(n * m))
                    .for_each(|(x, jac)| f.analytic_jacobian(x, jac));
                Ok(())
            }
            Engine::CentralFd if threads == 1 => {
                for (k, (x, jac)) in xs
                    .chunks_exact(m)
                    .zip(jacs.chunks_exact_mut(n * m))
                    .enumerate()
                {
                    fd_jacobian(f, x, Scheme::Central, jac, None).map_err(|e| e.at_point(k))?;
                }
                Ok(())
            }
            Engine::CentralFd => xs
                .par_chunks_exact(m)
                .zip(jacs.par_chunks_exact_mut(n * m))
                .enumerate()
                .try_for_each(|(k, (x, jac))| {
                    fd_jacobian(f, x, Scheme::Central, jac, None).map_err(|e| e.at_point(k))
                }),
        }
    }

    /// Times `engine` on the threads of each pool in `pools`, the pools taking turns
    /// (`timing::measure_alternating`): batchjac over the whole batch, the per-point
    /// baselines over as much of it as the budget allows. One throughput per pool. The
    /// sparse engines detect the pattern first, outside the timing.
    pub fn measure(
        &mut self,
        engine: Engine,
        lanes: LaneType,
        mode: Mode,
        pools: &[&rayon::ThreadPool],
        budget: Budget,
    ) -> Result<Vec<Throughput>, Error> {
        if matches!(engine, Engine::Sparse | Engine::SparseDense) {
            self.prepare_sparse()?;
        }
        let extent = match engine {
            Engine::Batchjac | Engine::Sparse | Engine::SparseDense => Extent::WholeBatch,
            Engine::Analytic | Engine::CentralFd => Extent::Prefix,
        };
        let batch = self.batch;
        measure_alternating(batch, extent, budget, pools.len(), |v, points| {
            let threads = pools[v].current_num_threads();
            pools[v].install(|| self.compute(engine, lanes, mode, threads, points))
        })
    }
}

/// Parallel efficiency of a `threads`-thread rate against the 1-thread rate of the same
/// work, T_threads / (threads x T_1) (1 is perfect scaling): of the medians, and of the
/// fastest repetitions. On a shared machine other tenants only ever slow a repetition
/// down, so the fastest ones estimate what the code does on cores it has to itself,
/// and the medians what it did in this run.
pub fn efficiency(rate: &Throughput, threads: usize, one_thread: &Throughput) -> (f64, f64) {
    let t = threads as f64;
    (
        rate.median / (t * one_thread.median),
        rate.max / (t * one_thread.max),
    )
}

/// A rayon pool of `threads` threads.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::InvalidArgument {
            message: format!("cannot start a pool of {threads} threads: {e}"),
        })
}
