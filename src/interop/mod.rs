//! Interop with other crates, each behind a Cargo feature that is off by default.
//!
//! * feature `num-traits`, module `interop::num_traits`: the tangent-lane dual types
//!   implement `num_traits::Float`, so code written against `T: Float` is
//!   differentiated unchanged (`FloatFn`).
//! * feature `ndarray`, module `interop::ndarray`: batch Jacobians from an `ArrayView2`
//!   of points into an `ArrayViewMut3` of Jacobians.
//! * feature `nalgebra`, module `interop::nalgebra`: Jacobians of functions of a
//!   `DVector` or `SVector` as a `DMatrix` or `SMatrix`.
//!
//! (The modules are documented where their feature is on: `cargo doc --all-features`.)
//!
//! ```toml
//! batchjac = { version = "0.1", features = ["num-traits", "ndarray", "nalgebra"] }
//! ```

#[cfg(feature = "nalgebra")]
pub mod nalgebra;
#[cfg(feature = "ndarray")]
pub mod ndarray;
#[cfg(feature = "num-traits")]
pub mod num_traits;
