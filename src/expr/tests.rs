use super::*;
use crate::jacobian::{LaneType, Options, jacobian_with_options};
use proptest::prelude::*;

fn parse(text: &str) -> Program {
    Program::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn error(text: &str) -> String {
    match Program::parse(text) {
        Ok(p) => panic!("{text:?} parsed as {p}"),
        Err(Error::InvalidArgument { message }) => message,
        Err(e) => panic!("{text:?}: wrong error kind {e:?}"),
    }
}

#[test]
fn evaluates_every_operation_like_plain_f64() {
    // Each line against the same formula written in Rust on f64.
    let x = [0.3, -1.7, 2.5];
    let cases: Vec<(&str, f64)> = vec![
        ("y0 = x0 + x1 * x2 - x0 / x2", 0.3 + -1.7 * 2.5 - 0.3 / 2.5),
        ("y0 = -x1 * -2", 1.7 * -2.0),
        ("y0 = pow(x2, x0)", 2.5f64.powf(0.3)),
        ("y0 = atan2(x1, x0)", (-1.7f64).atan2(0.3)),
        (
            "y0 = hypot(x0, x1) + min(x0, x1) + max(x0, x2)",
            0.3f64.hypot(-1.7) - 1.7 + 2.5,
        ),
        (
            "y0 = powi(x1, -3) + powf(x2, 0.5)",
            (-1.7f64).powi(-3) + 2.5f64.sqrt(),
        ),
        ("y0 = mul_add(x0, x1, x2)", 0.3f64.mul_add(-1.7, 2.5)),
        (
            "y0 = select(x0 < x1, 1, 2) + select(x0 >= 0.3, 10, 20)",
            2.0 + 10.0,
        ),
        (
            "y0 = select(x0 == 0.3, 1, 0) + select(x1 <= x0, 4, 8) + select(x1 > 0, 16, 32)",
            1.0 + 4.0 + 32.0,
        ),
        (
            "t3, t1 = sin_cos(x2); y0 = t3 - 2 * t1",
            2.5f64.sin() - 2.0 * 2.5f64.cos(),
        ),
        (
            "y0 = sqrt(x2) * cbrt(x1) * exp(x0) * exp2(x0) * exp_m1(x0)",
            2.5f64.sqrt() * (-1.7f64).cbrt() * 0.3f64.exp() * 0.3f64.exp2() * 0.3f64.exp_m1(),
        ),
        (
            "y0 = ln(x2) + log2(x2) + log10(x2) + ln_1p(x0) + recip(x1)",
            2.5f64.ln() + 2.5f64.log2() + 2.5f64.log10() + 0.3f64.ln_1p() + 1.0 / -1.7,
        ),
        (
            "y0 = tan(x0) + asin(x0) + acos(x0) + atan(x1)",
            0.3f64.tan() + 0.3f64.asin() + 0.3f64.acos() + (-1.7f64).atan(),
        ),
        (
            "y0 = sinh(x0) + cosh(x0) + tanh(x1) + asinh(x1) + atanh(x0) + acosh(x2)",
            0.3f64.sinh()
                + 0.3f64.cosh()
                + (-1.7f64).tanh()
                + (-1.7f64).asinh()
                + <f64 as crate::Value>::atanh(0.3)
                + <f64 as crate::Value>::acosh(2.5),
        ),
        ("y0 = abs(x1) + signum(x1) + neg(x0)", 1.7 - 1.0 - 0.3),
        ("y0 = x0; y1 = y0 * 2", 0.3),
    ];
    for (text, expected) in cases {
        let p = parse(text);
        let mut y = vec![0.0; p.outputs()];
        crate::evaluate(&p, &x[..p.inputs()], &mut y).unwrap();
        assert!(
            (y[0] - expected).abs() <= 1e-15 * expected.abs().max(1.0),
            "{text}: {} vs {expected}",
            y[0]
        );
    }
}

#[test]
fn jacobian_of_a_parsed_program_matches_its_closed_form() {
    // y0 = x0 * sin(x1), y1 = exp(x0) * x1^2: J = [[sin x1, x0 cos x1], [e^x0 x1^2, 2 e^x0 x1]]
    let p = parse("y0 = x0 * sin(x1)\ny1 = exp(x0) * powi(x1, 2)");
    let x = [0.7f64, -1.3];
    let exact = [
        x[1].sin(),
        x[0] * x[1].cos(),
        x[0].exp() * x[1] * x[1],
        2.0 * x[0].exp() * x[1],
    ];
    for lanes in [LaneType::Scalar, LaneType::F64x4, LaneType::F64x8] {
        let mut jac = [0.0; 4];
        jacobian_with_options(&p, &x, &mut jac, None, &Options::with_lanes(lanes)).unwrap();
        for (a, e) in jac.iter().zip(&exact) {
            assert!(
                (a - e).abs() <= 1e-15 * e.abs().max(1.0),
                "{lanes}: {jac:?} vs {exact:?}"
            );
        }
    }
}

#[test]
fn many_temporaries_spill_to_the_heap_and_still_evaluate() {
    // 20 temporaries, more than the 16 kept on the stack: t_k = x0 + k, y0 = t19.
    let mut text = String::new();
    for k in 0..20 {
        text += &format!("t{k} = x0 + {k}; ");
    }
    text += "y0 = t19 * t0";
    let p = parse(&text);
    assert_eq!(p.temps(), 20);
    let mut y = [0.0];
    crate::evaluate(&p, &[2.0], &mut y).unwrap();
    assert_eq!(y[0], 21.0 * 2.0);
}

#[test]
fn prints_minimal_parentheses_and_reads_them_back() {
    for (text, printed) in [
        ("y0 = (x0 - x1) - (x2 - x0)", "y0 = x0 - x1 - (x2 - x0)"),
        ("y0 = x0 / (x1 * x2)", "y0 = x0 / (x1 * x2)"),
        ("y0 = (x0 * x1) / x2", "y0 = x0 * x1 / x2"),
        ("y0 = -(x0 + x1)", "y0 = -(x0 + x1)"),
        ("y0 = -2 * x0", "y0 = -2 * x0"),
        ("y0 = -(2) * x0", "y0 = -(2) * x0"),
        ("y0 = -(-2)", "y0 = -(-2)"),
        ("y0 = --x0", "y0 = --x0"),
        ("y0 = x0 - -1e300", "y0 = x0 - -1e300"),
        ("y0 = inf + -inf + nan + 0.1", "y0 = inf + -inf + nan + 0.1"),
        (
            "y0 = powf(x0, -0.5) + powi(x0, -2147483648)",
            "y0 = powf(x0, -0.5) + powi(x0, -2147483648)",
        ),
        ("inputs 4\n y0 = x1 # a comment\n", "inputs 4; y0 = x1"),
        ("y0 = 1", "y0 = 1"),
    ] {
        let p = parse(text);
        assert_eq!(p.to_string(), printed, "{text}");
        assert_eq!(parse(printed), p, "{printed}");
    }
    // Negative zero and NaN constants survive; -(2) and -2 are different programs.
    assert_ne!(parse("y0 = -(2)"), parse("y0 = -2"));
    assert_ne!(parse("y0 = -0.0"), parse("y0 = 0.0"));
    assert_eq!(parse("y0 = nan"), parse("y0 = -nan"));
}

#[test]
fn reports_errors_with_their_position() {
    for (text, needle) in [
        (
            "y0 = x0 +* 2",
            "line 1, column 10: expected an operand, found `*`",
        ),
        (
            "y0 = x0\ny1 = foo(x0)",
            "line 2, column 6: unknown name `foo`",
        ),
        (
            "y0 = t0",
            "line 1, column 6: t0 is read before it is assigned",
        ),
        ("y0 = y0", "y0 is read before it is assigned"),
        ("x0 = 1", "line 1, column 1: expected a register to assign"),
        ("y0 = sin(x0", "expected `)`, found the end of the text"),
        (
            "y0 = x0 y1 = x1",
            "expected `;` or a line break, found `y1`",
        ),
        ("y1 = x0", "output y0 is never assigned"),
        ("t0 = x0", "assigns no output"),
        ("", "assigns no output"),
        ("inputs 2; y0 = x2", "x2 is not an input"),
        ("inputs 0; y0 = 1", "inputs must be 1 to 1024"),
        ("y0 = x1024", "indices must be below 1024"),
        ("y0 = powi(x0, 2.5)", "expected an integer"),
        ("y0 = powi(x0, 2147483648)", "not an i32"),
        ("y0 = powf(x0, x1)", "powf takes a constant exponent"),
        ("y0 = select(x0, 1, 2)", "expected a comparison"),
        ("t0, t0 = sin_cos(x0)", "assigns t0 twice"),
        ("t0, y0 = exp(x0)", "only by sin_cos"),
        ("y0 = x0 $ 1", "found '$'"),
        ("y0 = é", "line 1, column 6"),
    ] {
        let message = error(text);
        assert!(
            message.contains(needle),
            "{text:?}: {message:?} lacks {needle:?}"
        );
    }
    // Depth and nesting are bounded instead of overflowing the stack.
    let deep = format!("y0 = {}x0{}", "sin(".repeat(100), ")".repeat(100));
    assert!(error(&deep).contains("deeper than 64"));
    let nested = format!("y0 = {}x0{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(error(&nested).contains("nesting deeper"));
    let long = format!("y0 = x0{}", " + x0".repeat(100_000));
    assert!(error(&long).contains("deeper than 64"));
}

#[test]
fn new_checks_programs_built_in_code() {
    let read_t0 = Statement::Assign {
        target: Register::Output(0),
        value: Expr::Temp(0),
    };
    assert!(Program::new(1, vec![read_t0]).is_err());
    assert!(Program::new(0, vec![]).is_err());
    let mut deep = Expr::Input(0);
    for _ in 0..MAX_DEPTH {
        deep = Expr::Unary(Unary::Sin, Box::new(deep));
    }
    let s = Statement::Assign {
        target: Register::Output(0),
        value: deep,
    };
    assert!(
        Program::new(1, vec![s])
            .unwrap_err()
            .to_string()
            .contains("deeper")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_programs_print_and_parse_back(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let p = ByteSource::new(&bytes).program(6);
        let text = p.to_string();
        let back = Program::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&back, &p, "{}", text);
        prop_assert_eq!(back.to_string(), text);
    }

    #[test]
    fn parser_never_panics(text in "[xyt0-9a-z_ ();,=+*/<>=.#\n-]{0,80}") {
        if let Ok(p) = Program::parse(&text) {
            prop_assert_eq!(Program::parse(&p.to_string()).ok(), Some(p));
        }
    }
}
