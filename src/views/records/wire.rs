//! The wire inspector: the bytes of the record batch that holds a record,
//! every byte labelled with Kafka's field name and what it means — the
//! RecordBatch header, each record's varints, key, value and headers, and
//! for a compressed batch both the compressed bytes and the records inside.
//! A bar draws the batch's layout; the chosen record's fields are listed in
//! full, the other records one line each.

use leptos::prelude::*;
use port::wire::{annotate, hex, unhex, Anatomy, Part, Span};
use port::{BatchBytesModel, Query, ViewModel};

use crate::link::EngineLink;

/// Hex bytes shown per row before the rest is summarised.
const HEX_SHOWN: usize = 16;

/// The bytes of the batch holding `topic`-`partition` at `offset`.
#[component]
pub fn WireInspector(
    /// The engine link.
    link: EngineLink,
    /// The topic.
    topic: String,
    /// The partition.
    partition: i32,
    /// The record chosen.
    offset: i64,
    /// Called by the close button.
    on_close: Callback<()>,
) -> impl IntoView {
    let model = link.subscribe(Query::Batch {
        topic: topic.clone(),
        partition,
        offset,
    });
    let title = format!("{topic}-{partition} offset {offset}");
    view! {
        <section class="wire" data-testid="wire-inspector" aria-label=format!("Bytes of {title}")>
            <header class="wire-head">
                <h4>"Bytes of the batch holding " <code>{title.clone()}</code></h4>
                <button type="button" data-testid="close-wire" aria-label="Close the bytes" on:click=move |_| on_close.run(())>"✕"</button>
            </header>
            {move || match model.get() {
                None => view! { <p class="muted">"Reading…"</p> }.into_any(),
                Some(ViewModel::Batch(m)) => inspect(&m).into_any(),
                Some(ViewModel::Unavailable { reason }) => view! { <p class="error" role="alert">{reason}</p> }.into_any(),
                Some(_) => view! { <p class="error">"The engine answered with another model."</p> }.into_any(),
            }}
        </section>
    }
}

fn inspect(model: &BatchBytesModel) -> impl IntoView {
    let (batch, records) = match (
        unhex(&model.batch),
        model.records.as_deref().map(unhex).transpose(),
    ) {
        (Ok(b), Ok(r)) => (b, r),
        (Err(e), _) | (_, Err(e)) => {
            return view! { <p class="error" role="alert">{format!("unreadable bytes: {e}")}</p> }
                .into_any()
        }
    };
    let anatomy: Anatomy = annotate(&batch, records.as_deref());
    let count = anatomy
        .batch
        .iter()
        .find(|s| s.field == "recordsCount")
        .map(|s| s.value.clone())
        .unwrap_or_default();
    let summary = format!(
        "RecordBatch v2: {} bytes, {count} record(s), compression {}{}",
        batch.len(),
        anatomy.codec,
        records
            .as_ref()
            .map(|r| format!(" ({} bytes decompressed)", r.len()))
            .unwrap_or_default()
    );
    let offset = model.offset;
    view! {
        <p class="wire-summary" data-testid="wire-summary">{summary}</p>
        {model.cut.then(|| view! { <p class="muted">"This batch is large: only its first 256 KiB are shown."</p> })}
        <Legend/>
        <Section title="The batch as stored and sent" bytes=batch spans=anatomy.batch offset=offset/>
        {records.map(|r| view! { <Section title="The records inside, decompressed" bytes=r spans=anatomy.records offset=offset/> })}
        {anatomy.problem.map(|p| view! { <p class="error" role="alert" data-testid="wire-problem">{p}</p> })}
    }
    .into_any()
}

#[component]
fn Legend() -> impl IntoView {
    let parts = [
        (Part::Header, "batch header"),
        (Part::Record, "record framing"),
        (Part::Key, "key"),
        (Part::Value, "value"),
        (Part::Headers, "headers"),
        (Part::Confluent, "Confluent magic byte + schema id"),
        (Part::Compressed, "compressed"),
    ];
    view! {
        <ul class="wire-legend" aria-label="Colours">
            {parts.into_iter().map(|(part, name)| view! { <li><span class=format!("swatch w-{}", part_class(part))></span>{name}</li> }).collect_view()}
        </ul>
    }
}

/// One section of bytes: its layout as a bar and its fields as rows.
#[component]
fn Section(title: &'static str, bytes: Vec<u8>, spans: Vec<Span>, offset: i64) -> impl IntoView {
    let total = bytes.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let bar = spans
        .iter()
        .map(|s| {
            let width = s.len as f64 / total as f64 * 100.0;
            let chosen = s.record == Some(offset);
            view! {
                <span class=format!("seg w-{}{}", part_class(s.part), if chosen { " chosen" } else { "" })
                    style=format!("width:{}%", crate::views::fixed(width, 3)) title=format!("{} · {} bytes", s.field, s.len)></span>
            }
        })
        .collect_view();
    let rows = rows(&bytes, &spans, offset);
    view! {
        <h5>{title}</h5>
        <div class="byte-map" role="img" aria-label=format!("{title}: {} bytes laid out by field", bytes.len())>{bar}</div>
        <table class="wire-table" data-testid="wire-fields">
            <thead><tr><th scope="col">"Bytes"</th><th scope="col">"Hex"</th><th scope="col">"Field"</th><th scope="col">"Value"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The rows: every span of the header and of the chosen record, and one
/// row for each other record.
fn rows(bytes: &[u8], spans: &[Span], offset: i64) -> Vec<AnyView> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let span = &spans[i];
        match span.record {
            Some(record) if record != offset => {
                let first = i;
                while i < spans.len() && spans[i].record == Some(record) {
                    i += 1;
                }
                let start = spans[first].start;
                let len: usize = spans[first..i].iter().map(|s| s.len).sum();
                let key = spans[first..i]
                    .iter()
                    .find(|s| s.part == Part::Key)
                    .map(|s| format!("key {}", s.value))
                    .unwrap_or_default();
                out.push(row(
                    bytes,
                    start,
                    len,
                    "w-record other",
                    format!("record (offset {record})"),
                    key,
                    false,
                ));
            }
            _ => {
                let chosen = span.record == Some(offset);
                out.push(row(
                    bytes,
                    span.start,
                    span.len,
                    &format!("w-{}", part_class(span.part)),
                    span.field.clone(),
                    span.value.clone(),
                    chosen,
                ));
                i += 1;
            }
        }
    }
    out
}

fn row(
    bytes: &[u8],
    start: usize,
    len: usize,
    class: &str,
    field: String,
    value: String,
    chosen: bool,
) -> AnyView {
    let end = start.saturating_add(len).min(bytes.len());
    let shown = &bytes[start.min(end)..end.min(start.saturating_add(HEX_SHOWN))];
    let mut hex_text: String = hex(shown)
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    if len > HEX_SHOWN {
        hex_text.push_str(&format!(" … ({len} bytes)"));
    }
    let range = if len == 1 {
        start.to_string()
    } else {
        format!("{start}–{}", start + len.saturating_sub(1))
    };
    let name = field.clone();
    view! {
        <tr class=format!("{class}{}", if chosen { " chosen" } else { "" }) data-field=name>
            <td class="num">{range}</td>
            <td class="hex">{hex_text}</td>
            <td><code>{field}</code></td>
            <td class="meaning">{value}</td>
        </tr>
    }
    .into_any()
}

fn part_class(part: Part) -> &'static str {
    match part {
        Part::Header => "header",
        Part::Compressed => "compressed",
        Part::Record => "record",
        Part::Key => "key",
        Part::Value => "value",
        Part::Headers => "headers",
        Part::Confluent => "confluent",
        Part::Unread => "unread",
    }
}
