//! A batch call allocates a bounded number of times, however many points it has: a
//! counting global allocator (the test binary's own) counts the heap allocations of
//! calls with B and with 16 B points.
//!
//! The allocator is global to the test binary, whose other tests run on other threads
//! at the same time, so it counts only on the worker threads of the one pool being
//! measured: each pool made here tags its workers with its own number (start handler),
//! a measurement arms that number, and every batch call below runs on those workers
//! (`ThreadPool::install`). Another test's pool, even a counted one, never adds to it.

use batchjac::batch::{Stores, choose_mode_for};
use batchjac::sparse::SparseJacobian;
use batchjac::suite::SuiteFunction;
use batchjac::{BatchOptions, Mode, VectorFn, jacobian_batch_with_options};
use rayon::ThreadPoolBuilder;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the allocations of the armed pool's workers.
pub struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
/// The number of the pool being measured (0: none).
static ARMED: AtomicUsize = AtomicUsize::new(0);
/// The next pool number.
static NEXT_POOL: AtomicUsize = AtomicUsize::new(1);

thread_local! {
    /// The number of the counted pool this thread works for (0: none). A const
    /// initialiser: reading it never allocates, so the allocator may consult it.
    static POOL: Cell<usize> = const { Cell::new(0) };
}

/// Counts one allocation if this thread works for the armed pool.
fn count() {
    // `try_with`: during thread teardown the tag may already be gone; not counted then.
    let pool = POOL.try_with(Cell::get).unwrap_or(0);
    if pool != 0 && pool == ARMED.load(Ordering::SeqCst) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

/// A pool of `threads` workers whose allocations can be counted, all of them started.
pub fn counted_pool(threads: usize) -> rayon::ThreadPool {
    let number = NEXT_POOL.fetch_add(1, Ordering::SeqCst);
    let pool = ThreadPoolBuilder::new()
        .num_threads(threads)
        .start_handler(move |_| POOL.with(|c| c.set(number)))
        .build()
        .unwrap();
    // Start every worker (thread start-up allocates) before anything is counted: a
    // late start counted into a sequential call once in three runs.
    pool.broadcast(|_| ());
    pool
}

/// Allocations of `pool`'s workers while `work` runs in `pool`. Measurements take turns
/// (a lock): one pool is armed at a time.
pub fn allocations_in<R: Send>(pool: &rayon::ThreadPool, work: impl FnOnce() -> R + Send) -> usize {
    static TURN: Mutex<()> = Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    pool.install(|| {
        ARMED.store(POOL.with(Cell::get), Ordering::SeqCst);
        let before = ALLOCATIONS.load(Ordering::SeqCst);
        std::hint::black_box(work());
        let after = ALLOCATIONS.load(Ordering::SeqCst);
        ARMED.store(0, Ordering::SeqCst);
        after - before
    })
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counter has no effect on the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded contract of `GlobalAlloc::alloc`.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded contract of `GlobalAlloc::alloc_zeroed`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded contract of `GlobalAlloc::dealloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded contract of `GlobalAlloc::realloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations during one batch call of `f` over `points` points (buffers made before).
fn allocations_of_call(
    pool: &rayon::ThreadPool,
    f: &SuiteFunction,
    points: usize,
    options: &BatchOptions,
) -> usize {
    let (m, n) = (f.inputs(), f.outputs());
    let xs = f.points(points);
    let mut jacs = vec![0.0; points * n * m];
    let mut values = vec![0.0; points * n];
    allocations_in(pool, || {
        jacobian_batch_with_options(f, &xs, &mut jacs, Some(&mut values), options).unwrap()
    })
}

#[test]
fn allocations_do_not_grow_with_batch_size() {
    for threads in [1, 2, 4] {
        let pool = counted_pool(threads);
        for f in SuiteFunction::all() {
            // Small enough to keep the test quick (brusselator's Jacobian is 128 KiB).
            let (m, n) = (f.inputs(), f.outputs());
            let small = if f.inputs() * f.outputs() > 1000 {
                8
            } else {
                128
            };
            for options in [
                BatchOptions::default(),
                BatchOptions::sequential(),
                // A fixed small grain: the task count grows with B, the allocations
                // must not.
                BatchOptions {
                    grain: Some(3),
                    ..Default::default()
                },
            ] {
                // Warm up: first use of the pool's threads may allocate thread-locals.
                allocations_of_call(&pool, &f, small, &options);
                let few = allocations_of_call(&pool, &f, small, &options);
                let many = allocations_of_call(&pool, &f, 16 * small, &options);
                let what = format!("{} threads {threads} {options:?}", f.name());
                eprintln!("{what}: {few} and {many} allocations");
                // Streaming stores (`Stores::Auto` on an output of 16 MiB or more in
                // pieces of `STREAMING_MIN_PIECE` or more: here only brusselator's 128
                // points, in tangent lanes, one 128 KiB Jacobian per piece) add a
                // staging buffer per workspace.
                let staging = |points: usize| {
                    let bytes = points * n * m * size_of::<f64>();
                    usize::from(options.stores.streams(bytes, n * m * size_of::<f64>()))
                };
                // Batch lanes with the default lanes (f64x8) run one pass of exactly m
                // directions for m <= 8 and m = 16; with at least 8 entries per Jacobian
                // the workspace keeps the outputs' tangents in one more buffer, unless
                // they are whole tiles of 8 (m = 8 or 16): so for m < 8. (With at most
                // 8 outputs, m = 8 takes the inlined path, which has the buffer too; no
                // suite function has m = 8.)
                let tangent_copy = |points: usize| {
                    let batch_lanes = choose_mode_for(&f, points) == Mode::BatchLanes;
                    usize::from(batch_lanes && m < 8 && n * m >= 8)
                };
                let workspace = |points: usize| 2 + tangent_copy(points) + staging(points);
                // Per call: a workspace (2 buffers for x and y, plus the two above) per
                // thread, plus the slot vector.
                let bound = workspace(16 * small).max(workspace(small)) * threads + 1;
                assert!(few <= bound, "{what}: {few} allocations for {small} points");
                assert!(
                    many <= bound,
                    "{what}: {many} allocations for {} points",
                    16 * small
                );
                if !options.parallel || threads == 1 {
                    // One workspace, on the calling thread.
                    let expected = (workspace(small), workspace(16 * small));
                    assert_eq!((few, many), expected, "{what}");
                }
            }
        }
    }
}

/// Allocations during one sparse batch call of `f` over `points` points (pattern and
/// buffers made before): the fewest of three calls. The counter is shared by every
/// counted pool of the test binary, and another test's pool starting its workers at the
/// same time adds to it; a call's own count never goes below what it allocates.
fn allocations_of_sparse_call(
    pool: &rayon::ThreadPool,
    f: &SuiteFunction,
    sj: &SparseJacobian,
    points: usize,
    options: &BatchOptions,
    dense: bool,
) -> usize {
    (0..3)
        .map(|_| allocations_of_one_sparse_call(pool, f, sj, points, options, dense))
        .min()
        .unwrap()
}

/// One call of the CSR batch, or of the dense batch from the compressed entries
/// (`dense`).
fn allocations_of_one_sparse_call(
    pool: &rayon::ThreadPool,
    f: &SuiteFunction,
    sj: &SparseJacobian,
    points: usize,
    options: &BatchOptions,
    dense: bool,
) -> usize {
    let xs = f.points(points);
    let entries = if dense {
        f.outputs() * f.inputs()
    } else {
        sj.nnz()
    };
    let mut values = vec![0.0; points * entries];
    let mut fx = vec![0.0; points * f.outputs()];
    allocations_in(pool, || {
        if dense {
            sj.jacobian_batch_dense_with_options(f, &xs, &mut values, Some(&mut fx), options)
        } else {
            sj.jacobian_batch_with_options(f, &xs, &mut values, Some(&mut fx), options)
        }
        .unwrap()
    })
}

/// The sparse batch (`batchjac::sparse`) runs on the dense batch driver: no allocation
/// per point either, in both modes, sequential or parallel, on 1 and 2 threads; the
/// same for the dense Jacobians expanded from it (with plain and streaming stores).
#[test]
fn sparse_allocations_do_not_grow_with_batch_size() {
    for threads in [1, 2] {
        let pool = counted_pool(threads);
        for f in SuiteFunction::all() {
            let sj = SparseJacobian::new(&f).unwrap();
            let small = if f.inputs() * f.outputs() > 1000 {
                8
            } else {
                64
            };
            for (mode, dense, stores) in [
                (Mode::TangentLanes, false, Stores::Auto),
                (Mode::BatchLanes, false, Stores::Auto),
                (Mode::TangentLanes, true, Stores::Cached),
                (Mode::BatchLanes, true, Stores::Cached),
                (Mode::BatchLanes, true, Stores::Streaming),
            ] {
                let sequential = BatchOptions {
                    mode,
                    stores,
                    parallel: false,
                    ..Default::default()
                };
                // One workspace on the calling thread: the same count for B and 16 B.
                let call = |points, options: &BatchOptions| {
                    allocations_of_sparse_call(&pool, &f, &sj, points, options, dense)
                };
                call(small, &sequential);
                let one = call(small, &sequential);
                let one_many = call(16 * small, &sequential);
                let what = format!(
                    "{} {mode:?} dense {dense} {stores:?} threads {threads}",
                    f.name()
                );
                eprintln!("{what} sequential: {one} and {one_many} allocations");
                assert_eq!(one, one_many, "{what} sequential");
                // The engine's buffers, plus the CSR chunk and the streamed point of
                // the dense expansion.
                let per_workspace = if dense { 6 } else { 4 };
                assert!(
                    one <= per_workspace,
                    "{what}: {one} allocations for one workspace"
                );
                for options in [
                    BatchOptions {
                        mode,
                        stores,
                        ..Default::default()
                    },
                    BatchOptions {
                        mode,
                        stores,
                        grain: Some(3),
                        ..Default::default()
                    },
                ] {
                    call(small, &options);
                    let few = call(small, &options);
                    let many = call(16 * small, &options);
                    let what = format!("{what} {options:?}");
                    eprintln!("{what}: {few} and {many} allocations");
                    // A workspace per thread, plus the slot vector.
                    let bound = threads * one + 1;
                    assert!(few <= bound, "{what}: {few} allocations for {small} points");
                    assert!(
                        many <= bound,
                        "{what}: {many} allocations for {} points",
                        16 * small
                    );
                    if threads == 1 {
                        assert_eq!(few, many, "{what}");
                    }
                }
            }
        }
    }
}
