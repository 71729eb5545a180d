//! `batchjac`: throughput and verification of the docs/SUITE.md Jacobians from the command
//! line. With no arguments it runs the main job (`cargo run --release`): every suite
//! function at its batch size on 1 thread and on all threads, against central finite
//! differences and the hand-written analytic Jacobian, with a verified sample.

mod cli;

use batchjac::batch::Mode;
use batchjac::expr::Program;
use batchjac::suite::SuiteFunction;
use batchjac::{LaneType, VectorFn};
use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand};
use cli::engine::Engine;
use std::process::ExitCode;

/// Batched forward-mode Jacobians with SIMD dual numbers: benchmarks and verification
/// on the yardstick suite (docs/SUITE.md).
///
/// Without a subcommand: the main job. Every suite function at its docs/SUITE.md batch size,
/// 1 thread and all threads, speedups over central finite differences and over the
/// hand-written analytic Jacobian (measured in the same run), and a verified sample of
/// each batch. Exit code 1 if a verification fails.
#[derive(Parser, Debug)]
#[command(name = "batchjac", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    timing: TimingArgs,
}

/// How long and how often each configuration is timed.
#[derive(Args, Debug, Clone, Copy)]
struct TimingArgs {
    /// Timed repetitions per measurement (after a warm-up); the median is reported.
    #[arg(long, global = true, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeat: u32,
    /// Seconds of timed repetitions per measurement, all repetitions together.
    #[arg(long, global = true, default_value_t = 0.3, value_parser = parse_seconds)]
    seconds: f64,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Throughput (Jacobians per second) with chosen functions, batch size, threads,
    /// engines, lane types and modes; `--json` for scripts.
    Bench(BenchArgs),
    /// The verification report (finite differences) of batchjac's Jacobians at the
    /// suite's points; exit code 1 if any point fails.
    Verify(VerifyArgs),
    /// The suite functions with m, n, batch size and a one-line description.
    List,
    /// The Jacobian of a function written as text (`batchjac::expr`) at one point, e.g.
    /// `batchjac jac --expr "y0 = x0 * sin(x1); y1 = exp(x0)" --at 0.5,1.0 --verify`.
    Jac(JacArgs),
}

#[derive(Args, Debug)]
struct JacArgs {
    /// The function as an expression program: statements `y0 = ...`, `t0 = ...` over the
    /// inputs `x0, x1, ...`, separated by `;` (see the docs of `batchjac::expr`).
    #[arg(long, value_name = "PROGRAM", value_parser = parse_program)]
    expr: Program,
    /// The point x, comma-separated (m values).
    #[arg(
        long,
        value_name = "X0,X1,...",
        value_delimiter = ',',
        required = true,
        allow_hyphen_values = true
    )]
    at: Vec<f64>,
    /// Lane type of the tangents: auto, scalar, f64x4, f64x8.
    #[arg(long, default_value = "auto", value_parser = parse_lanes)]
    lanes: LaneType,
    /// Also check the Jacobian by finite differences and a Taylor-remainder test; exit
    /// code 1 if either fails.
    #[arg(long)]
    verify: bool,
    /// Also detect the sparsity pattern (batchjac::sparse): print it with nnz, the
    /// column colouring and the sparse (CSR) values; with --verify, verify those too.
    /// A program that cannot be traced is an error (exit code 1).
    #[arg(long)]
    sparse: bool,
}

#[derive(Args, Debug)]
struct BenchArgs {
    /// Suite function to measure (repeat for several; default: all).
    #[arg(long = "func", value_name = "NAME", value_parser = suite_names())]
    functions: Vec<String>,
    /// Batch size B (default: each function's docs/SUITE.md batch size).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=(1 << 26)))]
    batch: Option<u64>,
    /// Thread counts, comma-separated or repeated (default: 1 and all threads).
    #[arg(long, value_delimiter = ',', value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Vec<u32>,
    /// Lane types of batchjac's tangents, comma-separated or repeated: auto, scalar,
    /// f64x4, f64x8 (default: auto).
    #[arg(long, value_delimiter = ',', value_parser = parse_lanes)]
    lanes: Vec<LaneType>,
    /// What computes the Jacobians, comma-separated or repeated (default: batchjac,
    /// analytic, central-fd). sparse: batchjac's sparse CSR batch (pattern detected once,
    /// untimed; its rows show nnz and colours); sparse-dense: the same written as dense
    /// n x m Jacobians.
    #[arg(long, value_delimiter = ',', value_enum)]
    engine: Vec<Engine>,
    /// batchjac's lane use, comma-separated or repeated: auto (chosen from m and B),
    /// tangent (lanes hold directions), batch (lanes hold points). Default: auto.
    #[arg(long, value_delimiter = ',', value_parser = parse_mode)]
    mode: Vec<Mode>,
    /// One JSON object per measurement and line on stdout instead of a table.
    #[arg(long)]
    json: bool,
    /// Sparse against dense: the engines batchjac, sparse, sparse-dense and analytic
    /// (unless --engine is given) on ext_rosenbrock and brusselator (unless --func is
    /// given).
    #[arg(long)]
    sparse: bool,
}

#[derive(Args, Debug)]
struct VerifyArgs {
    /// Suite function to verify (repeat for several; default: all).
    #[arg(long = "func", value_name = "NAME", value_parser = suite_names())]
    functions: Vec<String>,
    /// Points checked per function (docs/SUITE.md points 0..K).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    points: u64,
    /// Multiply entry (0, 0) of every candidate Jacobian by 1 + REL before checking: shows
    /// what a failing report looks like (and tests that failures are caught).
    #[arg(long, value_name = "REL", hide = true)]
    perturb: Option<f64>,
}

/// The suite's function names, for `--func` (clap lists them in `--help` and errors).
fn suite_names() -> PossibleValuesParser {
    PossibleValuesParser::new(SuiteFunction::all().iter().map(|f| f.name()))
}

fn parse_lanes(text: &str) -> Result<LaneType, String> {
    match text.parse::<LaneType>() {
        // The suite is f64: f32 lane types cannot carry its tangents.
        Ok(LaneType::F32x8 | LaneType::F32x16) => Err(format!(
            "{text} carries f32 tangents; the suite is f64 (use auto, scalar, f64x4 or f64x8)"
        )),
        Ok(lanes) => Ok(lanes),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_mode(text: &str) -> Result<Mode, String> {
    text.parse::<Mode>().map_err(|e| e.to_string())
}

fn parse_program(text: &str) -> Result<Program, String> {
    Program::parse(text).map_err(|e| e.to_string())
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 600.0 => Ok(s),
        Ok(_) => Err("must be in (0, 600]".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// The named suite functions, or all of them.
fn selected(names: &[String]) -> Vec<SuiteFunction> {
    if names.is_empty() {
        SuiteFunction::all()
    } else {
        // Names were validated by clap against the suite's names.
        names
            .iter()
            .filter_map(|name| SuiteFunction::by_name(name))
            .collect()
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli::interrupt::install();
    let budget = cli::timing::Budget {
        seconds: cli.timing.seconds,
        repeats: cli.timing.repeat as usize,
    };
    let result = match cli.command {
        None => cli::commands::main_job(budget),
        Some(Command::List) => cli::commands::list(),
        Some(Command::Bench(mut args)) => {
            if args.sparse {
                if args.functions.is_empty() {
                    args.functions = vec!["ext_rosenbrock".into(), "brusselator".into()];
                }
                if args.engine.is_empty() {
                    args.engine = vec![
                        Engine::Batchjac,
                        Engine::Sparse,
                        Engine::SparseDense,
                        Engine::Analytic,
                    ];
                }
            }
            cli::commands::bench(&cli::commands::BenchPlan {
                functions: selected(&args.functions),
                batch: args.batch.map(|b| b as usize),
                threads: args.threads.iter().map(|&t| t as usize).collect(),
                lanes: args.lanes,
                engines: args.engine,
                modes: args.mode,
                json: args.json,
                budget,
            })
        }
        Some(Command::Jac(args)) => {
            if args.at.len() != args.expr.inputs() {
                // A usage error like clap's own: message on stderr, exit code 2.
                eprintln!(
                    "error: --at has {} values; the program has m = {} inputs\n\n\
                     For more information, try 'batchjac jac --help'.",
                    args.at.len(),
                    args.expr.inputs()
                );
                return ExitCode::from(2);
            }
            cli::jac::jac(&args.expr, &args.at, args.lanes, args.verify, args.sparse)
        }
        Some(Command::Verify(args)) => cli::commands::verify(
            &selected(&args.functions),
            args.points as usize,
            args.perturb,
        ),
    };
    if cli::interrupt::requested() {
        eprintln!("batchjac: interrupted (Ctrl-C); what was finished is printed above");
        return ExitCode::from(cli::interrupt::EXIT_CODE);
    }
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("batchjac: error: {e}");
            ExitCode::from(1)
        }
    }
}
