//! The page frame: header, navigation between views and the current view.
//!
//! Navigation lives in the URL fragment (`#/producer`), so links can be
//! shared, the back button works, and the built site works unchanged when a
//! static server hosts it under any sub-path (`/play/`): no server routes.

use leptos::prelude::*;

use crate::engine_state::EngineHandle;
use crate::views::{View, ViewPage};

/// The engine's seed: the same seed and the same clicks give the same run.
const SEED: u64 = 2026;

/// Name of the `performance.mark` set once the shell is mounted and
/// interactive; the end-to-end tests read it to time the load.
pub const INTERACTIVE_MARK: &str = "kplay:interactive";

/// Starts the app in the browser: installs the panic hook (a panic shows up
/// in the console with its message instead of `unreachable`), mounts the
/// shell on `<body>` and marks the moment it became interactive.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
    if let Some(performance) = window().performance() {
        // A failed mark only costs the load-time figure; nothing to recover.
        let _ = performance.mark(INTERACTIVE_MARK);
    }
}

/// The view named by the page's current URL fragment.
fn view_from_location() -> View {
    let hash = window().location().hash().unwrap_or_default();
    View::from_hash(&hash)
}

/// The whole app: header with the product name, navigation to every view,
/// and the view the URL fragment names.
#[component]
pub fn App() -> impl IntoView {
    provide_context(EngineHandle::new(SEED));
    let (current, set_current) = signal(view_from_location());
    // The listener lives as long as the app: the handle is dropped without
    // removing it, which is what a root component wants.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        set_current.set(view_from_location());
    });

    view! {
        <div class="app" data-testid="app">
            <header class="app-header">
                <h1 class="brand">
                    <img class="brand-logo" src="static/logo.svg" alt="" width="28" height="28"/>
                    "Kafka Playground"
                </h1>
                <nav class="app-nav" aria-label="Views" data-testid="nav">
                    {View::ALL
                        .into_iter()
                        .map(|view| {
                            view! {
                                <a
                                    href=view.href()
                                    data-testid=format!("nav-{}", view.slug())
                                    aria-current=move || (current.get() == view).then_some("page")
                                >
                                    {view.title()}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
            </header>
            <main class="app-main">
                {move || view! { <ViewPage view=current.get()/> }}
            </main>
        </div>
    }
}
