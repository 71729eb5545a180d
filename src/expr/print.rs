//! The text form of a [`Program`] (its `Display`), written so that
//! [`Program::parse`] gives back the same program: parentheses exactly where precedence
//! and left associativity need them, constants in Rust's shortest round-trip notation.

use super::{Binary, Expr, Program, Register, Statement, Unary};
use core::fmt::{self, Display, Formatter, Write};

/// Binding strength: sums 1, products 2, prefix minus (and negative numbers) 3, atoms 4.
fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Binary(Binary::Add | Binary::Sub, ..) => 1,
        Expr::Binary(Binary::Mul | Binary::Div, ..) => 2,
        Expr::Unary(Unary::Neg, _) => 3,
        Expr::Const(c) if c.is_sign_negative() && !c.is_nan() => 3,
        _ => 4,
    }
}

/// A number as the lexer reads it back: `inf`, `nan`, or Rust's shortest round-trip
/// decimal (`{:?}`: `0.1`, `1e300`; whole numbers below 1e16 as `2`), with a leading `-` when negative.
pub(super) fn write_number(f: &mut impl Write, c: f64) -> fmt::Result {
    if c.is_nan() {
        f.write_str("nan")
    } else if c.is_infinite() {
        f.write_str(if c > 0.0 { "inf" } else { "-inf" })
    } else if c.fract() == 0.0 && c.abs() < 1e16 {
        // Whole numbers read better without a fraction: `2`, not `2.0` (exact below 2^53).
        write!(f, "{c}")
    } else {
        write!(f, "{c:?}")
    }
}

fn write_expr(f: &mut Formatter<'_>, e: &Expr, min_precedence: u8) -> fmt::Result {
    if precedence(e) < min_precedence {
        f.write_char('(')?;
        write_expr(f, e, 0)?;
        return f.write_char(')');
    }
    match e {
        Expr::Input(i) => write!(f, "x{i}"),
        Expr::Temp(i) => write!(f, "t{i}"),
        Expr::Output(i) => write!(f, "y{i}"),
        Expr::Const(c) => write_number(f, *c),
        Expr::Unary(Unary::Neg, a) => {
            f.write_char('-')?;
            // `-` right before a number token is read as a negative constant, so the
            // negation of a constant keeps its parentheses: `-(2.0)`.
            let min = if matches!(**a, Expr::Const(_)) { 5 } else { 3 };
            write_expr(f, a, min)
        }
        Expr::Unary(g, a) => {
            write!(f, "{}(", g.name())?;
            write_expr(f, a, 0)?;
            f.write_char(')')
        }
        Expr::Binary(op @ (Binary::Add | Binary::Sub | Binary::Mul | Binary::Div), a, b) => {
            // Left associative: the left operand may bind as loosely as this operator,
            // the right one must bind tighter.
            let own = precedence(e);
            write_expr(f, a, own)?;
            write!(f, " {} ", op.name())?;
            write_expr(f, b, own + 1)
        }
        Expr::Binary(g, a, b) => call(f, g.name(), &[a, b]),
        Expr::Powi(a, n) => {
            f.write_str("powi(")?;
            write_expr(f, a, 0)?;
            write!(f, ", {n})")
        }
        Expr::Powf(a, c) => {
            f.write_str("powf(")?;
            write_expr(f, a, 0)?;
            f.write_str(", ")?;
            write_number(f, *c)?;
            f.write_char(')')
        }
        Expr::MulAdd(a, b, c) => call(f, "mul_add", &[a, b, c]),
        Expr::Select {
            compare,
            left,
            right,
            if_true,
            if_false,
        } => {
            f.write_str("select(")?;
            write_expr(f, left, 0)?;
            write!(f, " {} ", compare.symbol())?;
            write_expr(f, right, 0)?;
            f.write_str(", ")?;
            write_expr(f, if_true, 0)?;
            f.write_str(", ")?;
            write_expr(f, if_false, 0)?;
            f.write_char(')')
        }
    }
}

fn call(f: &mut Formatter<'_>, name: &str, args: &[&Expr]) -> fmt::Result {
    write!(f, "{name}(")?;
    for (k, a) in args.iter().enumerate() {
        if k > 0 {
            f.write_str(", ")?;
        }
        write_expr(f, a, 0)?;
    }
    f.write_char(')')
}

impl Display for Register {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Register::Temp(i) => write!(f, "t{i}"),
            Register::Output(i) => write!(f, "y{i}"),
        }
    }
}

impl Display for Expr {
    /// The expression in the text form of [`Program`].
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_expr(f, self, 0)
    }
}

impl Display for Statement {
    /// `t0 = ...` or `t0, t1 = sin_cos(...)`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Assign { target, value } => write!(f, "{target} = {value}"),
            Statement::SinCos { sin, cos, arg } => write!(f, "{sin}, {cos} = sin_cos({arg})"),
        }
    }
}

impl Display for Program {
    /// The text form: statements separated by `"; "`, with an `inputs M` statement first
    /// when the program has more inputs than it reads. [`Program::parse`] reads it back
    /// to an equal program.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut separator = "";
        if self.inputs != self.inputs_read() {
            write!(f, "inputs {}", self.inputs)?;
            separator = "; ";
        }
        for s in &self.statements {
            write!(f, "{separator}{s}")?;
            separator = "; ";
        }
        Ok(())
    }
}
