//! The Console view's terminal: its own wasm, loaded by the page only when
//! the view first opens (the page's wasm stays small), and its own client
//! of the port — a `MessagePort` to local mode's worker or a WebSocket to
//! the live server — as Kafka's tools are their own clients of a broker.
//!
//! On start it installs `window.kplayConsoleMount(root, endpoint,
//! bootstrap, registry, connect)`, which builds the terminal in `root`,
//! connects and returns a handle whose `close()` ends it. Everything the
//! tools do is [`kplay_console::Shell`]'s; this file only carries its
//! effects out: lines into the scrollback (as text, never HTML), commands
//! over the port, timers.

#[cfg(target_arch = "wasm32")]
mod terminal;

fn main() {
    #[cfg(target_arch = "wasm32")]
    terminal::install();
}
