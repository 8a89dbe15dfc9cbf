//! Scenarios in the page: local mode's whole engine state survives a
//! reload (the page keeps the engine's scenario in `localStorage`, saved
//! every second while it changes, and replays it when the page opens), can
//! be saved as a file, opened from one, or started afresh. The engine does
//! the work ([`port::scenario`]): it refuses a bad file with a reason and
//! keeps its state; the page shows the reason.
//!
//! A scenario can also travel as a link ([`crate::share`]): Share puts it
//! in the URL fragment, and a page opened from such a link starts from it.
//!
//! A live server's state is its own: the controls are not shown there.

use leptos::prelude::*;
use port::scenario::Scenario;
use port::{encode, Command, Mode, Reply};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use crate::link::{EngineLink, LinkStatus};

/// The `localStorage` key the scenario is kept under.
pub const STORAGE_KEY: &str = "kplay-scenario";

/// The largest file the page opens (its text must fit in one message).
const MAX_FILE_BYTES: f64 = 700_000.0;

/// How often the scenario is saved while the page is open.
const SAVE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// The seed a new scenario starts from.
const NEW_SEED: u64 = 2026;

/// Save, open and new; restores the kept scenario once the local engine
/// answers, then keeps it up to date.
#[component]
pub fn ScenarioMenu(
    /// The engine link.
    link: EngineLink,
) -> impl IntoView {
    let (message, set_message) = signal(None::<Result<String, String>>);
    let local =
        move || matches!(link.status().get(), LinkStatus::Ready(info) if info.mode == Mode::Local);
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        if !local() || started.get_value() {
            return;
        }
        started.set_value(true);
        match storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
            Some(text) => link.request(Command::ImportScenario { text }, move |result| {
                match result {
                    Ok(_) => set_message.set(Some(Ok("Your last session was restored.".into()))),
                    Err(e) => {
                        forget();
                        set_message.set(Some(Err(format!(
                            "Your last session could not be restored: {}",
                            e.message
                        ))));
                    }
                }
                open_shared(link, set_message);
                keep(link, set_message);
            }),
            None => {
                open_shared(link, set_message);
                keep(link, set_message);
            }
        }
    });
    // A scenario link pasted into this tab's address bar.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        if started.get_value() && local() {
            open_shared(link, set_message);
        }
    });
    let (shared, set_shared) = signal(None::<String>);
    let share = move |_| {
        link.request(Command::ExportScenario, move |result| match result {
            Ok(Reply::Scenario { text }) => crate::share::encode(&text, move |encoded| match encoded {
                Ok(encoded) => {
                    let location = window().location();
                    let hash = location.hash().unwrap_or_default();
                    let href = location.href().unwrap_or_default();
                    let base = href.split('#').next().unwrap_or_default();
                    let url = format!("{base}{}", crate::share::fragment_with(&hash, &encoded));
                    let _ = window().navigator().clipboard().write_text(&url);
                    set_message.set(Some(Ok(format!(
                        "A link that holds this whole scenario ({} characters) is copied; anyone who opens it starts from here.",
                        url.len()
                    ))));
                    set_shared.set(Some(url));
                }
                Err(e) => set_message.set(Some(Err(format!("No link: {e}.")))),
            }),
            Ok(_) => {}
            Err(e) => set_message.set(Some(Err(e.message))),
        });
    };
    let save = move |_| {
        link.request(Command::ExportScenario, move |result| match result {
            Ok(Reply::Scenario { text }) => match download(&text) {
                Ok(()) => set_message.set(Some(Ok("Saved kafka-playground-scenario.json.".into()))),
                Err(e) => set_message.set(Some(Err(e))),
            },
            Ok(_) => {}
            Err(e) => set_message.set(Some(Err(e.message))),
        });
    };
    let new = move |_| {
        let text = encode(&Scenario::new(NEW_SEED));
        link.request(Command::ImportScenario { text }, move |result| {
            set_message.set(Some(
                result
                    .map(|_| "A new scenario: an empty cluster, seed 2026.".to_owned())
                    .map_err(|e| e.message),
            ));
        });
    };
    let open = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if file.size() > MAX_FILE_BYTES {
            set_message.set(Some(Err(format!(
                "{} is too large to open: {} KB, at most 700 KB.",
                file.name(),
                crate::views::fixed(file.size() / 1_000.0, 0)
            ))));
            return;
        }
        let name = file.name();
        let on_text = Closure::once(move |text: JsValue| {
            let Some(text) = text.as_string() else { return };
            link.request(Command::ImportScenario { text }, move |result| {
                set_message.set(Some(
                    result
                        .map(|_| format!("Opened {name}."))
                        .map_err(|e| e.message),
                ));
            });
        });
        let _ = file.text().then(&on_text);
        on_text.forget();
    };
    view! {
        {move || local().then(|| view! {
            <div class="scenario" role="group" aria-label="Scenario" data-testid="scenario">
                <button type="button" data-testid="scenario-save" aria-label="Save the scenario to a file" on:click=save>"Save"</button>
                <label class="file-button" data-testid="scenario-open">"Open"
                    <input type="file" accept=".json,application/json" aria-label="Open a scenario file" on:change=open/>
                </label>
                <button type="button" data-testid="scenario-new" aria-label="Start a new scenario" on:click=new>"New"</button>
                <button type="button" data-testid="scenario-share" aria-label="Share the scenario as a link" on:click=share>"Share"</button>
            </div>
        })}
        {move || shared.get().map(|url| view! {
            <input class="share-link" readonly data-testid="share-link" aria-label="Link to this scenario" prop:value=url
                on:focus=move |ev| {
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }/>
        })}
        {move || message.get().map(|m| match m {
            Ok(text) => view! { <p class="scenario-message" role="status" data-testid="scenario-message">{text}</p> }.into_any(),
            Err(text) => view! { <p class="scenario-message error" role="alert" data-testid="scenario-message">{text}</p> }.into_any(),
        })}
    }
}

/// Opens the scenario a link carries in the URL fragment, if any, then
/// takes it out of the address bar (a reload keeps the learner's later
/// changes, not the link's start). A bad link says why and changes nothing.
fn open_shared(link: EngineLink, set_message: WriteSignal<Option<Result<String, String>>>) {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    let Some(encoded) = crate::share::scenario_in(&hash).map(str::to_owned) else {
        return;
    };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &JsValue::NULL,
            "",
            Some(crate::share::view_part(&hash)),
        );
    }
    let refused = move |reason: String| {
        set_message.set(Some(Err(format!(
            "The link's scenario could not be opened: {reason}. Nothing was changed."
        ))));
    };
    crate::share::decode(&encoded, move |text| match text {
        Ok(text) => link.request(
            Command::ImportScenario { text },
            move |result| match result {
                Ok(_) => set_message.set(Some(Ok("Opened the scenario from the link.".into()))),
                Err(e) => refused(e.message),
            },
        ),
        Err(reason) => refused(reason),
    });
}

/// Saves the engine's scenario every second from now on.
fn keep(link: EngineLink, set_message: WriteSignal<Option<Result<String, String>>>) {
    let last = StoredValue::new(String::new());
    let warned = StoredValue::new(false);
    let _ = set_interval_with_handle(
        move || {
            link.request(Command::ExportScenario, move |result| match result {
                Ok(Reply::Scenario { text }) if text != last.get_value() => {
                    let stored = storage().is_some_and(|s| s.set_item(STORAGE_KEY, &text).is_ok());
                    if stored {
                        last.set_value(text);
                    } else if !warned.get_value() {
                        warned.set_value(true);
                        set_message.set(Some(Err("This browser would not keep the session: it will not survive a reload.".into())));
                    }
                }
                Ok(_) => {}
                Err(e) if !warned.get_value() => {
                    warned.set_value(true);
                    set_message.set(Some(Err(e.message)));
                }
                Err(_) => {}
            });
        },
        SAVE_EVERY,
    );
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Drops the kept scenario (one that failed to restore).
fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

fn download(text: &str) -> Result<(), String> {
    crate::download::download("kafka-playground-scenario.json", "application/json", text)
}
