//! The record browser: a window of one partition's records, as a consumer
//! would read them (up to the high watermark), with the log-start offset
//! and high watermark around it. Jump to an offset, page through, or
//! follow the newest records (live tail). Only the window travels: the
//! view subscribes to [`Query::Records`] for the records it shows.
//!
//! Record content is untrusted: keys, values and headers are rendered as
//! text (never as HTML), cut at the port's limit with the full length said.

use leptos::prelude::*;
use port::{Command, NewRecord, Query, RecordModel, RecordsModel, Reply, Text, ViewModel};

use crate::download::{csv_field, download, json_string};
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
    // Text the shown records' key, value or a header must contain.
    let filter = RwSignal::new(String::new());
    let title = format!("{topic}-{partition}");
    let window_topic = topic.clone();
    let jump_topic = topic.clone();
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
                <form class="jump" aria-label="Jump to an offset or a time" on:submit=move |ev| {
                    ev.prevent_default();
                    let text = jump.get();
                    let text = text.trim();
                    if let Ok(offset) = text.parse::<i64>() {
                        if offset >= 0 {
                            set_error.set(None);
                            set_from.set(Some(offset));
                        } else {
                            set_error.set(Some("An offset is a whole number, 0 or more.".into()));
                        }
                    } else if let Some(timestamp) = crate::views::parse_datetime(text) {
                        // ListOffsets by time, as a consumer's offsetsForTimes().
                        link.request(Command::ListOffsets { topic: jump_topic.clone(), partition, timestamp }, move |reply| match reply {
                            Ok(Reply::ListedOffset { offset: Some(offset) }) => { set_error.set(None); set_from.set(Some(offset)); }
                            Ok(_) => set_error.set(Some(format!("No record at or after {} UTC yet.", format_time(timestamp)))),
                            Err(e) => set_error.set(Some(e.message)),
                        });
                    } else {
                        set_error.set(Some("An offset (a whole number) or a time as YYYY-MM-DDTHH:mm:SS (UTC).".into()));
                    }
                }>
                    <label>"Offset or time " <input data-testid="jump-offset" aria-label="Jump to offset or time" size="16"
                        placeholder="42 or 2026-01-01T00:00:05" prop:value=jump on:input=move |ev| set_jump.set(event_target_value(&ev))/></label>
                    <button type="submit">"Go"</button>
                </form>
                <label>"Filter " <input type="search" aria-label="Records whose key, value or header contains" size="14"
                    placeholder="key, value, header" prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/></label>
                <button type="button" data-testid="close-records" aria-label=format!("Close the records of {title}") on:click=move |_| on_close.run(())>"✕"</button>
            </header>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || {
                let query = Query::Records { topic: window_topic.clone(), partition, from_offset: from.get(), limit: WINDOW };
                view! { <RecordWindow link=link query=query set_from=set_from chosen=chosen filter=filter/> }
            }}
            {move || chosen.get().map(|offset| view! {
                <WireInspector link=link topic=wire_topic.clone() partition=partition offset=offset on_close=Callback::new(move |()| chosen.set(None))/>
            })}
        </section>
    }
}

/// How often the record table may change (see [`RecordWindow`]).
const TABLE_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// One window: a subscription to `query` for as long as it is shown.
#[component]
fn RecordWindow(
    link: EngineLink,
    query: Query,
    set_from: WriteSignal<Option<i64>>,
    chosen: RwSignal<Option<i64>>,
    filter: RwSignal<String>,
) -> impl IntoView {
    // A table is read, not watched: under a heavy live tail (hundreds of
    // records a second) it changes at most every TABLE_EVERY, while the
    // strips above it move every frame. Measured: the Partitions view
    // under 5,000 records/s went from a p95 frame of 33 ms to 17 ms.
    // Where the window was asked to start (none: the newest records).
    let asked_from = match &query {
        Query::Records { from_offset, .. } => *from_offset,
        _ => None,
    };
    let model = crate::link::at_most_every(link.subscribe(query), TABLE_EVERY);
    // The record being produced again (as it is, or edited).
    let again = RwSignal::new(None::<RecordModel>);
    let (notice, set_notice) = signal(None::<Result<String, String>>);
    // The window, and the records of it the filter lets through: rows are
    // keyed by offset, so a live tail adds the new rows and drops the old
    // ones instead of rebuilding the table each frame.
    let window = Memo::new(move |_| match model.get() {
        Some(ViewModel::Records(w)) => Some(w),
        _ => None,
    });
    let shown = Memo::new(move |_| {
        let needle = filter.get().to_ascii_lowercase();
        window.with(|w| {
            w.as_ref()
                .map(|w| {
                    w.records
                        .iter()
                        .filter(|r| matches(r, &needle))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let paging = Memo::new(move |_| {
        window.with(|w| {
            let w = w.as_ref()?;
            let (first, last) = (
                w.records.first().map(|r| r.offset),
                w.records.last().map(|r| r.offset),
            );
            let (start, hw) = (w.log_start_offset, w.high_watermark);
            let summary = match (first, last) {
                (Some(a), Some(b)) => format!(
                    "offsets {a}–{b} of {start}–{} (log-start offset {start}, high watermark {hw})",
                    hw - 1
                ),
                _ if hw == start => format!(
                    "empty: log-start offset {start} = high watermark {hw}; produce some records"
                ),
                _ => format!("nothing here: records are at offsets {start}–{}", hw - 1),
            };
            let earlier = first
                .filter(|f| *f > start)
                .map(|f| (f - i64::from(WINDOW)).max(start));
            let later = last.filter(|l| *l + 1 < hw).map(|l| l + 1);
            // Offsets compaction left empty: within the window, offsets
            // are contiguous unless records were cleaned away.
            let held = i64::try_from(w.records.len()).unwrap_or(0);
            let gaps = match (first, last) {
                // A window that is not full holds every record from where
                // it was asked to start (the log start for the newest
                // records): offsets missing before its first record are
                // gone too.
                (Some(_), Some(b)) if held < i64::from(WINDOW) => {
                    b - asked_from.unwrap_or(start).max(start) + 1 - held
                }
                (Some(a), Some(b)) => b - a + 1 - held,
                _ => 0,
            };
            let summary = if gaps > 0 {
                format!("{summary}; {gaps} offset(s) in between are gone: compaction kept only each key's newest record")
            } else {
                summary
            };
            Some((summary, earlier, later, w.records.len()))
        })
    });
    let export = move |json: bool| {
        let (Some(w), rows) = (window.get_untracked(), shown.get_untracked()) else {
            return;
        };
        let saved = if json {
            download(
                &file_name(&w, "json"),
                "application/json",
                &to_json(&w, &rows),
            )
            .map(|()| "Saved as JSON.".to_owned())
        } else {
            download(&file_name(&w, "csv"), "text/csv", &to_csv(&w, &rows))
                .map(|()| "Saved as CSV.".to_owned())
        };
        set_notice.set(Some(saved));
    };
    let page = move |later: bool| {
        if let Some((_, earlier, next, _)) = paging.get_untracked() {
            if let Some(o) = if later { next } else { earlier } {
                set_from.set(Some(o));
            }
        }
    };
    view! {
        {move || match model.get() {
            None => Some(view! { <p class="muted">"Reading…"</p> }.into_any()),
            Some(ViewModel::Unavailable { reason }) => Some(view! { <p class="error" role="alert">{reason}</p> }.into_any()),
            Some(ViewModel::Records(_)) => None,
            Some(_) => Some(view! { <p class="error">"The engine answered with another model."</p> }.into_any()),
        }}
        <Show when=move || window.with(Option::is_some)>
            <p class="records-summary muted" data-testid="records-summary">{move || paging.get().map(|p| p.0)}</p>
            {move || {
                let needle = filter.get();
                let total = paging.get().map_or(0, |p| p.3);
                (!needle.is_empty()).then(|| view! {
                    <p class="muted" data-testid="records-matching">{format!("{} of these {total} records match the filter", shown.with(Vec::len))}</p>
                })
            }}
            <div class="records-paging">
                <button type="button" data-testid="export-json" aria-label="Export the records shown as JSON" on:click=move |_| export(true)>"Export JSON"</button>
                <button type="button" data-testid="export-csv" aria-label="Export the records shown as CSV" on:click=move |_| export(false)>"Export CSV"</button>
                <button type="button" data-testid="records-earlier" disabled=move || paging.get().is_none_or(|p| p.1.is_none())
                    on:click=move |_| page(false)>"◀ Earlier"</button>
                <button type="button" data-testid="records-later" disabled=move || paging.get().is_none_or(|p| p.2.is_none())
                    on:click=move |_| page(true)>"Later ▶"</button>
            </div>
            <table class="records-table">
                <thead><tr>
                    <th scope="col">"Offset"</th><th scope="col">"Timestamp"</th><th scope="col">"Key"</th>
                    <th scope="col">"Value"</th><th scope="col">"Headers"</th>
                </tr></thead>
                <tbody>
                    <For each=move || shown.get() key=|r| r.offset children=move |r| view! { <RecordRow record=r chosen=chosen again=again/> }/>
                </tbody>
            </table>
        </Show>
        {move || again.get().and_then(|r| window.with_untracked(|w| w.as_ref().map(|w| (w.topic.clone(), w.partition))).map(|(topic, partition)| view! {
            <ProduceAgain link=link topic=topic partition=partition record=r again=again set_notice=set_notice/>
        }))}
        {move || notice.get().map(|n| match n {
            Ok(t) => view! { <p class="muted" role="status" data-testid="records-notice">{t}</p> }.into_any(),
            Err(e) => view! { <p class="error" role="alert" data-testid="records-notice">{e}</p> }.into_any(),
        })}
    }
}

/// One record: untrusted bytes as text.
#[component]
fn RecordRow(
    record: RecordModel,
    chosen: RwSignal<Option<i64>>,
    again: RwSignal<Option<RecordModel>>,
) -> impl IntoView {
    let tint = record.key.as_ref().map_or(8, |k| key_tint(&k.text));
    let offset = record.offset;
    let copy = record.clone();
    view! {
        <tr data-testid=format!("record-{offset}") class:chosen=move || chosen.get() == Some(offset)>
            <td class="num offset">
                {offset}" "
                <button type="button" class="bytes-button" aria-label=format!("Show the bytes of offset {offset}")
                    aria-pressed=move || (chosen.get() == Some(offset)).to_string()
                    on:click=move |_| chosen.set(Some(offset))>"bytes"</button>
                <button type="button" class="bytes-button" aria-label=format!("Produce offset {offset} again")
                    on:click=move |_| again.set(Some(copy.clone()))>"again"</button>
            </td>
            <td class="num" title=record.timestamp.to_string()>{format_time(record.timestamp)}</td>
            <td class=format!("key key-{tint}")>{shown(record.key.as_ref(), "null")}</td>
            <td class="value">
                {shown(record.value.as_ref(), "null (a tombstone)")}
                // An internal topic's record as Kafka's formatter prints it.
                {record.decoded.clone().map(|d| view! { <code class="decoded" data-testid="decoded" title="As kafka-console-consumer's OffsetsMessageFormatter prints it">{d}</code> })}
            </td>
            <td class="headers">{record.headers.iter().map(|(k, v)| format!("{k}={}", shown(Some(v), ""))).collect::<Vec<_>>().join(", ")}</td>
        </tr>
    }
}

/// A form to produce a record again, as it is or edited: the same key goes
/// to the same partition (murmur2); a record without a key to this one.
#[component]
fn ProduceAgain(
    link: EngineLink,
    topic: String,
    partition: i32,
    record: RecordModel,
    again: RwSignal<Option<RecordModel>>,
    set_notice: WriteSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let key = RwSignal::new(
        record
            .key
            .as_ref()
            .map(|k| k.text.clone())
            .unwrap_or_default(),
    );
    let value = RwSignal::new(
        record
            .value
            .as_ref()
            .map(|v| v.text.clone())
            .unwrap_or_default(),
    );
    let keyless = record.key.is_none();
    let cut =
        record.key.as_ref().is_some_and(|k| k.cut) || record.value.as_ref().is_some_and(|v| v.cut);
    let headers: Vec<(String, String)> = record
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.text.clone()))
        .collect();
    let offset = record.offset;
    let produce = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key_text = key.get_untracked();
        let new = NewRecord {
            key: (!(keyless && key_text.is_empty())).then_some(key_text),
            value: Some(value.get_untracked()),
            headers: headers.clone(),
        };
        let target = new.key.is_none().then_some(partition);
        link.request(
            Command::Produce {
                topic: topic.clone(),
                partition: target,
                records: vec![new],
            },
            move |result| {
                set_notice.set(Some(match result {
                    Ok(port::Reply::Produced { deliveries }) => Ok(deliveries
                        .first()
                        .map(|(p, o)| {
                            format!(
                                "Produced again: partition {p}, offset {}.",
                                o.map_or_else(|| "pending".to_owned(), |o| o.to_string())
                            )
                        })
                        .unwrap_or_default()),
                    Ok(_) => Ok(String::new()),
                    Err(e) => Err(e.message),
                }));
                again.set(None);
            },
        );
    };
    view! {
        <form class="produce-again" aria-label=format!("Produce offset {offset} again") on:submit=produce>
            <strong>{format!("Produce offset {offset} again")}</strong>
            <label>"key " <input aria-label="key to produce" size="14" prop:value=key on:input=move |ev| key.set(event_target_value(&ev))/></label>
            <label>"value " <input aria-label="value to produce" size="28" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/></label>
            <button type="submit" data-testid="produce-again">"Produce"</button>
            <button type="button" on:click=move |_| again.set(None)>"Cancel"</button>
            {cut.then(|| view! { <span class="muted">"This record was cut for display: what is shown is what will be sent."</span> })}
        </form>
    }
}

/// Whether a record's key, value or a header contains `needle` (lower-case
/// ASCII; empty matches all).
fn matches(r: &RecordModel, needle: &str) -> bool {
    let has = |t: &Text| t.text.to_ascii_lowercase().contains(needle);
    needle.is_empty()
        || r.key.as_ref().is_some_and(has)
        || r.value.as_ref().is_some_and(has)
        || r.decoded
            .as_ref()
            .is_some_and(|d| d.to_ascii_lowercase().contains(needle))
        || r.headers
            .iter()
            .any(|(k, v)| k.to_ascii_lowercase().contains(needle) || has(v))
}

fn file_name(w: &RecordsModel, ext: &str) -> String {
    format!("{}-{}-records.{ext}", w.topic, w.partition)
}

/// The records shown as a JSON array (keys and values as shown: text).
fn to_json(w: &RecordsModel, rows: &[RecordModel]) -> String {
    let text = |t: Option<&Text>| t.map_or_else(|| "null".to_owned(), |t| json_string(&t.text));
    let items: Vec<String> = rows
        .iter()
        .map(|r| {
            let headers: Vec<String> = r.headers.iter().map(|(k, v)| format!("{}:{}", json_string(k), json_string(&v.text))).collect();
            format!(
                "{{\"topic\":{},\"partition\":{},\"offset\":{},\"timestamp\":{},\"key\":{},\"value\":{},\"headers\":{{{}}}}}",
                json_string(&w.topic),
                w.partition,
                r.offset,
                r.timestamp,
                text(r.key.as_ref()),
                text(r.value.as_ref()),
                headers.join(",")
            )
        })
        .collect();
    format!("[{}]\n", items.join(",\n"))
}

/// The records shown as CSV with a header row.
fn to_csv(w: &RecordsModel, rows: &[RecordModel]) -> String {
    let mut out = String::from("topic,partition,offset,timestamp,key,value,headers\r\n");
    for r in rows {
        let headers: Vec<String> = r
            .headers
            .iter()
            .map(|(k, v)| format!("{k}={}", v.text))
            .collect();
        let fields = [
            csv_field(&w.topic),
            w.partition.to_string(),
            r.offset.to_string(),
            r.timestamp.to_string(),
            r.key
                .as_ref()
                .map_or_else(String::new, |k| csv_field(&k.text)),
            r.value
                .as_ref()
                .map_or_else(String::new, |v| csv_field(&v.text)),
            csv_field(&headers.join(";")),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
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
    key.bytes().fold(2_166_136_261_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    }) % 8
}
