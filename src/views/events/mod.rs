//! The event log: a panel under every view with the engine's newest events,
//! each one plain-English sentence in Kafka's vocabulary, filtered by area
//! or by text, and each linking to the view (and, for a partition, the
//! records) it concerns.

use leptos::prelude::*;
use port::{EventLine, Query, ViewModel};

use crate::link::EngineLink;
use crate::views::{format_time, View};

/// Events the panel keeps.
const KEPT: u32 = 200;

/// The areas events are filtered by.
const AREAS: [(&str, &str); 6] = [
    ("all", "All"),
    ("cluster", "Brokers, topics, partitions"),
    ("producer", "Producers"),
    ("groups", "Consumer groups"),
    ("schemas", "Schema Registry"),
    ("connect", "Kafka Connect"),
];

/// The newest events with a filter.
#[component]
pub fn EventLog(
    /// The engine link.
    link: EngineLink,
) -> impl IntoView {
    let events = link.subscribe(Query::Events {
        limit: KEPT,
        groups_only: false,
    });
    let (area, set_area) = signal(String::from("all"));
    let (text, set_text) = signal(String::new());
    let shown = Memo::new(move |_| {
        let (area, needle) = (area.get(), text.get().to_ascii_lowercase());
        match events.get() {
            Some(ViewModel::Events(model)) => model
                .events
                .into_iter()
                .rev()
                .filter(|e| area == "all" || area_of(e) == area)
                .filter(|e| needle.is_empty() || e.text.to_ascii_lowercase().contains(&needle))
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        }
    });
    view! {
        <details class="event-log" open data-testid="event-log-panel">
            <summary>"Event log"</summary>
            <div class="event-filters">
                <label>"Area "
                    <select aria-label="Event area" on:change=move |ev| set_area.set(event_target_value(&ev))>
                        {AREAS.into_iter().map(|(value, name)| view! { <option value=value>{name}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Containing "
                    <input type="search" aria-label="Events containing" placeholder="orders-0, group, broker 2" size="18"
                        prop:value=text on:input=move |ev| set_text.set(event_target_value(&ev))/>
                </label>
            </div>
            <ol class="events event-log-list" data-testid="event-log" aria-live="polite">
                {move || shown.with(Vec::is_empty).then(|| view! {
                    <li class="muted">"No events match: change the filter, or do something in a view."</li>
                })}
                // Keyed by sequence number: new events are added, old ones
                // dropped, the rest stay as they are.
                <For each=move || shown.get() key=|e| e.seq children=move |e| entry(&e)/>
            </ol>
        </details>
    }
}

fn entry(e: &EventLine) -> impl IntoView {
    let (view, href) = target(e);
    view! {
        <li class=format!("event area-{}", area_of(e)) data-kind=e.kind.clone()>
            <code class="event-time">{format_time(e.at)}</code>" "
            <span>{e.text.clone()}</span>" "
            <a class="event-link" href=href aria-label=format!("Open in {}", view.title())>{format!("→ {}", view.title())}</a>
        </li>
    }
}

/// The area an event belongs to, by its kind.
fn area_of(e: &EventLine) -> &'static str {
    let kind = e.kind.as_str();
    if e.group {
        "groups"
    } else if kind.starts_with("Connect") {
        "connect"
    } else if kind.starts_with("Registry")
        || kind.starts_with("Schema")
        || kind.starts_with("Subject")
        || kind.contains("Compatibility")
        || kind.starts_with("Mode")
    {
        "schemas"
    } else if kind.starts_with("Producer")
        || kind.starts_with("Request")
        || kind.starts_with("Response")
    {
        "producer"
    } else {
        "cluster"
    }
}

/// The view an event concerns, and the link to it: a partition's records
/// when the sentence starts with `topic-partition:`.
fn target(e: &EventLine) -> (View, String) {
    let view = match area_of(e) {
        "groups" => View::Consumers,
        "connect" => View::Connect,
        "schemas" => View::Schemas,
        "producer" => View::Producer,
        _ => View::Cluster,
    };
    if view == View::Cluster {
        if let Some((topic, partition)) = partition_of(&e.text) {
            return (
                view,
                format!(
                    "#/cluster?topic={}&partition={partition}",
                    encode_component(topic)
                ),
            );
        }
    }
    (view, view.href())
}

/// `orders-3` from a sentence starting `orders-3: …`.
fn partition_of(text: &str) -> Option<(&str, i32)> {
    let head = text.split_once(": ")?.0;
    let (topic, partition) = head.rsplit_once('-')?;
    let partition = partition.parse().ok()?;
    (!topic.is_empty() && !topic.contains(' ')).then_some((topic, partition))
}

/// A topic name as a URL query value (names are `[a-zA-Z0-9._-]`, but be safe).
fn encode_component(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
