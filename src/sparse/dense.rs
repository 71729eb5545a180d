//! Dense Jacobians at the compressed price: an engine that runs a compressed engine
//! ([`super::eval`]) on a few points at a time into a small CSR buffer and expands each
//! point into its n x m place in the output.
//!
//! The expansion writes every entry of a point once: with plain stores, each row is
//! zeroed and its nonzeros written over the zeros while the row is in the L1 cache;
//! with streaming stores, the nonzeros go into a per-thread buffer of a few points'
//! dense Jacobians that is zero everywhere else (the pattern is fixed, so the same
//! positions are overwritten at every point and the zeros never need rewriting), and
//! the buffer is streamed out in whole cache lines, at least [`STREAM_PIECE`] bytes at
//! a time. Either way the output is written as a hand-written loop writes a
//! dense Jacobian, while the derivatives cost one direction per colour instead of one
//! per input.

use crate::batch::{Engine, Shape, Stores, Task};
use crate::error::Error;
use crate::function::VectorFn;
use crate::jacobian::Element;

use super::SparseJacobian;

/// CSR entries the buffer between the compressed engine and the expansion holds (16 KiB
/// of f64): small enough to stay in the L1 cache with the rows being written, large
/// enough that the compressed engine runs whole blocks (at least one block of
/// `ALIGN` points is always taken).
const CHUNK_ENTRIES: usize = 2048;

/// Bytes of dense Jacobians streamed at once (whole points, at least one): small
/// Jacobians (ext_rosenbrock: 2 KiB) are staged several at a time, so that the partial
/// cache lines at the ends of a piece are few.
const STREAM_PIECE: usize = 16 << 10;

/// A compressed engine `W` whose CSR entries are expanded to dense Jacobians.
pub(crate) struct Densify<'a, W: Engine> {
    inner: W,
    sj: &'a SparseJacobian,
    /// CSR entries of the chunk being expanded (`chunk * nnz`).
    csr: Vec<W::Elem>,
    /// Points per chunk: a multiple of `W::ALIGN`, so the blocks of the compressed
    /// engine (and so the bits) do not depend on the chunking.
    chunk: usize,
    /// Streaming: `group` points' dense Jacobians, zero outside the pattern (allocated
    /// on the first streamed task).
    staged: Vec<W::Elem>,
    /// Points streamed at once.
    group: usize,
    stream: bool,
}

impl<'a, W: Engine> Densify<'a, W> {
    pub(crate) fn new(sj: &'a SparseJacobian, inner: W) -> Self {
        let nnz = sj.nnz().max(1);
        let chunk = (CHUNK_ENTRIES / nnz).max(1).next_multiple_of(W::ALIGN);
        let point_bytes = (sj.n * sj.m * size_of::<W::Elem>()).max(1);
        Densify {
            inner,
            sj,
            csr: vec![W::Elem::default(); chunk * nnz],
            chunk,
            staged: Vec::new(),
            group: (STREAM_PIECE / point_bytes).clamp(1, chunk),
            stream: false,
        }
    }

    /// Writes the points' Jacobians (`dense`, n x m each) from their CSR entries (`csr`,
    /// nnz each).
    #[inline]
    fn expand(&mut self, csr: &[W::Elem], dense: &mut [W::Elem]) {
        let sj = self.sj;
        let (nnz, nm) = (sj.nnz(), sj.n * sj.m);
        if !self.stream {
            for (point_csr, point_dense) in csr.chunks_exact(nnz).zip(dense.chunks_exact_mut(nm)) {
                write_point(sj, point_csr, point_dense, true);
            }
            return;
        }
        let group = self.group;
        for (group_csr, group_dense) in csr.chunks(group * nnz).zip(dense.chunks_mut(group * nm)) {
            let staged = &mut self.staged[..group_dense.len()];
            for (point_csr, point_staged) in
                group_csr.chunks_exact(nnz).zip(staged.chunks_exact_mut(nm))
            {
                write_point(sj, point_csr, point_staged, false);
            }
            crate::lanes::stream_copy(group_dense, staged);
        }
    }
}

/// One point's dense Jacobian (`dense`, n x m) from its CSR entries: the nonzeros at
/// their places, each row zeroed first if `zero` (else the zeros are already there).
#[inline(always)]
fn write_point<E: Element>(sj: &SparseJacobian, csr: &[E], dense: &mut [E], zero: bool) {
    for (i, row) in dense.chunks_exact_mut(sj.m).enumerate() {
        if zero {
            row.fill(E::default());
        }
        let (lo, hi) = (sj.row_ptr[i], sj.row_ptr[i + 1]);
        for (&j, &v) in sj.col_idx[lo..hi].iter().zip(&csr[lo..hi]) {
            row[j] = v;
        }
    }
}

impl<W: Engine> Engine for Densify<'_, W> {
    type Elem = W::Elem;
    const ALIGN: usize = W::ALIGN;

    fn set_stores(&mut self, stores: Stores, bytes: usize) {
        // `group` points' dense Jacobians are streamed at once; the compressed engine
        // writes the small CSR buffer, which stays cached.
        let points = self.sj.n * self.sj.m * self.group;
        self.stream = stores.streams(bytes, points * size_of::<W::Elem>());
        if self.stream && self.staged.is_empty() {
            self.staged = vec![W::Elem::default(); points];
        }
    }

    #[inline(never)]
    fn run_task<F: VectorFn>(
        &mut self,
        f: &F,
        shape: Shape,
        task: Task<'_, W::Elem>,
    ) -> Result<usize, (usize, Error)> {
        let Shape { m, n, out, .. } = shape;
        let nnz = self.sj.nnz();
        let inner_shape = Shape { out: nnz, ..shape };
        let Task {
            first,
            xs,
            jacs,
            mut values,
        } = task;
        let count = xs.len() / m;
        let mut csr = std::mem::take(&mut self.csr);
        let mut start = 0;
        let result = loop {
            if start == count {
                break Ok(count);
            }
            let points = self.chunk.min(count - start);
            let chunk_values = values
                .as_deref_mut()
                .map(|v| &mut v[start * n..(start + points) * n]);
            let chunk_csr = &mut csr[..points * nnz];
            let inner_task = Task {
                first: first + start,
                xs: &xs[start * m..(start + points) * m],
                jacs: chunk_csr,
                values: chunk_values,
            };
            if let Err(failure) = self.inner.run_task(f, inner_shape, inner_task) {
                break Err(failure);
            }
            self.expand(chunk_csr, &mut jacs[start * out..(start + points) * out]);
            start += points;
        };
        self.csr = csr;
        result
    }
}
