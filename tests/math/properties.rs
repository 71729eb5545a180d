//! Properties of the dual arithmetic on random programs (expression trees over the
//! whole `Real` set, tests/common): SIMD lanes agree with the one-lane scalar oracle,
//! results do not depend on how the columns are chunked (also through branches), and
//! the chain, product and quotient rules hold.

use crate::common::*;
use batchjac::{
    Dual, Element, Lanes, Options, Real, Scalar, Tangent, VectorFn, jacobian_times,
    jacobian_with_options,
};
use proptest::prelude::*;

/// Proptest cases per lane type for the random-program properties.
const PROGRAM_CASES: u32 = 256;

/// Runs `f` at `x` in plain `E`.
fn eval_plain<E: Element, F: VectorFn>(f: &F, x: &[E]) -> Vec<E> {
    let x: Vec<Scalar<E>> = x.iter().map(|&v| Scalar::from(v)).collect();
    let mut y = vec![Scalar::from(elem::<E>(0.0)); f.outputs()];
    f.eval(&x, &mut y);
    y.iter().map(|v| v.value).collect()
}

fn agree_with_scalar_oracle<E, L>()
where
    E: Element,
    L: Tangent<E> + Lanes<Elem = E>,
{
    let context = format!("{} vs one-lane oracle", L::NAME);
    check(
        &context,
        PROGRAM_CASES,
        program_and_point(1..=24, 1..=4),
        |(p, x)| {
            let x: Vec<E> = to_elem(&x);
            // The oracle: one direction per chunk, plain scalar arithmetic.
            let oracle = jacobian_by::<Dual<E, E, 1>, _>(&p, &x);
            let lanes = jacobian_by::<Dual<E, L, 2>, _>(&p, &x);
            // Bitwise, not merely within FMA rounding: every lane runs the same operation
            // sequence as the scalar oracle, and the scalar `Lanes::mul_add` fuses exactly
            // where wide's vector `mul_add` does (cfg target_feature = "fma"), so no lane
            // sees a rounding the oracle does not.
            for (k, (a, b)) in lanes.iter().zip(&oracle).enumerate() {
                prop_assert!(
                    same_bits(*a, *b),
                    "J[{}][{}]: {} lanes {a} vs oracle {b}",
                    k / p.inputs,
                    k % p.inputs,
                    L::NAME
                );
            }
            Ok(())
        },
    );
}

for_lane_types! {
    /// Every lane type agrees with the one-lane scalar oracle on random programs.
    fn lanes_agree_with_the_scalar_oracle<E, L>() {
        agree_with_scalar_oracle::<E, L>();
    }
}

fn chunk_invariance<E, L>()
where
    E: Element,
    L: Tangent<E> + Lanes<Elem = E>,
{
    let context = format!("{} chunking", L::NAME);
    // m up to 40: several chunks for K = 1 and 2 of every lane type, one chunk for the
    // widest duals (f64x8 and f32x16 with K = 4 and 8).
    let strategy = branching_program_and_point(1..=40, 1..=3);
    check(&context, PROGRAM_CASES, strategy, |(p, x)| {
        let x: Vec<E> = to_elem(&x);
        let reference = jacobian_by::<Dual<E, L, 1>, _>(&p, &x);
        let others = [
            ("K = 2", jacobian_by::<Dual<E, L, 2>, _>(&p, &x)),
            ("K = 4", jacobian_by::<Dual<E, L, 4>, _>(&p, &x)),
            ("K = 8", jacobian_by::<Dual<E, L, 8>, _>(&p, &x)),
            ("one-lane oracle", jacobian_by::<Dual<E, E, 1>, _>(&p, &x)),
        ];
        // The run-time dispatch of the same lane type gives the same bits.
        let mut dispatched = vec![elem::<E>(0.0); reference.len()];
        let options = Options::with_lanes(lane_type::<L>());
        jacobian_with_options(&p, &x, &mut dispatched, None, &options).expect("jacobian");
        for (name, jac) in others.iter().chain([("dispatched", dispatched)].iter()) {
            for (k, (a, b)) in jac.iter().zip(&reference).enumerate() {
                prop_assert!(
                    same_bits(*a, *b),
                    "{name}: J[{}][{}] = {a}, K = 1 gives {b}",
                    k / p.inputs,
                    k % p.inputs
                );
            }
        }
        Ok(())
    });
}

for_lane_types! {
    /// Bitwise identical Jacobians whether m fits one chunk or needs several, for
    /// programs that branch (max, min, abs, select) at every output.
    fn chunking_does_not_change_a_bit<E, L>() {
        chunk_invariance::<E, L>();
    }
}

fn chain_rule<E, L>()
where
    E: Element,
    L: Tangent<E> + Lanes<Elem = E>,
{
    let e = eps::<E>();
    let strategy = (1..=6usize, 1..=5usize, 1..=3usize).prop_flat_map(|(m, k, n)| {
        (
            prop::collection::vec(expr_strategy(m), k),
            prop::collection::vec(expr_strategy(k), n),
            prop::collection::vec(-2.0..2.0f64, m),
        )
    });
    check(
        &format!("chain rule, {}", L::NAME),
        PROGRAM_CASES,
        strategy,
        |(fs, gs, x)| {
            let (m, k, n) = (x.len(), fs.len(), gs.len());
            let f = Program {
                inputs: m,
                outputs: fs,
            };
            let g = Program {
                inputs: k,
                outputs: gs,
            };
            let x: Vec<E> = to_elem(&x);
            let fx = eval_plain(&f, &x);
            let j_composed_e = jacobian_by::<Dual<E, L, 2>, _>(&Composed { f: &f, g: &g }, &x);
            let j_f_e = jacobian_by::<Dual<E, L, 2>, _>(&f, &x);
            // Forward mode composes exactly: the tangents that f hands to g are the columns
            // of J(f), so J(g o f) is J(g) S with the seed S = J(f), bit for bit.
            let mut j_g_times_j_f = vec![elem::<E>(0.0); n * m];
            let options = Options::with_lanes(lane_type::<L>());
            jacobian_times(&g, &fx, &j_f_e, m, &mut j_g_times_j_f, None, &options).expect("J S");
            for (a, b) in j_composed_e.iter().zip(&j_g_times_j_f) {
                prop_assert!(
                    same_bits(*a, *b),
                    "J(g o f) entry {a} vs J(g) S with S = J(f): {b}"
                );
            }
            // And the matrix product of the two Jacobians, within rounding.
            let j_composed = to_f64(&j_composed_e);
            let j_f = to_f64(&j_f_e);
            let j_g = to_f64(&jacobian_by::<Dual<E, L, 2>, _>(&g, &fx));
            // Non-finite intermediate values (a guarded function can still overflow in f32)
            // make the comparison meaningless.
            prop_assume!(all_finite(&j_composed) && all_finite(&j_f) && all_finite(&j_g));
            assert_matrix_product("J(g o f)", &j_composed, &j_g, &j_f, (n, k, m), e)
        },
    );
}

for_lane_types! {
    /// J(g o f)(x) = J(g)(f(x)) J(f)(x) on random compositions.
    fn chain_rule_holds_on_random_compositions<E, L>() {
        chain_rule::<E, L>();
    }
}

/// y_i = u_i * w_i or u_i / w_i, where w_i = 3 + atan(v_i) lies in [1.4, 4.6].
struct ProductOrQuotient {
    u: Program,
    w: Program,
    quotient: bool,
}

impl VectorFn for ProductOrQuotient {
    fn inputs(&self) -> usize {
        self.u.inputs
    }
    fn outputs(&self) -> usize {
        self.u.outputs.len()
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let mut w = vec![R::from_f64(0.0); self.w.outputs.len()];
        self.w.eval(x, &mut w);
        self.u.eval(x, y);
        for (yi, wi) in y.iter_mut().zip(w) {
            *yi = if self.quotient { *yi / wi } else { *yi * wi };
        }
    }
}

fn product_and_quotient_rules<E, L>()
where
    E: Element,
    L: Tangent<E> + Lanes<Elem = E>,
{
    let e = eps::<E>();
    let strategy = (1..=8usize, 1..=3usize).prop_flat_map(|(m, n)| {
        (
            prop::collection::vec(expr_strategy(m), n),
            prop::collection::vec(expr_strategy(m), n),
            prop::collection::vec(-2.0..2.0f64, m),
            any::<bool>(),
        )
    });
    let context = format!("product and quotient rules, {}", L::NAME);
    check(
        &context,
        PROGRAM_CASES,
        strategy,
        |(us, vs, x, quotient)| {
            let (m, n) = (x.len(), us.len());
            let u = Program {
                inputs: m,
                outputs: us,
            };
            let shifted = vs
                .into_iter()
                .map(|v| {
                    let atan = Expr::Unary(Op1::Atan, Box::new(v));
                    Expr::Binary(Op2::Add, Box::new(Expr::Const(3.0)), Box::new(atan))
                })
                .collect();
            let w = Program {
                inputs: m,
                outputs: shifted,
            };
            let x: Vec<E> = to_elem(&x);
            let (u_x, w_x) = (to_f64(&eval_plain(&u, &x)), to_f64(&eval_plain(&w, &x)));
            let j_u = to_f64(&jacobian_by::<Dual<E, L, 1>, _>(&u, &x));
            let j_w = to_f64(&jacobian_by::<Dual<E, L, 1>, _>(&w, &x));
            let f = ProductOrQuotient { u, w, quotient };
            let j = to_f64(&jacobian_by::<Dual<E, L, 1>, _>(&f, &x));
            prop_assume!(all_finite(&j) && all_finite(&j_u) && all_finite(&j_w));
            for i in 0..n {
                for c in 0..m {
                    let k = i * m + c;
                    // (u w)' = u' w + u w';  (u / w)' = u' / w - u w' / w^2
                    let terms = if quotient {
                        [j_u[k] / w_x[i], -u_x[i] * j_w[k] / (w_x[i] * w_x[i])]
                    } else {
                        [j_u[k] * w_x[i], u_x[i] * j_w[k]]
                    };
                    let exact = terms[0] + terms[1];
                    // A few roundings in the final product/quotient rule on top of the
                    // rounding of u, w and their tangents (each within a few ulp).
                    let tolerance = 64.0 * e * (terms[0].abs() + terms[1].abs());
                    prop_assert!(
                        (j[k] - exact).abs() <= tolerance,
                        "J[{i}][{c}] = {} vs rule {exact} (quotient: {quotient})",
                        j[k]
                    );
                }
            }
            Ok(())
        },
    );
}

for_lane_types! {
    /// (u w)' = u' w + u w' and (u / w)' = (u' w - u w') / w^2 for random programs.
    fn product_and_quotient_rules_hold<E, L>() {
        product_and_quotient_rules::<E, L>();
    }
}

/// Batch-lane mode (lanes hold points, tests/batch_lane plumbing: seeding, branching
/// per lane through masks, scatter, the padded tail) agrees bit for bit with the
/// one-lane tangent oracle on random programs at 11 points (one full block of 8 and a
/// tail of 3 for f64x8): the scalar oracle's elementary functions are the SIMD kernels
/// on one lane, so a point's Jacobian does not depend on the mode.
fn batch_lanes_agree_with_the_oracle<E: Element>(lanes: batchjac::LaneType) {
    use batchjac::{BatchOptions, Mode, jacobian_batch_with_options};
    let context = format!("batch lanes {lanes} vs one-lane oracle");
    check(&context, 64, program_and_point(1..=10, 1..=3), |(p, x)| {
        let (m, n) = (p.inputs, p.outputs.len());
        let points = 11;
        // Points spread around x, kept in [-2, 2].
        let xs64: Vec<f64> = (0..points)
            .flat_map(|k| {
                x.iter().enumerate().map(move |(j, v)| {
                    (v + 0.37 * k as f64 * (j + 1) as f64 + 2.0).rem_euclid(4.0) - 2.0
                })
            })
            .collect();
        let xs: Vec<E> = to_elem(&xs64);
        let mut jacs = vec![elem::<E>(0.0); points * n * m];
        let options = BatchOptions {
            mode: Mode::BatchLanes,
            lanes,
            ..Default::default()
        };
        jacobian_batch_with_options(&p, &xs, &mut jacs, None, &options).unwrap();
        for k in 0..points {
            let oracle = jacobian_by::<Dual<E, E, 1>, _>(&p, &xs[k * m..(k + 1) * m]);
            for (e, (a, b)) in jacs[k * n * m..(k + 1) * n * m]
                .iter()
                .zip(&oracle)
                .enumerate()
            {
                let (a, b) = (a.to_f64(), b.to_f64());
                prop_assert!(
                    same_bits(a, b),
                    "point {k} J[{}][{}]: batch lanes {a} vs oracle {b}",
                    e / m,
                    e % m
                );
            }
        }
        Ok(())
    });
}

#[test]
fn batch_lanes_agree_with_the_scalar_oracle() {
    use batchjac::LaneType;
    batch_lanes_agree_with_the_oracle::<f64>(LaneType::F64x8);
    batch_lanes_agree_with_the_oracle::<f64>(LaneType::F64x4);
    batch_lanes_agree_with_the_oracle::<f32>(LaneType::F32x16);
    batch_lanes_agree_with_the_oracle::<f32>(LaneType::F32x8);
}

/// One answer per point: on random programs of `batchjac::expr` (every elementary
/// function, `select`), random batches and positions, every entry point, mode, lane
/// type, thread count and grain gives the bits of the scalar oracle
/// (`batchjac::expr::fuzz_checks::check_modes`, also the fuzz target `modes`).
#[test]
fn every_entry_point_and_mode_gives_the_same_bits() {
    batchjac::expr::fuzz_checks::quiet_planned_panics();
    check(
        "check_modes",
        256,
        proptest::collection::vec(any::<u8>(), 8..160),
        |data| {
            if let Err(finding) = batchjac::expr::fuzz_checks::check_modes(&data) {
                prop_assert!(false, "{finding}");
            }
            Ok(())
        },
    );
}
