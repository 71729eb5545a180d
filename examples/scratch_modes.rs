use batchjac::suite::SuiteFunction;
use batchjac::*;
use std::time::Instant;
fn main() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let only: Vec<String> = std::env::args().skip(1).collect();
    for f in SuiteFunction::all() {
        if !only.is_empty() && !only.iter().any(|o| o == f.name()) {
            continue;
        }
        let (m, n) = (f.inputs(), f.outputs());
        let b = f.batch_size();
        let xs = f.points(b);
        let mut jacs = vec![0.0; b * n * m];
        print!("{:15}", f.name());
        for mode in [Mode::TangentLanes, Mode::BatchLanes] {
            let options = BatchOptions {
                mode,
                ..Default::default()
            };
            let mut best = f64::INFINITY;
            for _ in 0..7 {
                let t = Instant::now();
                pool.install(|| jacobian_batch_with_options(&f, &xs, &mut jacs, None, &options))
                    .unwrap();
                best = best.min(t.elapsed().as_secs_f64());
            }
            print!("  {mode} {:8.2} M/s", b as f64 / best / 1e6);
        }
        println!();
    }
}
