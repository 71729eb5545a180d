//! The crate's one error type.

use core::fmt;

/// Everything that can go wrong in a call: each variant says what was expected and what
/// was given, or which output or point failed.
///
/// ```
/// use batchjac::Error;
/// let e = Error::Length { what: "x", expected: 3, given: 2 };
/// assert_eq!(e.to_string(), "x has 2 values, expected 3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A slice has the wrong length.
    Length {
        /// Which argument.
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length given.
        given: usize,
    },
    /// A slice length must be a multiple of a dimension.
    NotMultiple {
        /// Which argument.
        what: &'static str,
        /// The length given.
        given: usize,
        /// The dimension it must be a multiple of.
        multiple_of: usize,
        /// The dimension's name, e.g. `"m"`.
        dimension: &'static str,
    },
    /// A dimension (inputs, outputs, batch size, seed columns) is zero.
    ZeroDimension {
        /// Which dimension.
        what: &'static str,
    },
    /// The user function returned without writing an output.
    OutputNotWritten {
        /// The output index that kept its poison value.
        output: usize,
        /// The batch point, where the call had several.
        point: Option<usize>,
    },
    /// The user function panicked.
    FunctionPanicked {
        /// The batch point, where the call had several.
        point: Option<usize>,
        /// The panic message, where it was a string.
        message: String,
    },
    /// The requested lane type does not hold this element type (say, `f32x8` for f64).
    UnsupportedLanes {
        /// The lane type asked for.
        lanes: &'static str,
        /// The element type of the data.
        element: &'static str,
    },
    /// Sparsity detection ([`crate::sparse::SparseJacobian::new`]) met an operation
    /// that needs a value, which its tracer does not have: the function branches on
    /// [`crate::Value::primal`] or on a comparison mask (`any`/`all`). Such a function's
    /// pattern can change with x; write the branch with [`crate::Value::select`], or hand
    /// in the pattern ([`crate::sparse::SparseJacobian::from_pattern`]).
    Untraceable {
        /// The operation, e.g. `"Real::primal"`.
        operation: &'static str,
    },
    /// An argument is out of its domain (a step size of 0, a count of 0, ...).
    InvalidArgument {
        /// What is wrong.
        message: String,
    },
    /// A batch was stopped by its progress hook
    /// ([`crate::batch::jacobian_batch_with_progress`]) before all points were done.
    Stopped {
        /// Points whose Jacobians (and values) were computed and written in full.
        done: usize,
        /// Points `0..prefix` are all among them.
        prefix: usize,
        /// Points in the batch.
        points: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Length {
                what,
                expected,
                given,
            } => {
                write!(f, "{what} has {given} values, expected {expected}")
            }
            Error::NotMultiple {
                what,
                given,
                multiple_of,
                dimension,
            } => write!(
                f,
                "{what} has {given} values, expected a multiple of {dimension} = {multiple_of}"
            ),
            Error::ZeroDimension { what } => write!(f, "{what} is 0; it must be at least 1"),
            Error::OutputNotWritten { output, point } => {
                write!(f, "the function did not write output y[{output}]")?;
                if let Some(k) = point {
                    write!(f, " at point {k}")?;
                }
                Ok(())
            }
            Error::FunctionPanicked { point, message } => {
                write!(f, "the function panicked")?;
                if let Some(k) = point {
                    write!(f, " at point {k}")?;
                }
                write!(f, ": {message}")
            }
            Error::UnsupportedLanes { lanes, element } => {
                write!(f, "lane type {lanes} does not hold {element} values")
            }
            Error::Untraceable { operation } => write!(
                f,
                "sparsity detection cannot trace the function: it calls {operation}, which \
                 needs a value a tracer does not carry (branch with Real::select, or give the \
                 pattern to SparseJacobian::from_pattern)"
            ),
            Error::InvalidArgument { message } => f.write_str(message),
            Error::Stopped {
                done,
                prefix,
                points,
            } => write!(
                f,
                "the batch was stopped after {done} of {points} points; points 0..{prefix} are complete"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The same error, attributed to batch point `k`.
    ///
    /// ```
    /// use batchjac::Error;
    /// let e = Error::OutputNotWritten { output: 1, point: None };
    /// assert_eq!(e.at_point(7), Error::OutputNotWritten { output: 1, point: Some(7) });
    /// // An error that is not about a point is returned unchanged.
    /// let e = Error::ZeroDimension { what: "m" };
    /// assert_eq!(e.clone().at_point(7), e);
    /// ```
    pub fn at_point(self, k: usize) -> Self {
        match self {
            Error::OutputNotWritten { output, .. } => Error::OutputNotWritten {
                output,
                point: Some(k),
            },
            Error::FunctionPanicked { message, .. } => Error::FunctionPanicked {
                point: Some(k),
                message,
            },
            other => other,
        }
    }
}

/// Checks that `given == expected`.
pub(crate) fn check_len(what: &'static str, given: usize, expected: usize) -> Result<(), Error> {
    if given == expected {
        Ok(())
    } else {
        Err(Error::Length {
            what,
            expected,
            given,
        })
    }
}

/// Checks that a dimension is nonzero.
pub(crate) fn check_nonzero(what: &'static str, value: usize) -> Result<(), Error> {
    if value == 0 {
        Err(Error::ZeroDimension { what })
    } else {
        Ok(())
    }
}

/// The message of a caught panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}
