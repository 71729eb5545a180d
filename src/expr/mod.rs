//! Expression programs: vector functions written as text and built at run time.
//!
//! A [`Program`] is a sequence of assignments to registers: inputs `x0, x1, ...`
//! (read-only), temporaries `t0, t1, ...` and outputs `y0, y1, ...`. The right-hand sides
//! are expressions over the whole elementary function set of [`Real`], so a program is a
//! [`VectorFn`] like any other and runs in every AD mode. Its text form reads as
//! mathematics and parses back to the same program, so a failing fuzz case prints as
//! something a person can read and paste into a regression test.
//!
//! ```
//! use batchjac::expr::Program;
//! use batchjac::{jacobian, VectorFn};
//!
//! let f = Program::parse("y0 = x0 * sin(x1); y1 = exp(x0)").unwrap();
//! assert_eq!((f.inputs(), f.outputs()), (2, 2));
//! let mut jac = [0.0; 4];
//! jacobian(&f, &[0.5, 0.0], &mut jac).unwrap();
//! // d(x0 sin x1) = (sin x1, x0 cos x1); d(exp x0) = (exp x0, 0).
//! assert_eq!(jac, [0.0, 0.5, 0.5f64.exp(), 0.0]);
//! // The text form is the program's Display, and parses back to the same program.
//! assert_eq!(f.to_string(), "y0 = x0 * sin(x1); y1 = exp(x0)");
//! assert_eq!(Program::parse(&f.to_string()).unwrap(), f);
//! ```
//!
//! # Text form
//! * Statements are separated by `;` or line breaks; `#` starts a comment.
//! * `REG = EXPR` assigns, where `REG` is `tK` or `yK`; `A, B = sin_cos(EXPR)` assigns
//!   the sine to `A` and the cosine to `B`.
//! * An optional first statement `inputs M` declares more inputs than the program reads
//!   (by default m is one more than the largest input index read, at least 1). The
//!   outputs are `y0 .. y(n-1)`: each must be assigned.
//! * Expressions: numbers (`2`, `-0.5`, `1e-3`, `inf`, `nan`), registers, `+ - * /`
//!   (usual precedence, left associative), unary `-`, and calls: the unary functions of
//!   [`Unary`] (`sqrt(x0)`, `atanh(t1)`, ...), the binary ones of [`Binary`] that are not
//!   operators (`pow(a, b)`, `atan2(y, x)`, `min`, `max`, `hypot`), `powi(a, 3)` (integer
//!   exponent), `powf(a, 2.5)` (constant exponent), `mul_add(a, b, c)` (= a b + c) and
//!   `select(a < b, c, d)` (`<`, `<=`, `>`, `>=`, `==`; c where the comparison holds, d
//!   elsewhere, through [`crate::Value::select`]).
//! * A register is read only after it has been assigned. Register indices are below
//!   [`MAX_REGISTERS`] and expressions at most [`MAX_DEPTH`] deep.
//!
//! Parse errors are [`Error::InvalidArgument`] with the line and column of the problem.

mod eval;
#[doc(hidden)]
pub mod fuzz_checks;
mod generate;
mod parse;
mod print;

pub use generate::ByteSource;

use crate::error::Error;
use crate::function::VectorFn;
use crate::real::Real;

/// Register indices must be below this (x, t and y alike).
///
/// ```
/// use batchjac::expr::{Program, MAX_REGISTERS};
/// assert!(Program::parse(&format!("y0 = x{}", MAX_REGISTERS - 1)).is_ok());
/// assert!(Program::parse(&format!("y0 = x{MAX_REGISTERS}")).is_err());
/// ```
pub const MAX_REGISTERS: usize = 1024;
/// The deepest expression tree accepted (a register or number has depth 1). Evaluation,
/// printing and parsing recurse this deep at most.
///
/// ```
/// use batchjac::expr::{Program, MAX_DEPTH};
/// // sin(sin(...sin(x0)...)) with k calls is k + 1 deep.
/// let nested = |k: usize| format!("y0 = {}x0{}", "sin(".repeat(k), ")".repeat(k));
/// assert!(Program::parse(&nested(MAX_DEPTH - 1)).is_ok());
/// assert!(Program::parse(&nested(MAX_DEPTH)).is_err());
/// ```
pub const MAX_DEPTH: usize = 64;

/// A function of one argument. `Neg` prints as a prefix `-`, the others as calls.
///
/// ```
/// use batchjac::expr::{Program, Unary};
/// use batchjac::VectorFn;
/// // Each function parses by its name and evaluates as `apply` does.
/// for f in Unary::ALL {
///     let program = Program::parse(&format!("y0 = {}(x0)", f.name())).unwrap();
///     let mut y = [0.0];
///     program.eval(&[0.5], &mut y);
///     let expected: f64 = f.apply(0.5);
///     assert!(y[0] == expected || (y[0].is_nan() && expected.is_nan()), "{}", f.name());
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the Real method of the same name
pub enum Unary {
    Neg,
    Recip,
    Sqrt,
    Cbrt,
    Exp,
    Exp2,
    ExpM1,
    Ln,
    Log2,
    Log10,
    Ln1p,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Abs,
    Signum,
}

impl Unary {
    /// Every unary function.
    ///
    /// ```
    /// use batchjac::expr::Unary;
    /// let names: std::collections::HashSet<&str> = Unary::ALL.iter().map(|f| f.name()).collect();
    /// assert_eq!(names.len(), Unary::ALL.len()); // no two share a name
    /// ```
    pub const ALL: [Unary; 25] = [
        Unary::Neg,
        Unary::Recip,
        Unary::Sqrt,
        Unary::Cbrt,
        Unary::Exp,
        Unary::Exp2,
        Unary::ExpM1,
        Unary::Ln,
        Unary::Log2,
        Unary::Log10,
        Unary::Ln1p,
        Unary::Sin,
        Unary::Cos,
        Unary::Tan,
        Unary::Asin,
        Unary::Acos,
        Unary::Atan,
        Unary::Sinh,
        Unary::Cosh,
        Unary::Tanh,
        Unary::Asinh,
        Unary::Acosh,
        Unary::Atanh,
        Unary::Abs,
        Unary::Signum,
    ];

    /// The name in the text form (the [`Real`] method's name; `"neg"` for `-`).
    ///
    /// ```
    /// use batchjac::expr::Unary;
    /// assert_eq!(Unary::ExpM1.name(), "exp_m1");
    /// assert_eq!(Unary::Neg.name(), "neg");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Unary::Neg => "neg",
            Unary::Recip => "recip",
            Unary::Sqrt => "sqrt",
            Unary::Cbrt => "cbrt",
            Unary::Exp => "exp",
            Unary::Exp2 => "exp2",
            Unary::ExpM1 => "exp_m1",
            Unary::Ln => "ln",
            Unary::Log2 => "log2",
            Unary::Log10 => "log10",
            Unary::Ln1p => "ln_1p",
            Unary::Sin => "sin",
            Unary::Cos => "cos",
            Unary::Tan => "tan",
            Unary::Asin => "asin",
            Unary::Acos => "acos",
            Unary::Atan => "atan",
            Unary::Sinh => "sinh",
            Unary::Cosh => "cosh",
            Unary::Tanh => "tanh",
            Unary::Asinh => "asinh",
            Unary::Acosh => "acosh",
            Unary::Atanh => "atanh",
            Unary::Abs => "abs",
            Unary::Signum => "signum",
        }
    }

    /// Applies the function through [`Real`].
    ///
    /// ```
    /// use batchjac::expr::Unary;
    /// use batchjac::Dual;
    /// use wide::f64x4;
    /// // On a dual number: the value and the derivative of sin at 0.
    /// let y = Unary::Sin.apply(Dual::<f64, f64x4, 1>::unit(0.0, 0));
    /// assert_eq!((y.value, y.tangent(0)), (0.0, 1.0));
    /// assert_eq!(Unary::Sqrt.apply(6.25f64), 2.5);
    /// ```
    #[inline]
    pub fn apply<R: Real>(self, x: R) -> R {
        match self {
            Unary::Neg => -x,
            Unary::Recip => x.recip(),
            Unary::Sqrt => x.sqrt(),
            Unary::Cbrt => x.cbrt(),
            Unary::Exp => x.exp(),
            Unary::Exp2 => x.exp2(),
            Unary::ExpM1 => x.exp_m1(),
            Unary::Ln => x.ln(),
            Unary::Log2 => x.log2(),
            Unary::Log10 => x.log10(),
            Unary::Ln1p => x.ln_1p(),
            Unary::Sin => x.sin(),
            Unary::Cos => x.cos(),
            Unary::Tan => x.tan(),
            Unary::Asin => x.asin(),
            Unary::Acos => x.acos(),
            Unary::Atan => x.atan(),
            Unary::Sinh => x.sinh(),
            Unary::Cosh => x.cosh(),
            Unary::Tanh => x.tanh(),
            Unary::Asinh => x.asinh(),
            Unary::Acosh => x.acosh(),
            Unary::Atanh => x.atanh(),
            Unary::Abs => x.abs(),
            Unary::Signum => x.signum(),
        }
    }
}

/// A function of two arguments. The first four print as infix operators, the others as
/// calls.
///
/// ```
/// use batchjac::expr::{Binary, Program};
/// use batchjac::VectorFn;
/// // The operators print infix, the rest as calls; both parse back.
/// for f in Binary::ALL {
///     let text = if f.name().len() == 1 {
///         format!("y0 = x0 {} x1", f.name())
///     } else {
///         format!("y0 = {}(x0, x1)", f.name())
///     };
///     let program = Program::parse(&text).unwrap();
///     assert_eq!(program.to_string(), text);
///     let mut y = [0.0];
///     program.eval(&[2.0, 0.5], &mut y);
///     assert_eq!(y[0], f.apply(2.0, 0.5));
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Binary {
    /// `a + b`
    Add,
    /// `a - b`
    Sub,
    /// `a * b`
    Mul,
    /// `a / b`
    Div,
    /// `pow(a, b)` = a^b with a variable exponent ([`crate::Value::pow`]).
    Pow,
    /// `atan2(a, b)`: the angle of the point (b, a).
    Atan2,
    /// `min(a, b)`
    Min,
    /// `max(a, b)`
    Max,
    /// `hypot(a, b)`
    Hypot,
}

impl Binary {
    /// Every binary function.
    ///
    /// ```
    /// use batchjac::expr::Binary;
    /// assert_eq!(Binary::ALL[..4], [Binary::Add, Binary::Sub, Binary::Mul, Binary::Div]);
    /// ```
    pub const ALL: [Binary; 9] = [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::Pow,
        Binary::Atan2,
        Binary::Min,
        Binary::Max,
        Binary::Hypot,
    ];

    /// The name in the text form: the operator symbol or the function name.
    ///
    /// ```
    /// use batchjac::expr::Binary;
    /// assert_eq!(Binary::Mul.name(), "*");
    /// assert_eq!(Binary::Atan2.name(), "atan2");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Binary::Add => "+",
            Binary::Sub => "-",
            Binary::Mul => "*",
            Binary::Div => "/",
            Binary::Pow => "pow",
            Binary::Atan2 => "atan2",
            Binary::Min => "min",
            Binary::Max => "max",
            Binary::Hypot => "hypot",
        }
    }

    /// Applies the function through [`Real`].
    ///
    /// ```
    /// use batchjac::expr::Binary;
    /// assert_eq!(Binary::Div.apply(1.0f64, 4.0), 0.25);
    /// assert_eq!(Binary::Max.apply(-1.0f64, 2.0), 2.0);
    /// assert!((Binary::Hypot.apply(3.0f64, 4.0) - 5.0).abs() < 1e-15);
    /// ```
    #[inline]
    pub fn apply<R: Real>(self, a: R, b: R) -> R {
        match self {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
            Binary::Div => a / b,
            Binary::Pow => a.pow(b),
            Binary::Atan2 => a.atan2(b),
            Binary::Min => a.min(b),
            Binary::Max => a.max(b),
            Binary::Hypot => a.hypot(b),
        }
    }
}

/// The comparison of a `select`, on primal values.
///
/// ```
/// use batchjac::expr::{Compare, Program};
/// use batchjac::VectorFn;
/// // select(x0 CMP 1, 1, 0) at x0 = 1 is 1 exactly where the comparison holds.
/// for compare in Compare::ALL {
///     let text = format!("y0 = select(x0 {} 1, 1, 0)", compare.symbol());
///     let mut y = [0.0];
///     Program::parse(&text).unwrap().eval(&[1.0], &mut y);
///     let holds = compare.apply(1.0f64, 1.0);
///     assert_eq!(y[0], if holds { 1.0 } else { 0.0 }, "{text}");
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compare {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
}

impl Compare {
    /// Every comparison.
    ///
    /// ```
    /// use batchjac::expr::Compare;
    /// let holds: Vec<bool> = Compare::ALL.iter().map(|c| c.apply(1.0f64, 2.0)).collect();
    /// assert_eq!(holds, [true, true, false, false, false]); // 1 < 2, 1 <= 2, not >, >=, ==
    /// ```
    pub const ALL: [Compare; 5] = [
        Compare::Lt,
        Compare::Le,
        Compare::Gt,
        Compare::Ge,
        Compare::Eq,
    ];

    /// The operator symbol.
    ///
    /// ```
    /// use batchjac::expr::Compare;
    /// assert_eq!(Compare::Ge.symbol(), ">=");
    /// ```
    pub fn symbol(self) -> &'static str {
        match self {
            Compare::Lt => "<",
            Compare::Le => "<=",
            Compare::Gt => ">",
            Compare::Ge => ">=",
            Compare::Eq => "==",
        }
    }

    /// Compares through [`Real`] (primal values only).
    ///
    /// ```
    /// use batchjac::expr::Compare;
    /// use batchjac::Mask;
    /// use wide::f64x4;
    /// assert!(Compare::Le.apply(1.0f64, 1.0));
    /// // On a lane vector the result is a mask, one comparison per lane.
    /// let mask = Compare::Lt.apply(f64x4::from([0.0, 1.0, 2.0, 3.0]), f64x4::splat(1.5));
    /// assert!(mask.any() && !mask.all());
    /// ```
    #[inline]
    pub fn apply<R: Real>(self, a: R, b: R) -> R::Mask {
        match self {
            Compare::Lt => a.lt(b),
            Compare::Le => a.le(b),
            Compare::Gt => a.gt(b),
            Compare::Ge => a.ge(b),
            Compare::Eq => a.eq(b),
        }
    }
}

/// An expression tree.
///
/// Equality compares constants by their bits, except that every NaN equals every NaN
/// (the text form writes all of them as `nan`).
///
/// ```
/// use batchjac::expr::{Binary, Expr, Unary};
/// // sin(x0) * 2
/// let sin_x0 = Expr::Unary(Unary::Sin, Box::new(Expr::Input(0)));
/// let e = Expr::Binary(Binary::Mul, Box::new(sin_x0), Box::new(Expr::Const(2.0)));
/// assert_eq!(e.depth(), 3);
/// assert_eq!(e.children().count(), 2);
/// // Constants compare by their bits, and every NaN equals every NaN.
/// assert_ne!(Expr::Const(0.0), Expr::Const(-0.0));
/// assert_eq!(Expr::Const(f64::NAN), Expr::Const(-f64::NAN));
/// ```
#[derive(Clone, Debug)]
pub enum Expr {
    /// Input `xK`.
    Input(usize),
    /// Temporary `tK`.
    Temp(usize),
    /// Output `yK` (read back after it was assigned).
    Output(usize),
    /// A constant.
    Const(f64),
    /// A function of one argument.
    Unary(Unary, Box<Expr>),
    /// A function of two arguments.
    Binary(Binary, Box<Expr>, Box<Expr>),
    /// `powi(a, n)`: integer power.
    Powi(Box<Expr>, i32),
    /// `powf(a, c)`: constant real exponent.
    Powf(Box<Expr>, f64),
    /// `mul_add(a, b, c)` = a b + c.
    MulAdd(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `select(a CMP b, c, d)`: c where `a CMP b` holds, d elsewhere.
    Select {
        /// The comparison.
        compare: Compare,
        /// Its left side.
        left: Box<Expr>,
        /// Its right side.
        right: Box<Expr>,
        /// The value where it holds.
        if_true: Box<Expr>,
        /// The value where it does not.
        if_false: Box<Expr>,
    },
}

/// Constants are equal when their bits are, or when both are NaN.
fn same_constant(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        use Expr::*;
        match (self, other) {
            (Input(a), Input(b)) | (Temp(a), Temp(b)) | (Output(a), Output(b)) => a == b,
            (Const(a), Const(b)) => same_constant(*a, *b),
            (Unary(f, a), Unary(g, b)) => f == g && a == b,
            (Binary(f, a1, a2), Binary(g, b1, b2)) => f == g && a1 == b1 && a2 == b2,
            (Powi(a, n), Powi(b, k)) => n == k && a == b,
            (Powf(a, c), Powf(b, d)) => same_constant(*c, *d) && a == b,
            (MulAdd(a1, a2, a3), MulAdd(b1, b2, b3)) => a1 == b1 && a2 == b2 && a3 == b3,
            (
                Select {
                    compare: c1,
                    left: l1,
                    right: r1,
                    if_true: t1,
                    if_false: f1,
                },
                Select {
                    compare: c2,
                    left: l2,
                    right: r2,
                    if_true: t2,
                    if_false: f2,
                },
            ) => c1 == c2 && l1 == l2 && r1 == r2 && t1 == t2 && f1 == f2,
            _ => false,
        }
    }
}

impl Expr {
    /// The depth of the tree (a leaf has depth 1).
    ///
    /// ```
    /// use batchjac::expr::{Program, Statement};
    /// let program = Program::parse("y0 = exp(x0 * (x1 + 1))").unwrap();
    /// let Statement::Assign { value, .. } = &program.statements()[0] else { unreachable!() };
    /// assert_eq!(value.depth(), 4); // exp, *, +, then the leaves
    /// ```
    pub fn depth(&self) -> usize {
        1 + self.children().map(Expr::depth).max().unwrap_or(0)
    }

    /// The direct subexpressions, left to right.
    ///
    /// ```
    /// use batchjac::expr::{Expr, Program, Statement};
    /// let program = Program::parse("y0 = mul_add(x0, x1, 2)").unwrap();
    /// let Statement::Assign { value, .. } = &program.statements()[0] else { unreachable!() };
    /// let children: Vec<&Expr> = value.children().collect();
    /// assert_eq!(children, [&Expr::Input(0), &Expr::Input(1), &Expr::Const(2.0)]);
    /// ```
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let list: [Option<&Expr>; 4] = match self {
            Expr::Input(_) | Expr::Temp(_) | Expr::Output(_) | Expr::Const(_) => [None; 4],
            Expr::Unary(_, a) | Expr::Powi(a, _) | Expr::Powf(a, _) => [Some(a), None, None, None],
            Expr::Binary(_, a, b) => [Some(a), Some(b), None, None],
            Expr::MulAdd(a, b, c) => [Some(a), Some(b), Some(c), None],
            Expr::Select {
                left,
                right,
                if_true,
                if_false,
                ..
            } => [Some(left), Some(right), Some(if_true), Some(if_false)],
        };
        list.into_iter().flatten()
    }
}

/// A register that a statement assigns.
///
/// ```
/// use batchjac::expr::{Program, Register, Statement};
/// let program = Program::parse("t0 = x0 * x0; y0 = t0 + 1").unwrap();
/// let targets: Vec<Register> = program
///     .statements()
///     .iter()
///     .map(|s| match s {
///         Statement::Assign { target, .. } => *target,
///         Statement::SinCos { sin, .. } => *sin,
///     })
///     .collect();
/// assert_eq!(targets, [Register::Temp(0), Register::Output(0)]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Register {
    /// Temporary `tK`.
    Temp(usize),
    /// Output `yK`.
    Output(usize),
}

/// One statement of a [`Program`].
///
/// ```
/// use batchjac::expr::{Expr, Program, Register, Statement};
/// use batchjac::{jacobian, VectorFn};
/// // (y0, y1) = (sin x0, cos x0) from one statement.
/// let sin_cos = Statement::SinCos {
///     sin: Register::Output(0),
///     cos: Register::Output(1),
///     arg: Expr::Input(0),
/// };
/// let program = Program::new(1, vec![sin_cos]).unwrap();
/// assert_eq!(program.to_string(), "y0, y1 = sin_cos(x0)");
/// let mut jac = [0.0; 2];
/// jacobian(&program, &[0.0], &mut jac).unwrap();
/// assert_eq!(jac, [1.0, 0.0]); // (cos 0, -sin 0)
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// `target = value`.
    Assign {
        /// The register assigned.
        target: Register,
        /// The expression.
        value: Expr,
    },
    /// `sin, cos = sin_cos(arg)` through [`crate::Value::sin_cos`].
    SinCos {
        /// Receives the sine.
        sin: Register,
        /// Receives the cosine.
        cos: Register,
        /// The argument.
        arg: Expr,
    },
}

/// A vector function given as a sequence of [`Statement`]s; see the [module
/// docs](self) for the text form.
///
/// ```
/// use batchjac::expr::Program;
/// let p = Program::parse("t0 = x0 * x1\ny0 = select(t0 > 1, ln(t0), t0 - 1)").unwrap();
/// assert_eq!(p.to_string(), "t0 = x0 * x1; y0 = select(t0 > 1, ln(t0), t0 - 1)");
/// let err = Program::parse("y0 = x0 +* 2").unwrap_err();
/// assert!(err.to_string().contains("column 10"), "{err}");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    inputs: usize,
    outputs: usize,
    temps: usize,
    statements: Vec<Statement>,
}

fn invalid(message: String) -> Error {
    Error::InvalidArgument { message }
}

impl Program {
    /// Builds a program from statements, checking it: `inputs` is m (at least 1 and at
    /// least one more than the largest input index read), registers are read only after
    /// they are assigned, every output `y0 .. y(n-1)` is assigned (n is one more than the
    /// largest output index), indices are below [`MAX_REGISTERS`], trees at most
    /// [`MAX_DEPTH`] deep, and a `sin_cos` assigns two different registers.
    ///
    /// ```
    /// use batchjac::expr::{Expr, Program, Register, Statement, Unary};
    /// let y0 = Statement::Assign {
    ///     target: Register::Output(0),
    ///     value: Expr::Unary(Unary::Exp, Box::new(Expr::Input(1))),
    /// };
    /// let p = Program::new(3, vec![y0]).unwrap();
    /// assert_eq!(p.to_string(), "inputs 3; y0 = exp(x1)");
    /// assert!(Program::new(1, p.statements().to_vec()).is_err()); // reads x1
    /// ```
    pub fn new(inputs: usize, statements: Vec<Statement>) -> Result<Self, Error> {
        if inputs == 0 || inputs > MAX_REGISTERS {
            return Err(invalid(format!(
                "a program has 1 to {MAX_REGISTERS} inputs; {inputs} given"
            )));
        }
        let mut temps = Vec::new();
        let mut outputs = Vec::new();
        for (k, statement) in statements.iter().enumerate() {
            let context = |message: String| invalid(format!("statement {k}: {message}"));
            let (targets, expr): (&[Register], &Expr) = match statement {
                Statement::Assign { target, value } => (core::slice::from_ref(target), value),
                Statement::SinCos { sin, cos, arg } => {
                    if sin == cos {
                        return Err(context("sin_cos assigns the same register twice".into()));
                    }
                    (&[*sin, *cos][..], arg)
                }
            };
            check_expr(expr, inputs, &temps, &outputs, 1).map_err(context)?;
            for target in targets {
                let (set, index) = match *target {
                    Register::Temp(i) => (&mut temps, i),
                    Register::Output(i) => (&mut outputs, i),
                };
                if index >= MAX_REGISTERS {
                    return Err(context(format!(
                        "register index {index} is not below {MAX_REGISTERS}"
                    )));
                }
                if set.len() <= index {
                    set.resize(index + 1, false);
                }
                set[index] = true;
            }
        }
        if let Some(missing) = outputs.iter().position(|&written| !written) {
            return Err(invalid(format!("output y{missing} is never assigned")));
        }
        if outputs.is_empty() {
            return Err(invalid("the program assigns no output (y0, ...)".into()));
        }
        Ok(Program {
            inputs,
            outputs: outputs.len(),
            temps: temps.len(),
            statements,
        })
    }

    /// Parses the text form (see the [module docs](self)). Errors are
    /// [`Error::InvalidArgument`] naming the line and column.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::VectorFn;
    /// let p = Program::parse("inputs 3; t0, t1 = sin_cos(x0); y0 = t0 * t1 + powi(x1, 2)").unwrap();
    /// assert_eq!((p.inputs(), p.outputs()), (3, 1));
    /// assert!(Program::parse("y0 = t0").is_err()); // t0 read before it is assigned
    /// ```
    pub fn parse(text: &str) -> Result<Self, Error> {
        parse::parse(text)
    }

    /// The statements, in order.
    ///
    /// ```
    /// use batchjac::expr::{Program, Register, Statement};
    /// let program = Program::parse("t0 = x0 * x0; y0 = t0 + 1").unwrap();
    /// assert_eq!(program.statements().len(), 2);
    /// let first = &program.statements()[0];
    /// assert!(matches!(first, Statement::Assign { target: Register::Temp(0), .. }));
    /// ```
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The number of temporaries (one more than the largest `t` index assigned).
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// assert_eq!(Program::parse("t2 = x0 * x0; y0 = t2").unwrap().temps(), 3);
    /// assert_eq!(Program::parse("y0 = x0").unwrap().temps(), 0);
    /// ```
    pub fn temps(&self) -> usize {
        self.temps
    }

    /// m as the text form implies it without an `inputs` statement: one more than the
    /// largest input index read, at least 1.
    fn inputs_read(&self) -> usize {
        fn largest(e: &Expr) -> usize {
            let own = if let Expr::Input(i) = e { *i + 1 } else { 0 };
            e.children().map(largest).fold(own, usize::max)
        }
        self.statements
            .iter()
            .map(|s| match s {
                Statement::Assign { value, .. } => largest(value),
                Statement::SinCos { arg, .. } => largest(arg),
            })
            .fold(1, usize::max)
    }
}

/// Checks one expression of a statement: indices, reads before assignment, depth.
fn check_expr(
    e: &Expr,
    inputs: usize,
    temps: &[bool],
    outputs: &[bool],
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("expression deeper than {MAX_DEPTH}"));
    }
    let assigned = |set: &[bool], i: usize| set.get(i).copied().unwrap_or(false);
    match *e {
        Expr::Input(i) if i >= inputs => {
            return Err(format!("reads x{i} but the program has {inputs} inputs"));
        }
        Expr::Temp(i) if !assigned(temps, i) => {
            return Err(format!("reads t{i} before it is assigned"));
        }
        Expr::Output(i) if !assigned(outputs, i) => {
            return Err(format!("reads y{i} before it is assigned"));
        }
        _ => {}
    }
    e.children()
        .try_for_each(|c| check_expr(c, inputs, temps, outputs, depth + 1))
}

impl VectorFn for Program {
    fn inputs(&self) -> usize {
        self.inputs
    }
    fn outputs(&self) -> usize {
        self.outputs
    }
    /// Runs the statements in order. Allocates nothing when the program has at most
    /// 16 temporaries.
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        eval::run(self, x, y)
    }
}

#[cfg(test)]
mod tests;
