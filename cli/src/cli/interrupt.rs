//! Ctrl-C: the first one asks the running work to stop at the next task boundary (the
//! batch engine's progress hook breaks, the timing loops end, the main job prints the
//! rows it finished); a second one ends the process at once.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_CODE: u8 = 130;

/// Installs the Ctrl-C handler. Without one (the handler could not be set) Ctrl-C ends
/// the process as usual.
pub fn install() {
    let installed = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            std::process::exit(EXIT_CODE.into());
        }
        eprintln!("\nbatchjac: stopping (Ctrl-C again to quit at once)");
    });
    if let Err(e) = installed {
        eprintln!("batchjac: warning: no Ctrl-C handler ({e})");
    }
}

/// Whether Ctrl-C was pressed.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// A progress hook for the batch engine: break once Ctrl-C was pressed.
pub fn hook(_points: usize) -> ControlFlow<()> {
    if requested() {
        ControlFlow::Break(())
    } else {
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_breaks_once_requested() {
        assert_eq!(hook(1), ControlFlow::Continue(()));
        REQUESTED.store(true, Ordering::SeqCst);
        assert_eq!(hook(1), ControlFlow::Break(()));
        assert!(requested());
        REQUESTED.store(false, Ordering::SeqCst);
    }
}
