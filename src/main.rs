fn main() -> std::process::ExitCode {
    // Like every Unix tool: `kontor invoice list | head` ends quietly when head has enough.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    kontor::cli::run()
}
