//! Writing to a standard output that may be closed early (`hsl check | head`).

/// Makes a write to a closed pipe end the process quietly, as it does for
/// other command-line tools, instead of failing every later `print!`.
pub fn exit_quietly_on_closed_pipe() {
    #[cfg(unix)]
    {
        const SIGPIPE: i32 = 13;
        const SIG_DFL: usize = 0;
        unsafe extern "C" {
            fn signal(signum: i32, handler: usize) -> usize;
        }
        // SAFETY: restoring the default disposition of SIGPIPE before any
        // thread is started; the previous handler is not needed.
        unsafe {
            signal(SIGPIPE, SIG_DFL);
        }
    }
}
