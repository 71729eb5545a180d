use batchjac::suite::SuiteFunction;
use batchjac::*;
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let f = SuiteFunction::by_name(&args[1]).unwrap();
    let mode: Mode = args[2].parse().unwrap();
    let reps: usize = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(20);
    let (m, n) = (f.inputs(), f.outputs());
    let b = f.batch_size();
    let xs = f.points(b);
    let mut jacs = vec![0.0; b * n * m];
    let options = BatchOptions {
        mode,
        parallel: false,
        ..Default::default()
    };
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        jacobian_batch_with_options(&f, &xs, &mut jacs, None, &options).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("{} {mode} {:.2} M/s", f.name(), b as f64 / best / 1e6);
}
