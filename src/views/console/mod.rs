//! The Console view: Kafka's command-line tools and curl in a terminal.
//!
//! The terminal is its own wasm (`crates/console`, built by Trunk beside
//! the page as `kplay-console.js`), fetched the first time this view
//! opens, so the page's own wasm stays within its budget. It is its own
//! client of the port, on a connection of its own to the engine the page
//! uses (which the link exposes as `window.kplayEngine`); this view only
//! gives it a place and ends it when the view closes.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

// The loader keeps the terminal's handle itself: the Rust side holds no
// state for it (each reactive value or node reference of a new type costs
// the page's wasm code).
#[wasm_bindgen(inline_js = r#"
let current = null;
export function mount_console() {
  if (current) return;
  current = new Promise((resolve) => requestAnimationFrame(resolve))
    .then(() => import(new URL("kplay-console.js", document.baseURI).href))
    .then(async (module) => {
      await module.default();
      const root = document.querySelector("[data-testid=console]");
      return root && window.kplayConsoleMount(root, window.kplayEngine);
    })
    .catch((error) => {
      const root = document.querySelector("[data-testid=console]");
      if (root) root.textContent = "The console did not load: " + error;
      return null;
    });
}
export function close_console() {
  const terminal = current;
  current = null;
  if (terminal) terminal.then((t) => t && t.close());
  document.querySelector("[data-testid=console]")?.replaceChildren();
}
"#)]
extern "C" {
    /// Loads the terminal's wasm (`kplay-console.js`) and builds the
    /// terminal in the view once it is in the page.
    fn mount_console();
    /// Ends the terminal and takes its nodes out of the view.
    fn close_console();
}

/// The Console view: a terminal running Kafka's tools against the engine.
#[component]
pub fn ConsoleView() -> impl IntoView {
    mount_console();
    on_cleanup(close_console);
    // No children of Leptos's own: the terminal's nodes are the loader's,
    // and it takes them out again when the view closes. Until the terminal
    // is in, the CSS says it is loading.
    view! { <div class="console-host" data-testid="console"></div> }
}
