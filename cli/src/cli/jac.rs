//! `batchjac jac`: the Jacobian of an expression program (`batchjac::expr`) at one
//! point, optionally verified by finite differences and a Taylor-remainder test; with
//! `--sparse`, also its detected sparsity pattern, column colouring and CSR values.

use super::table::{Align, Table};
use batchjac::expr::Program;
use batchjac::sparse::SparseJacobian;
use batchjac::verify::{TaylorOptions, check_jacobian, taylor_test};
use batchjac::{Error, LaneType, Options, VectorFn, jacobian_with_options};

/// Prints f(x) and the Jacobian of `program` at `x` (length m, checked by the caller);
/// with `verify`, also the verification reports; with `sparse`, the sparse section
/// ([`sparse_section`]). `Ok(false)` if a check failed.
pub fn jac(
    program: &Program,
    x: &[f64],
    lanes: LaneType,
    verify: bool,
    sparse: bool,
) -> Result<bool, Error> {
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
    let mut passed = true;
    if verify {
        passed &= dense_verify(program, x, &jac)?;
    }
    if sparse {
        passed &= sparse_section(program, x, lanes, verify, &jac)?;
    }
    Ok(passed)
}

/// The dense verification reports; `Ok(false)` if either fails.
fn dense_verify(program: &Program, x: &[f64], jac: &[f64]) -> Result<bool, Error> {
    let report = check_jacobian(program, x, jac)?;
    let taylor = taylor_test(program, x, jac, &TaylorOptions::default())?;
    println!();
    println!("{report}");
    println!();
    println!("{taylor}");
    Ok(report.passed() && taylor.passed())
}

/// Patterns and colourings are drawn only up to this many rows and columns.
const DRAW_MAX: usize = 64;

/// `--sparse`: detects the pattern of `program` (`SparseJacobian::new`), prints it as a
/// star map (small m and n) with nnz, the colour of each column, the colour count
/// against its lower bound, and the CSR values at `x` (tangent lanes of type `lanes`,
/// as the dense table: the values must equal its entries bit for bit). With `verify`,
/// `SparseJacobian::verify` checks the sparse values. `Ok(false)` if the values differ
/// from the dense entries or the verification fails; `Error::Untraceable` if the program cannot be traced.
fn sparse_section(
    program: &Program,
    x: &[f64],
    lanes: LaneType,
    verify: bool,
    dense: &[f64],
) -> Result<bool, Error> {
    let (m, n) = (program.inputs(), program.outputs());
    let sj = SparseJacobian::new(program)?;
    let mut values = vec![0.0; sj.nnz()];
    sj.jacobian_with_options(program, x, &mut values, None, &Options::with_lanes(lanes))?;
    let nnz = sj.nnz();
    println!();
    println!(
        "sparsity pattern (detected): n = {n} rows x m = {m} columns, nnz = {nnz} of {} ({:.1}%)",
        n * m,
        100.0 * nnz as f64 / (n * m) as f64
    );
    if m <= DRAW_MAX && n <= DRAW_MAX {
        let label = |i: usize| format!("y{i}");
        let width = (0..n).map(|i| label(i).len()).max().unwrap_or(0);
        for i in 0..n {
            let row = &sj.col_idx()[sj.row_ptr()[i]..sj.row_ptr()[i + 1]];
            let stars: String = (0..m)
                .map(|j| {
                    if row.binary_search(&j).is_ok() {
                        '*'
                    } else {
                        '.'
                    }
                })
                .collect();
            println!("  {:<width$}  {stars}", label(i));
        }
        println!("  (* nonzero, . structural zero)");
    } else {
        println!("  (too large to draw: at most {DRAW_MAX} rows and columns)");
    }
    println!(
        "colouring: {} colours, lower bound {} (the largest row count){}",
        sj.colors(),
        sj.lower_bound(),
        if sj.colors() == sj.lower_bound() {
            ": optimal"
        } else {
            ""
        }
    );
    if m <= DRAW_MAX {
        let colours: Vec<String> = sj
            .column_colors()
            .iter()
            .enumerate()
            .map(|(j, c)| format!("x{j}:{c}"))
            .collect();
        println!("  column colours: {}", colours.join(" "));
    }
    let list = |items: &[usize]| {
        items
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("CSR at x:");
    println!("  row_ptr = [{}]", list(sj.row_ptr()));
    println!("  col_idx = [{}]", list(sj.col_idx()));
    let shown: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    println!("  values  = [{}]", shown.join(", "));
    // In tangent lanes of one lane type the compressed entries are the dense ones.
    let equal = (0..n).all(|i| {
        (sj.row_ptr()[i]..sj.row_ptr()[i + 1]).all(|k| {
            let (a, b) = (values[k], dense[i * m + sj.col_idx()[k]]);
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
        })
    });
    println!(
        "  equal to the dense entries bit for bit: {}",
        if equal { "yes" } else { "NO" }
    );
    if !verify {
        return Ok(equal);
    }
    let report = sj.verify(program, x, &values)?;
    println!();
    println!("sparse values, verified:");
    println!("{report}");
    Ok(equal && report.passed())
}
