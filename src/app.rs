//! The page frame: the top bar (views, the mode badge, the clock) and the
//! current view.
//!
//! Navigation lives in the URL fragment (`#/producer`), so links can be
//! shared, the back button works, and the built site works unchanged when a
//! static server hosts it under any sub-path (`/play/`): no server routes.

use leptos::prelude::*;
use port::{ClockCommand, Command, Mode, Query, ViewModel};

use crate::link::{EngineLink, LinkStatus};
use crate::views::{format_time, View, ViewPage};

/// Name of the `performance.mark` set once the shell is mounted and
/// interactive; the end-to-end tests read it to time the load.
pub const INTERACTIVE_MARK: &str = "kplay:interactive";

/// Name of the mark set when the engine first welcomed the page.
pub const ENGINE_READY_MARK: &str = "kplay:engine-ready";

/// Starts the app in the browser: installs the panic hook (a panic shows up
/// in the console with its message instead of `unreachable`), mounts the
/// shell on `<body>` and marks the moment it became interactive.
pub fn start() {
    // Built with `-Cpanic=immediate-abort` (scripts/dist.sh), a panic stops
    // at once and never reaches a hook: the hook would only add its
    // formatting code to the page.
    #[cfg(not(panic = "immediate-abort"))]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
    mark(INTERACTIVE_MARK);
}

fn mark(name: &str) {
    if let Some(performance) = window().performance() {
        // A failed mark only costs a load-time figure; nothing to recover.
        let _ = performance.mark(name);
    }
}

/// The view named by the page's current URL fragment.
fn view_from_location() -> View {
    let hash = window().location().hash().unwrap_or_default();
    View::from_hash(&hash)
}

/// The whole app: the top bar and the view the URL fragment names.
#[component]
pub fn App() -> impl IntoView {
    let link = EngineLink::connect();
    provide_context(link);
    let (current, set_current) = signal(view_from_location());
    // The listener lives as long as the app: the handle is dropped without
    // removing it, which is what a root component wants.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        set_current.set(view_from_location());
    });
    let marked = StoredValue::new(false);
    Effect::new(move |_| {
        if matches!(link.status().get(), LinkStatus::Ready(_)) && !marked.get_value() {
            marked.set_value(true);
            mark(ENGINE_READY_MARK);
        }
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
                <ModeBadge link=link/>
                <ClockBar link=link/>
                <crate::scenario::ScenarioMenu link=link/>
            </header>
            {move || link.notice().get().map(|n| view! { <p class="notice" role="status" data-testid="notice">{n}</p> })}
            <main class="app-main">
                {move || match link.status().get() {
                    LinkStatus::Failed(reason) => Some(view! {
                        <div class="engine-failed" role="alert" data-testid="engine-failed">
                            <strong>"No engine answers. "</strong>{reason}
                        </div>
                    }),
                    _ => None,
                }}
                {move || view! { <ViewPage view=current.get()/> }}
            </main>
        </div>
    }
}

/// Which engine answers: "Local" (in this tab) or "Live" with the address
/// real clients use.
#[component]
fn ModeBadge(
    /// The engine link.
    link: EngineLink,
) -> impl IntoView {
    let text = move || match link.status().get() {
        LinkStatus::Connecting => (
            "connecting",
            "Starting the engine…".to_owned(),
            String::new(),
        ),
        LinkStatus::Failed(_) => ("failed", "No engine".to_owned(), String::new()),
        LinkStatus::Ready(info) => match info.mode {
            Mode::Local => ("local", "Local: engine in this tab".to_owned(), info.name),
            Mode::Live => {
                let address = info.bootstrap.clone().unwrap_or_default();
                (
                    "live",
                    format!("Live: bootstrap.servers={address}"),
                    info.name,
                )
            }
        },
    };
    view! {
        <span class=move || format!("mode-badge mode-{}", text().0) data-testid="mode-badge" title=move || text().2 role="status">
            {move || text().1}
        </span>
    }
}

/// The engine clock: its time, play / pause, step and speed. A live server
/// that follows the wall clock shows its time only.
#[component]
fn ClockBar(
    /// The engine link.
    link: EngineLink,
) -> impl IntoView {
    let clock = link.subscribe(Query::Clock);
    let (error, set_error) = signal(None::<String>);
    let model = move || match clock.get() {
        Some(ViewModel::Clock(c)) => Some(c),
        _ => None,
    };
    let send = move |command: Command| link.send(command, move |e| set_error.set(e));
    view! {
        <div class="clock" role="group" aria-label="Engine clock" data-testid="clock">
            <span class="clock-time" data-testid="clock-time" title="Engine time (UTC)">
                {move || model().map(|c| format_time(c.now)).unwrap_or_else(|| "--:--:--.---".into())}
            </span>
            {move || model().filter(|c| c.controllable).map(|c| {
                let running = c.running;
                view! {
                    <button
                        data-testid="clock-toggle"
                        aria-label=if running { "Pause" } else { "Play" }
                        on:click=move |_| send(Command::Clock(if running { ClockCommand::Pause } else { ClockCommand::Play }))
                    >
                        {if running { "❚❚" } else { "▶" }}
                    </button>
                    <button data-testid="step-1s" aria-label="Step 1 s" on:click=move |_| send(Command::Step { ms: 1_000 })>"+1 s"</button>
                    <button data-testid="step-10s" aria-label="Step 10 s" on:click=move |_| send(Command::Step { ms: 10_000 })>"+10 s"</button>
                    <select
                        aria-label="Speed"
                        data-testid="clock-speed"
                        on:change=move |ev| {
                            if let Ok(factor) = event_target_value(&ev).parse::<f64>() {
                                send(Command::Clock(ClockCommand::Speed { factor }));
                            }
                        }
                    >
                        {[(0.1, "0.1"), (0.25, "0.25"), (1.0, "1"), (5.0, "5"), (20.0, "20"), (100.0, "100")].into_iter().map(|(f, text)| view! {
                            <option value=text selected=(f - c.speed).abs() < 1e-9>{format!("{text}×")}</option>
                        }).collect_view()}
                    </select>
                    {c.seed.map(|seed| view! {
                        <span class="muted clock-seed" data-testid="clock-seed" title="The same seed and the same actions replay exactly">{format!("seed {seed}")}</span>
                    })}
                }
            })}
            {move || model().filter(|c| !c.controllable).map(|_| view! {
                <span class="muted clock-live">"follows the wall clock"</span>
            })}
            {move || error.get().map(|e| view! { <span class="error" role="alert">{e}</span> })}
        </div>
    }
}
