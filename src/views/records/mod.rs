//! The record browser: a window of one partition's records, as a consumer
//! would read them (up to the high watermark), with the log-start offset
//! and high watermark around it. Jump to an offset, page through, or
//! follow the newest records (live tail). Only the window travels: the
//! view subscribes to [`Query::Records`] for the records it shows.
//!
//! Record content is untrusted: keys, values and headers are rendered as
//! text (never as HTML), cut at the port's limit with the full length said.

use leptos::prelude::*;
use port::{Query, RecordModel, Text, ViewModel};

use crate::link::EngineLink;
use crate::views::format_time;

mod wire;
pub use wire::WireInspector;

/// Records per window.
const WINDOW: u32 = 50;

/// The browser for `topic`-`partition`; `on_close` hides it.
#[component]
pub fn RecordBrowser(
    /// The engine link.
    link: EngineLink,
    /// The topic.
    topic: String,
    /// The partition.
    partition: i32,
    /// Called by the close button.
    on_close: Callback<()>,
) -> impl IntoView {
    // `None` follows the newest records; `Some(offset)` starts there.
    let (from, set_from) = signal(None::<i64>);
    let (jump, set_jump) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    // The record whose batch's bytes are shown.
    let chosen = RwSignal::new(None::<i64>);
    let title = format!("{topic}-{partition}");
    let window_topic = topic.clone();
    let wire_topic = topic.clone();
    view! {
        <section class="records" data-testid="record-browser" aria-label=format!("Records of {title}")>
            <header class="records-head">
                <h4>"Records of " <code>{title.clone()}</code></h4>
                <label class="toggle">
                    <input type="checkbox" data-testid="live-tail" prop:checked=move || from.get().is_none()
                        on:change=move |ev| set_from.set(if event_target_checked(&ev) { None } else { Some(0) })/>
                    " Live tail (follow new records)"
                </label>
                <form class="jump" aria-label="Jump to an offset" on:submit=move |ev| {
                    ev.prevent_default();
                    match jump.get().trim().parse::<i64>() {
                        Ok(offset) if offset >= 0 => { set_error.set(None); set_from.set(Some(offset)); }
                        _ => set_error.set(Some("An offset is a whole number, 0 or more.".into())),
                    }
                }>
                    <label>"Offset " <input data-testid="jump-offset" aria-label="Jump to offset" size="8" inputmode="numeric"
                        prop:value=jump on:input=move |ev| set_jump.set(event_target_value(&ev))/></label>
                    <button type="submit">"Go"</button>
                </form>
                <button type="button" data-testid="close-records" aria-label=format!("Close the records of {title}") on:click=move |_| on_close.run(())>"✕"</button>
            </header>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || {
                let query = Query::Records { topic: window_topic.clone(), partition, from_offset: from.get(), limit: WINDOW };
                view! { <RecordWindow link=link query=query set_from=set_from chosen=chosen/> }
            }}
            {move || chosen.get().map(|offset| view! {
                <WireInspector link=link topic=wire_topic.clone() partition=partition offset=offset on_close=Callback::new(move |()| chosen.set(None))/>
            })}
        </section>
    }
}

/// One window: a subscription to `query` for as long as it is shown.
#[component]
fn RecordWindow(link: EngineLink, query: Query, set_from: WriteSignal<Option<i64>>, chosen: RwSignal<Option<i64>>) -> impl IntoView {
    let model = link.subscribe(query);
    move || match model.get() {
        None => view! { <p class="muted">"Reading…"</p> }.into_any(),
        Some(ViewModel::Unavailable { reason }) => view! { <p class="error" role="alert">{reason}</p> }.into_any(),
        Some(ViewModel::Records(window)) => {
            let first = window.records.first().map(|r| r.offset);
            let last = window.records.last().map(|r| r.offset);
            let (start, hw) = (window.log_start_offset, window.high_watermark);
            let summary = match (first, last) {
                (Some(a), Some(b)) => format!("offsets {a}–{b} of {start}–{} (log-start offset {start}, high watermark {hw})", hw - 1),
                _ if hw == start => format!("empty: log-start offset {start} = high watermark {hw}; produce some records"),
                _ => format!("nothing here: records are at offsets {start}–{}", hw - 1),
            };
            let earlier = first.filter(|f| *f > start).map(|f| (f - i64::from(WINDOW)).max(start));
            let later = last.filter(|l| *l + 1 < hw).map(|l| l + 1);
            view! {
                <p class="records-summary muted" data-testid="records-summary">{summary}</p>
                <div class="records-paging">
                    <button type="button" data-testid="records-earlier" disabled=earlier.is_none()
                        on:click=move |_| if let Some(o) = earlier { set_from.set(Some(o)); }>"◀ Earlier"</button>
                    <button type="button" data-testid="records-later" disabled=later.is_none()
                        on:click=move |_| if let Some(o) = later { set_from.set(Some(o)); }>"Later ▶"</button>
                </div>
                <table class="records-table">
                    <thead><tr>
                        <th scope="col">"Offset"</th><th scope="col">"Timestamp"</th><th scope="col">"Key"</th>
                        <th scope="col">"Value"</th><th scope="col">"Headers"</th>
                    </tr></thead>
                    <tbody>{window.records.into_iter().map(|r| view! { <RecordRow record=r chosen=chosen/> }).collect_view()}</tbody>
                </table>
            }
            .into_any()
        }
        Some(_) => view! { <p class="error">"The engine answered with another model."</p> }.into_any(),
    }
}

/// One record: untrusted bytes as text.
#[component]
fn RecordRow(record: RecordModel, chosen: RwSignal<Option<i64>>) -> impl IntoView {
    let tint = record.key.as_ref().map_or(8, |k| key_tint(&k.text));
    let offset = record.offset;
    view! {
        <tr data-testid=format!("record-{offset}") class:chosen=move || chosen.get() == Some(offset)>
            <td class="num offset">
                {offset}" "
                <button type="button" class="bytes-button" aria-label=format!("Show the bytes of offset {offset}")
                    aria-pressed=move || (chosen.get() == Some(offset)).to_string()
                    on:click=move |_| chosen.set(Some(offset))>"bytes"</button>
            </td>
            <td class="num" title=record.timestamp.to_string()>{format_time(record.timestamp)}</td>
            <td class=format!("key key-{tint}")>{shown(record.key.as_ref(), "null")}</td>
            <td class="value">{shown(record.value.as_ref(), "null (a tombstone)")}</td>
            <td class="headers">{record.headers.iter().map(|(k, v)| format!("{k}={}", shown(Some(v), ""))).collect::<Vec<_>>().join(", ")}</td>
        </tr>
    }
}

/// The text of a key or value, with its full length when cut.
fn shown(text: Option<&Text>, none: &str) -> String {
    match text {
        None => none.to_owned(),
        Some(t) if t.cut => format!("{}… ({} bytes)", t.text, t.bytes),
        Some(t) => t.text.clone(),
    }
}

/// The same key, the same tint (one of the eight identity colours).
fn key_tint(key: &str) -> u32 {
    key.bytes().fold(2_166_136_261_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619)) % 8
}
