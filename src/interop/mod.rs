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
//!
//! With feature `num-traits`, a function written for any `num_traits::Float` is
//! differentiated as it stands (the block compiles to nothing without the feature):
//!
//! ```
//! #[cfg(feature = "num-traits")]
//! {
//!     use batchjac::interop::num_traits::jacobian;
//!     use num_traits::Float;
//!     /// f(x) = x0 sin(x1)
//!     fn f<T: Float>(x: &[T], y: &mut [T]) {
//!         y[0] = x[0] * x[1].sin();
//!     }
//!     batchjac::float_fn!(F(2 => 1) = f);
//!     let mut jac = [0.0; 2];
//!     jacobian(&F, &[2.0, 0.0], &mut jac).unwrap();
//!     assert_eq!(jac, [0.0, 2.0]); // (sin x1, x0 cos x1)
//! }
//! ```

#[cfg(feature = "nalgebra")]
pub mod nalgebra;
#[cfg(feature = "ndarray")]
pub mod ndarray;
#[cfg(feature = "num-traits")]
pub mod num_traits;
