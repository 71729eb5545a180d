//! Evaluation of a [`Program`] through [`Real`]: a tree walk, no allocation for up to
//! [`STACK_TEMPS`] temporaries.

use super::{Expr, Program, Register, Statement};
use crate::real::Real;

/// Temporaries held on the stack; programs with more put them in one `Vec` per call.
const STACK_TEMPS: usize = 16;

/// Runs `program` on `x` into `y`. A register read outside the slices given (which a
/// checked program with `x.len() == m`, `y.len() == n` never does) reads NaN and a write
/// there is dropped, so no input makes this panic.
pub(super) fn run<R: Real>(program: &Program, x: &[R], y: &mut [R]) {
    let mut on_stack = [R::from_f64(0.0); STACK_TEMPS];
    let mut on_heap;
    let temps: &mut [R] = if program.temps <= STACK_TEMPS {
        &mut on_stack[..program.temps]
    } else {
        on_heap = vec![R::from_f64(0.0); program.temps];
        &mut on_heap
    };
    for statement in &program.statements {
        match statement {
            Statement::Assign { target, value } => {
                let v = expr(value, x, temps, y);
                store(*target, v, temps, y);
            }
            Statement::SinCos { sin, cos, arg } => {
                let (s, c) = expr(arg, x, temps, y).sin_cos();
                store(*sin, s, temps, y);
                store(*cos, c, temps, y);
            }
        }
    }
}

#[inline]
fn store<R: Real>(target: Register, v: R, temps: &mut [R], y: &mut [R]) {
    let slot = match target {
        Register::Temp(i) => temps.get_mut(i),
        Register::Output(i) => y.get_mut(i),
    };
    if let Some(slot) = slot {
        *slot = v;
    }
}

#[inline]
fn read<R: Real>(registers: &[R], i: usize) -> R {
    registers
        .get(i)
        .copied()
        .unwrap_or_else(|| R::from_f64(f64::NAN))
}

fn expr<R: Real>(e: &Expr, x: &[R], t: &[R], y: &[R]) -> R {
    match e {
        Expr::Input(i) => read(x, *i),
        Expr::Temp(i) => read(t, *i),
        Expr::Output(i) => read(y, *i),
        Expr::Const(c) => R::from_f64(*c),
        Expr::Unary(f, a) => f.apply(expr(a, x, t, y)),
        Expr::Binary(f, a, b) => f.apply(expr(a, x, t, y), expr(b, x, t, y)),
        Expr::Powi(a, n) => expr(a, x, t, y).powi(*n),
        Expr::Powf(a, c) => expr(a, x, t, y).powf(*c),
        Expr::MulAdd(a, b, c) => expr(a, x, t, y).mul_add(expr(b, x, t, y), expr(c, x, t, y)),
        Expr::Select {
            compare,
            left,
            right,
            if_true,
            if_false,
        } => {
            let mask = compare.apply(expr(left, x, t, y), expr(right, x, t, y));
            R::select(mask, expr(if_true, x, t, y), expr(if_false, x, t, y))
        }
    }
}
