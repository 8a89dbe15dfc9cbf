//! The process's allocator: the system allocator, except that very large
//! requests are mapped lazily so an untrusted length cannot abort the
//! server.
//!
//! The `kafka-protocol` crate decodes an array by first reserving
//! `Vec::with_capacity(n)` for the length `n` the bytes announce, before
//! reading a single element. A 20-byte frame announcing 2^31 topics makes
//! it ask for tens of gigabytes; the system allocator refuses, and Rust
//! aborts the whole process on a failed allocation. Here any request of
//! [`LAZY_THRESHOLD`] or more is served by an anonymous `mmap` with
//! `MAP_NORESERVE`: address space only, no memory committed until pages
//! are touched. The decoder then fails on the missing elements, the
//! vector is dropped and unmapped, and only that connection is closed.
//! (A legitimately huge allocation still works; its pages are committed
//! as they are written.) On other systems, or for alignments above a
//! page, everything goes to the system allocator.

use std::alloc::{GlobalAlloc, Layout, System};

/// Requests of this many bytes or more are mapped lazily (1 GiB: nothing
/// the server holds legitimately comes near it in one piece).
pub const LAZY_THRESHOLD: usize = 1 << 30;

/// The allocator described in the module docs.
pub struct LazyLargeAlloc;

#[cfg(target_os = "linux")]
fn is_lazy(layout: Layout) -> bool {
    layout.size() >= LAZY_THRESHOLD && layout.align() <= 4096
}

#[cfg(not(target_os = "linux"))]
fn is_lazy(_layout: Layout) -> bool {
    false
}

// SAFETY: every method upholds GlobalAlloc's contract: small or oddly
// aligned layouts go to `System` unchanged; lazy ones are page-aligned
// anonymous mappings of at least `size` bytes (so any alignment up to a
// page holds), freed with `munmap` of the same size, which `dealloc` and
// `realloc` recompute from the layout the caller passes back.
unsafe impl GlobalAlloc for LazyLargeAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_lazy(layout) {
            // SAFETY: see the impl comment.
            unsafe { map(layout.size()) }
        } else {
            // SAFETY: forwarded unchanged.
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if is_lazy(layout) {
            // Anonymous mappings are zero-filled.
            // SAFETY: see the impl comment.
            unsafe { map(layout.size()) }
        } else {
            // SAFETY: forwarded unchanged.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_lazy(layout) {
            // SAFETY: `ptr` came from `map(layout.size())`.
            unsafe { unmap(ptr, layout.size()) }
        } else {
            // SAFETY: forwarded unchanged.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with this alignment is a
        // valid layout (GlobalAlloc::realloc's contract).
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if !is_lazy(layout) && !is_lazy(new_layout) {
            // SAFETY: forwarded unchanged.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // SAFETY: a fresh block, the overlap copied, the old block freed
        // through the path that allocated it.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(target_os = "linux")]
unsafe fn map(size: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping touches no existing memory.
    let ptr = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if ptr == libc::MAP_FAILED {
        std::ptr::null_mut()
    } else {
        ptr.cast()
    }
}

#[cfg(target_os = "linux")]
unsafe fn unmap(ptr: *mut u8, size: usize) {
    // SAFETY: `ptr`/`size` describe a mapping made by `map`.
    unsafe {
        libc::munmap(ptr.cast(), size);
    }
}

#[cfg(not(target_os = "linux"))]
unsafe fn map(_size: usize) -> *mut u8 {
    std::ptr::null_mut()
}

#[cfg(not(target_os = "linux"))]
unsafe fn unmap(_ptr: *mut u8, _size: usize) {}
