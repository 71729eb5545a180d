//! `batchjac jac`: the Jacobian of an expression program (`batchjac::expr`) at one
//! point, optionally verified by finite differences and a Taylor-remainder test.

use super::table::{Align, Table};
use batchjac::expr::Program;
use batchjac::verify::{TaylorOptions, check_jacobian, taylor_test};
use batchjac::{Error, LaneType, Options, VectorFn, jacobian_with_options};

/// Prints f(x) and the Jacobian of `program` at `x` (length m, checked by the caller);
/// with `verify`, also the verification reports. `Ok(false)` if a check failed.
pub fn jac(program: &Program, x: &[f64], lanes: LaneType, verify: bool) -> Result<bool, Error> {
    let (m, n) = (program.inputs(), program.outputs());
    let mut jac = vec![0.0; n * m];
    let mut values = vec![0.0; n];
    jacobian_with_options(
        program,
        x,
        &mut jac,
        Some(&mut values),
        &Options::with_lanes(lanes),
    )?;

    println!("program: {program}");
    let point: Vec<String> = x.iter().map(|v| format!("{v:?}")).collect();
    println!("at x = ({})", point.join(", "));
    println!();
    let mut columns = vec![
        (String::new(), Align::Left),
        ("f(x)".to_string(), Align::Right),
    ];
    columns.extend((0..m).map(|j| (format!("d/dx{j}"), Align::Right)));
    let headers: Vec<(&str, Align)> = columns.iter().map(|(h, a)| (h.as_str(), *a)).collect();
    let mut table = Table::new(&headers);
    for i in 0..n {
        let mut row = vec![format!("y{i}"), format!("{:?}", values[i])];
        // Shortest text that reads back to the same f64: nothing hidden by rounding.
        row.extend(jac[i * m..(i + 1) * m].iter().map(|v| format!("{v:?}")));
        table.row(row);
    }
    print!("{}", table.render());
    if !verify {
        return Ok(true);
    }
    let report = check_jacobian(program, x, &jac)?;
    let taylor = taylor_test(program, x, &jac, &TaylorOptions::default())?;
    println!();
    println!("{report}");
    println!();
    println!("{taylor}");
    Ok(report.passed() && taylor.passed())
}
