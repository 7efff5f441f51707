//! Running code that may panic (pdf-extract does, on fonts it does not know) as a `Result`,
//! without the panic message reaching stderr.
//!
//! While at least one thread is inside [`catch_silently`], the process-wide panic hook is a
//! wrapper that stays silent for panics on those threads and passes every other panic on to
//! the hook that was installed before; the last thread out puts that hook back. Installing and
//! restoring happen under one mutex, so concurrent calls neither lose the previous hook nor
//! silence panics elsewhere in the program.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Arc, Mutex, PoisonError};

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The hook to restore, and how many threads are inside [`catch_silently`].
struct Installed {
    previous: Option<Arc<Hook>>,
    users: usize,
}

static INSTALLED: Mutex<Installed> = Mutex::new(Installed {
    previous: None,
    users: 0,
});

thread_local! {
    /// How deep this thread is in [`catch_silently`] calls.
    static SILENT: Cell<usize> = const { Cell::new(0) };
}

/// Runs `f`; a panic inside it becomes `Err(message)` and prints nothing.
pub(super) fn catch_silently<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    enter();
    SILENT.with(|s| s.set(s.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    SILENT.with(|s| s.set(s.get() - 1));
    leave();
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

fn enter() {
    let mut installed = INSTALLED.lock().unwrap_or_else(PoisonError::into_inner);
    if installed.users == 0 {
        let previous = Arc::new(panic::take_hook());
        let delegate = Arc::clone(&previous);
        panic::set_hook(Box::new(move |info| {
            if SILENT.with(Cell::get) == 0 {
                delegate(info);
            }
        }));
        installed.previous = Some(previous);
    }
    installed.users += 1;
}

fn leave() {
    let mut installed = INSTALLED.lock().unwrap_or_else(PoisonError::into_inner);
    installed.users -= 1;
    if installed.users > 0 || std::thread::panicking() {
        return;
    }
    let Some(previous) = installed.previous.take() else {
        return;
    };
    // Dropping the wrapper releases its reference to the previous hook.
    drop(panic::take_hook());
    match Arc::try_unwrap(previous) {
        Ok(hook) => panic::set_hook(hook),
        Err(shared) => panic::set_hook(Box::new(move |info| shared(info))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_message() {
        assert_eq!(catch_silently(|| 42), Ok(42));
        let err = catch_silently(|| -> u8 { panic!("unsupported encoding GBK-EUC-H") });
        assert_eq!(err, Err("unsupported encoding GBK-EUC-H".to_string()));
        let err = catch_silently(|| -> u8 { panic!("{}", String::from("owned")) });
        assert_eq!(err, Err("owned".to_string()));
    }

    #[test]
    fn concurrent_calls_do_not_interfere() {
        let threads: Vec<_> = (0..8)
            .map(|i| {
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let r = catch_silently(|| {
                            if i % 2 == 0 {
                                panic!("boom")
                            }
                            i
                        });
                        assert_eq!(r.is_err(), i % 2 == 0);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}
