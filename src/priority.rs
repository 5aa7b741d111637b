//! CPU priority of batch work. On two cores a billing run's renderers and its database
//! backends would otherwise take as much CPU as the portal's requests, and a customer's page
//! waits behind a PDF. Lowering the batch's priority (Unix nice) leaves it every cycle the
//! portal does not need.
//!
//! Linux keeps a nice value per thread, and a new thread starts with its creator's: lowering
//! the thread that starts a batch lowers every worker and renderer it spawns.

use std::io;

/// Lowers the calling thread's priority to `nice` (0-19), and with it every thread it starts
/// from now on. A thread already at `nice` or lower is left as it is: this never raises a
/// priority (an operator's `nice -n 15 kontor billing run` stays at 15).
pub fn lower_this_thread(nice: i32) -> io::Result<()> {
    lower(Target::ThisThread, nice)
}

/// Lowers another process's priority, e.g. the database backend of a batch connection on this
/// machine. Refused (permission) unless it runs as the same user or Kontor runs as root.
pub fn lower_process(pid: i32, nice: i32) -> io::Result<()> {
    lower(Target::Process(pid), nice)
}

/// The calling thread's nice value.
pub fn this_thread() -> io::Result<i32> {
    get(Target::ThisThread)
}

#[derive(Debug, Clone, Copy)]
enum Target {
    ThisThread,
    Process(i32),
}

fn lower(target: Target, nice: i32) -> io::Result<()> {
    if nice <= get(target)? {
        return Ok(());
    }
    set(target, nice)
}

#[cfg(target_os = "linux")]
fn id(target: Target) -> libc::id_t {
    match target {
        // SAFETY: gettid has no preconditions and cannot fail.
        Target::ThisThread => (unsafe { libc::gettid() }) as libc::id_t,
        Target::Process(pid) => pid as libc::id_t,
    }
}

#[cfg(target_os = "linux")]
fn get(target: Target) -> io::Result<i32> {
    // -1 is a valid nice value, so errno (cleared first) tells a failure apart.
    // SAFETY: __errno_location points at this thread's errno; getpriority only reads its
    // arguments.
    let nice = unsafe {
        *libc::__errno_location() = 0;
        libc::getpriority(libc::PRIO_PROCESS, id(target))
    };
    match io::Error::last_os_error() {
        error if nice == -1 && error.raw_os_error() != Some(0) => Err(error),
        _ => Ok(nice),
    }
}

#[cfg(target_os = "linux")]
fn set(target: Target, nice: i32) -> io::Result<()> {
    // SAFETY: setpriority only reads its arguments.
    match unsafe { libc::setpriority(libc::PRIO_PROCESS, id(target), nice) } {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

// Elsewhere PRIO_PROCESS names whole processes, not threads: batch work keeps its priority.
#[cfg(not(target_os = "linux"))]
fn get(_: Target) -> io::Result<i32> {
    Ok(0)
}

#[cfg(not(target_os = "linux"))]
fn set(_: Target, _: i32) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "thread priorities need Linux"))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_lowered_thread_passes_its_priority_to_the_threads_it_starts_and_never_rises() {
        // A thread of its own, so the test runner's threads keep their priority.
        let (start, own, child, after_raise_attempt) = std::thread::spawn(|| {
            let start = this_thread().unwrap();
            lower_this_thread((start + 3).min(19)).unwrap();
            let own = this_thread().unwrap();
            let child = std::thread::spawn(|| this_thread().unwrap()).join().unwrap();
            lower_this_thread(start).unwrap();
            (start, own, child, this_thread().unwrap())
        })
        .join()
        .unwrap();
        assert_eq!(own, (start + 3).min(19));
        assert_eq!(child, own, "a new thread starts at its creator's priority");
        assert_eq!(after_raise_attempt, own, "asking for a higher priority changes nothing");
    }

    #[test]
    fn a_process_that_does_not_exist_is_an_error_not_a_silent_success() {
        // Linux pids stay below 2^22.
        assert!(lower_process(i32::MAX, 10).is_err());
    }
}
