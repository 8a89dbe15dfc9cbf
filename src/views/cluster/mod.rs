//! The Cluster view: brokers that can be stopped and started, topics with
//! their partitions' leaders, replicas, ISR and offsets, a producer to send
//! records, a clock to advance, and the events the engine reports.

use bytes_text::short;
use engine::cluster::NewTopic;
use engine::playground::ProducerRef;
use engine::producer_config::{ClientFlavour, ProducerConfig};
use engine::record::ProducerRecord;
use leptos::prelude::*;

use crate::engine_state::EngineHandle;

/// The live cluster.
#[component]
pub fn ClusterView(
    /// The engine this view shows and drives.
    engine: EngineHandle,
) -> impl IntoView {
    let now = move || engine.read(|p| p.now().0).unwrap_or_default();
    let brokers = move || engine.read(|p| p.cluster().brokers()).unwrap_or_default();
    let topics = move || engine.read(|p| p.cluster().list_topics(false)).unwrap_or_default();
    let producer: StoredValue<Option<ProducerRef>> = StoredValue::new(None);

    view! {
        <div class="cluster" data-testid="cluster">
            <div class="cluster-toolbar">
                <span class="cluster-clock" data-testid="clock">
                    "Engine time: " {move || format_time(now())}
                </span>
                <button data-testid="advance" on:click=move |_| { engine.update(|p| p.step(1_000)); }>
                    "Advance 1 s"
                </button>
            </div>
            <h3>"Brokers"</h3>
            <ul class="brokers">
                {move || brokers().into_iter().map(|(id, online)| view! {
                    <li class="broker" class:broker-down=!online data-testid=format!("broker-{id}")>
                        <span>{format!("Broker {id}")}</span>
                        <span class="broker-state">{if online { "running" } else { "stopped" }}</span>
                        <button
                            data-testid=format!("broker-{id}-toggle")
                            on:click=move |_| {
                                engine.update(|p| {
                                    let cluster = p.cluster_mut();
                                    // Unknown ids cannot come from this list.
                                    let _ = if online { cluster.stop_broker(id) } else { cluster.start_broker(id) };
                                });
                            }
                        >
                            {if online { "Stop" } else { "Start" }}
                        </button>
                    </li>
                }).collect_view()}
            </ul>
            <CreateTopic engine=engine/>
            <h3>"Topics"</h3>
            {move || {
                let names = topics();
                if names.is_empty() {
                    view! { <p class="muted" data-testid="no-topics">"No topics yet: create one above."</p> }.into_any()
                } else {
                    names.into_iter().map(|name| view! { <TopicTable engine=engine producer=producer name=name/> }).collect_view().into_any()
                }
            }}
            <h3>"Events"</h3>
            <ol class="events" data-testid="events">
                {move || engine.events().into_iter().rev().take(12).map(|e| view! {
                    <li><code>{format_time(e.at.0)}</code>" "{short(&e.event.to_string())}</li>
                }).collect_view()}
            </ol>
        </div>
    }
}

/// The create-topic form, with Kafka's error in words when it refuses.
#[component]
fn CreateTopic(engine: EngineHandle) -> impl IntoView {
    let (name, set_name) = signal(String::from("orders"));
    let (partitions, set_partitions) = signal(String::from("3"));
    let (replication, set_replication) = signal(String::from("3"));
    let (error, set_error) = signal(None::<String>);
    let create = move |_| {
        let parsed_partitions = partitions.get().trim().parse::<i32>();
        let parsed_rf = replication.get().trim().parse::<i16>();
        let (Ok(p), Ok(rf)) = (parsed_partitions, parsed_rf) else {
            set_error.set(Some("Partitions and replication factor must be whole numbers.".into()));
            return;
        };
        let result = engine.update(|pg| pg.cluster_mut().create_topic(NewTopic::new(name.get().trim(), p, rf)));
        set_error.set(match result {
            Some(Err(err)) => Some(err.to_string()),
            _ => None,
        });
    };
    view! {
        <form class="create-topic" on:submit=move |ev| { ev.prevent_default(); create(()); }>
            <label>"Topic " <input data-testid="topic-name" prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/></label>
            <label>"Partitions " <input data-testid="topic-partitions" size="3" prop:value=partitions on:input=move |ev| set_partitions.set(event_target_value(&ev))/></label>
            <label>"Replication factor " <input data-testid="topic-rf" size="3" prop:value=replication on:input=move |ev| set_replication.set(event_target_value(&ev))/></label>
            <button type="submit" data-testid="create-topic">"Create topic"</button>
            {move || error.get().map(|e| view! { <p class="error" data-testid="create-error">{e}</p> })}
        </form>
    }
}

/// One topic: its partitions as `kafka-topics --describe` shows them, and a
/// button that sends records with the Java producer's defaults.
#[component]
fn TopicTable(engine: EngineHandle, producer: StoredValue<Option<ProducerRef>>, name: String) -> impl IntoView {
    let topic = name.clone();
    let description = move || engine.read(|p| p.cluster().describe_topic(&topic).ok()).flatten();
    let produce_topic = name.clone();
    let produce = move |_| {
        let topic = produce_topic.clone();
        engine.update(|p| {
            let id = match producer.get_value() {
                Some(id) => id,
                None => {
                    let (config, _) = ProducerConfig::parse(ClientFlavour::Java, &[("client.id", "playground-producer")])
                        .unwrap_or_else(|_| (ProducerConfig::defaults(ClientFlavour::Java), Vec::new()));
                    let Ok(id) = p.add_producer(config, 1) else { return };
                    producer.set_value(Some(id));
                    id
                }
            };
            for i in 0..5 {
                let now = p.now();
                let record = ProducerRecord {
                    key: Some(format!("key-{i}").into_bytes().into()),
                    value: Some(format!("hello {i} at {}", now.0).into_bytes().into()),
                    headers: vec![],
                    timestamp: now.0,
                };
                // A send error shows up as a failed delivery in the events.
                let _ = p.send(id, &topic, None, record);
            }
            p.flush(id, 30_000);
        });
    };
    view! {
        <section class="topic" data-testid=format!("topic-{name}")>
            <h4>{name.clone()} <button data-testid=format!("produce-{name}") on:click=produce>"Produce 5 records"</button></h4>
            <table>
                <thead><tr><th>"Partition"</th><th>"Leader"</th><th>"Replicas"</th><th>"ISR"</th><th>"High watermark"</th><th>"Log end"</th></tr></thead>
                <tbody>
                    {move || description().map(|d| d.partitions.into_iter().map(|p| view! {
                        <tr data-testid=format!("partition-{}", p.partition)>
                            <td>{p.partition}</td>
                            <td class="leader">{p.leader.map_or_else(|| "none".to_owned(), |l| l.to_string())}</td>
                            <td>{join(&p.replicas)}</td>
                            <td class="isr">{join(&p.isr)}</td>
                            <td class="hw">{p.high_watermark}</td>
                            <td>{p.log_end_offset}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
        </section>
    }
}

fn join(ids: &[i32]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

/// `HH:MM:SS.mmm` of a millisecond timestamp (UTC).
pub(crate) fn format_time(ms: i64) -> String {
    let day_ms = ms.rem_euclid(86_400_000);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        day_ms / 3_600_000,
        day_ms / 60_000 % 60,
        day_ms / 1_000 % 60,
        day_ms % 1_000
    )
}

mod bytes_text {
    /// Cuts long event text for the list.
    pub fn short(text: &str) -> String {
        const MAX: usize = 160;
        match text.char_indices().nth(MAX) {
            Some((at, _)) => format!("{}…", &text[..at]),
            None => text.to_owned(),
        }
    }
}
