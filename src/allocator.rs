//! How the allocator returns memory: at once, in small pages.
//!
//! mimalloc (the binary's allocator, for speed: reading contracts makes many small
//! allocations) keeps memory it freed for a second before giving it back (its `purge_delay`,
//! ten seconds for whole arenas), and on a system with transparent huge pages always on, a
//! touched byte of an arena holds two megabytes. A pactum command runs for a second or less, so
//! what it freed was never given back: `approvals` over 20,000 commits peaked at three times
//! `git log`'s memory, most of it freed already. Purging at once and small pages halve the
//! peak of `check`, `approvals` and `report`, at no measurable cost in time.

/// mimalloc's `purge_delay` option, in the numbering of the mimalloc (v3) that `libmimalloc-sys`
/// builds: `mi_option_e` in its `mimalloc.h`. The test below holds the number to the option's
/// name, through the environment variable mimalloc reads for it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Give freed memory back at once, and keep the process off transparent huge pages. Called
/// first thing in `main`.
pub fn return_memory_promptly() {
    // An explicit setting of the environment's wins (`MIMALLOC_PURGE_DELAY`).
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        set(PURGE_DELAY, 0);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        // A kernel without the setting (before Linux 3.15) keeps its default: nothing lost.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

#[allow(unsafe_code)]
fn set(option: libmimalloc_sys::mi_option_t, value: std::ffi::c_long) {
    // SAFETY: `mi_option_set` stores a number in mimalloc's table of options, which every
    // thread reads atomically; it takes no pointer and cannot fail.
    unsafe { libmimalloc_sys::mi_option_set(option, value) }
}

#[cfg(test)]
#[allow(unsafe_code)]
fn get(option: libmimalloc_sys::mi_option_t) -> std::ffi::c_long {
    // SAFETY: as `set`: reads a number from the table.
    unsafe { libmimalloc_sys::mi_option_get(option) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// mimalloc reads `MIMALLOC_PURGE_DELAY` for its option named `purge_delay`: in a process
    /// started with it set, the option numbered [`PURGE_DELAY`] holds its value, so the number is
    /// that option's and no other's. (Run again as its own process, since mimalloc reads the
    /// environment once.)
    #[test]
    fn the_option_set_is_purge_delay() {
        const PROBE: &str = "PACTUM_ALLOCATOR_PROBE";
        if std::env::var_os(PROBE).is_some() {
            assert_eq!(get(PURGE_DELAY), 7_777);
            return;
        }
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "allocator::tests::the_option_set_is_purge_delay", "--test-threads=1"])
            .env(PROBE, "1")
            .env("MIMALLOC_PURGE_DELAY", "7777")
            .status()
            .unwrap();
        assert!(status.success(), "option {PURGE_DELAY} is not mimalloc's purge_delay");
    }
}
