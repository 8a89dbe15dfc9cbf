//! The playground's views, one per area of Kafka a learner explores, each
//! in a folder of its own (component and CSS). Views reach the engine only
//! through the [`EngineLink`] in context: they subscribe to view models and
//! send commands. Views that have not landed yet say what they are for.

use leptos::prelude::*;
use port::{Query, ViewModel};

use crate::link::EngineLink;

pub mod cluster;
pub mod console;
pub mod consumers;
pub mod events;
pub mod producer;
pub mod records;

/// One of the playground's top-level views, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// Brokers, topics, partitions, leaders and replicas.
    Cluster,
    /// A producer client: configs, partitioner, batching, acks.
    Producer,
    /// Consumer clients and groups: offsets, commits, rebalances.
    Consumers,
    /// Avro schemas and the Schema Registry with its compatibility modes.
    Schemas,
    /// Kafka Connect workers, connectors and tasks.
    Connect,
    /// A console: kafka-console-consumer, kafka-topics, curl to the registry.
    Console,
    /// Guided lessons following the course notes.
    Lessons,
}

impl View {
    /// Every view, in the order the navigation shows them.
    pub const ALL: [View; 7] = [
        View::Cluster,
        View::Producer,
        View::Consumers,
        View::Schemas,
        View::Connect,
        View::Console,
        View::Lessons,
    ];

    /// The view shown when the URL names none (or one that does not exist).
    pub const HOME: View = View::Cluster;

    /// The URL fragment path segment of this view, e.g. `producer`.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            View::Cluster => "cluster",
            View::Producer => "producer",
            View::Consumers => "consumers",
            View::Schemas => "schemas",
            View::Connect => "connect",
            View::Console => "console",
            View::Lessons => "lessons",
        }
    }

    /// The link target of this view: a fragment, so it works under any path.
    #[must_use]
    pub fn href(self) -> String {
        format!("#/{}", self.slug())
    }

    /// The heading shown in navigation and on the page.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            View::Cluster => "Cluster",
            View::Producer => "Producer",
            View::Consumers => "Consumers",
            View::Schemas => "Schemas",
            View::Connect => "Connect",
            View::Console => "Console",
            View::Lessons => "Lessons",
        }
    }

    /// One sentence on what a learner will do in this view.
    #[must_use]
    pub fn purpose(self) -> &'static str {
        match self {
            View::Cluster => {
                "Start and stop brokers, create topics and watch partitions, leaders, \
                 replicas and the in-sync replica set change."
            }
            View::Producer => {
                "Send records with the Java or librdkafka producer settings and see \
                 which partition each key lands in and how records are batched."
            }
            View::Consumers => {
                "Run consumers in groups, watch offsets move and commits land in \
                 __consumer_offsets, and see groups rebalance as members come and go."
            }
            View::Schemas => {
                "Write Avro schemas, register them in the Schema Registry and see which \
                 changes each compatibility mode accepts."
            }
            View::Connect => {
                "Run Kafka Connect source and sink connectors and follow their tasks \
                 and offsets."
            }
            View::Console => {
                "Type the commands of the course notes — kafka-topics, \
                 kafka-console-consumer, curl against the registry — and see the answers."
            }
            View::Lessons => "Step-by-step lessons that follow the course notes.",
        }
    }

    /// Parses a URL fragment such as `#/schemas` (or `#schemas`); anything
    /// else, including an empty fragment, is the home view.
    #[must_use]
    pub fn from_hash(hash: &str) -> View {
        let slug = hash.trim_start_matches('#').trim_start_matches('/');
        let slug = slug.split(['/', '?']).next().unwrap_or_default();
        View::ALL
            .into_iter()
            .find(|view| view.slug() == slug)
            .unwrap_or(View::HOME)
    }
}

/// The page of one view. Views that have not landed yet say so.
#[component]
pub fn ViewPage(
    /// Which view to show.
    view: View,
) -> impl IntoView {
    let body = match (view, use_context::<EngineLink>()) {
        (View::Cluster, Some(link)) => view! { <cluster::ClusterView link=link/> }.into_any(),
        (View::Producer, Some(link)) => view! { <producer::ProducerView link=link/> }.into_any(),
        (View::Consumers, Some(link)) => view! { <consumers::ConsumersView link=link/> }.into_any(),
        (View::Console, Some(_)) => view! { <console::ConsoleView/> }.into_any(),
        _ => view! { <p class="coming-soon">"Coming soon."</p> }.into_any(),
    };
    view! {
        <section class="view" data-testid=format!("view-{}", view.slug())>
            <h2>{view.title()}</h2>
            <p class="view-purpose">{view.purpose()}</p>
            {body}
            {use_context::<EngineLink>().map(|link| view! { <events::EventLog link=link/> })}
        </section>
    }
}

/// The newest engine events, each as its time and one sentence.
#[component]
pub fn EventList(
    /// The engine link.
    link: EngineLink,
    /// How many to show.
    limit: u32,
    /// Only consumer-group events.
    #[prop(optional)]
    groups_only: bool,
    /// The list's test id.
    test_id: &'static str,
) -> impl IntoView {
    let events = link.subscribe(Query::Events { limit, groups_only });
    view! {
        <ol class="events" data-testid=test_id aria-live="polite">
            {move || match events.get() {
                Some(ViewModel::Events(model)) if !model.events.is_empty() => model
                    .events
                    .into_iter()
                    .rev()
                    .map(|e| view! {
                        <li class=format!("event event-{}", e.kind) data-kind=e.kind.clone()>
                            <code class="event-time">{format_time(e.at)}</code>" "<span>{e.text}</span>
                        </li>
                    })
                    .collect_view()
                    .into_any(),
                _ => view! { <li class="muted">"Nothing has happened yet."</li> }.into_any(),
            }}
        </ol>
    }
}

/// `HH:MM:SS.mmm` of a millisecond timestamp (UTC).
#[must_use]
pub fn format_time(ms: i64) -> String {
    let day_ms = ms.rem_euclid(86_400_000);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        day_ms / 3_600_000,
        day_ms / 60_000 % 60,
        day_ms / 1_000 % 60,
        day_ms % 1_000
    )
}

/// `value` with `decimals` digits after the point, rounded.
#[must_use]
pub fn fixed(value: f64, decimals: u32) -> String {
    format!("{value:.prec$}", prec = decimals as usize)
}

/// `value` as briefly as it is exact (`5`, `0.5`).
#[must_use]
pub fn number(value: f64) -> String {
    format!("{value}")
}

/// `YYYY-MM-DDTHH:mm:SS[.sss]` (UTC, as `kafka-consumer-groups
/// --to-datetime` takes it) as epoch milliseconds.
pub(crate) fn parse_datetime(text: &str) -> Option<i64> {
    let (date, time) = text.trim_end_matches('Z').split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, millis) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (t.next()??, t.next()??, t.next().unwrap_or(Some(0))?);
    let millis: i64 = format!("{millis:0<3}").get(..3)?.parse().ok()?;
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    Some(port::time::epoch_ms(
        year, month, day, hour, minute, second, millis,
    ))
}
