//! The Cluster view: brokers that can be stopped and started, topics with
//! their partitions' leaders, replicas, ISR and offsets drawn as a strip
//! (log-start offset, high watermark, log-end offset), records to send, and
//! the events the engine reports. It renders [`ClusterModel`]s and sends
//! commands; the engine may be in this tab or a live server.

use leptos::prelude::*;
use port::{ClusterModel, Command, NewRecord, PartitionModel, Query, TopicModel, ViewModel};

use crate::link::EngineLink;
use crate::views::records::RecordBrowser;

mod lineage;
mod metrics;

/// Topics the platform itself writes: hidden unless asked for.
fn is_system_topic(topic: &TopicModel) -> bool {
    topic.internal
        || topic.name.starts_with('_')
        || ["connect-configs", "connect-offsets", "connect-status"].contains(&topic.name.as_str())
}

/// The live cluster.
#[component]
pub fn ClusterView(
    /// The engine this view shows and drives.
    link: EngineLink,
) -> impl IntoView {
    let model = link.subscribe(Query::Cluster);
    let cluster = move || match model.get() {
        Some(ViewModel::Cluster(c)) => Some(c),
        _ => None,
    };
    // One subscription for the groups' committed offsets, which the
    // lineage and every topic's strips draw.
    let groups = link.subscribe(Query::Consumers);
    let (show_system, set_show_system) = signal(false);
    let (error, set_error) = signal(None::<String>);

    view! {
        <div class="cluster" data-testid="cluster">
            <h3>"Brokers"</h3>
            <ul class="brokers">
                {move || cluster().map(|c| c.brokers.into_iter().map(|b| {
                    let (id, online) = (b.id, b.online);
                    view! {
                        <li class="broker" class:broker-down=!online data-testid=format!("broker-{id}")>
                            <span class="broker-name">{format!("Broker {id}")}</span>
                            <span class="broker-state">{if online { "● running" } else { "■ stopped" }}</span>
                            <button
                                data-testid=format!("broker-{id}-toggle")
                                aria-label=format!("{} broker {id}", if online { "Stop" } else { "Start" })
                                on:click=move |_| {
                                    let command = if online { Command::StopBroker { broker: id } } else { Command::StartBroker { broker: id } };
                                    link.send(command, move |e| set_error.set(e));
                                }
                            >
                                {if online { "Stop" } else { "Start" }}
                            </button>
                        </li>
                    }
                }).collect_view())}
            </ul>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <details class="broker-metrics" open>
                <summary><h3>"Broker metrics"</h3></summary>
                // Its own subscription: the samples change once a second of
                // engine time, not with every record.
                {
                    let metrics = link.subscribe(Query::Metrics);
                    view! { <metrics::BrokerMetricsPanel samples=Memo::new(move |_| metrics.with(|m| match m {
                        Some(ViewModel::Metrics(m)) => m.samples.clone(),
                        _ => Vec::new(),
                    }))/> }
                }
            </details>
            <CreateTopic link=link/>
            <h3>"Lineage"</h3>
            <lineage::Lineage link=link cluster=Signal::derive(cluster) consumers=groups/>
            <div class="topics-heading">
                <h3>"Topics"</h3>
                <label class="toggle">
                    <input type="checkbox" data-testid="show-internal" prop:checked=show_system
                        on:change=move |ev| set_show_system.set(event_target_checked(&ev))/>
                    " Show internal topics (__consumer_offsets, _schemas, connect-*)"
                </label>
            </div>
            <Topics link=link cluster=Signal::derive(cluster) show_system=show_system.into() groups=groups/>
            <Workload link=link cluster=Signal::derive(cluster)/>
        </div>
    }
}

/// Every topic (one component per topic, kept while the topic exists, so
/// its messages survive updates), or the empty state.
#[component]
fn Topics(
    link: EngineLink,
    cluster: Signal<Option<ClusterModel>>,
    show_system: Signal<bool>,
    groups: Signal<Option<ViewModel>>,
) -> impl IntoView {
    let names = Memo::new(move |_| {
        let show = show_system.get();
        cluster.with(|c| {
            c.as_ref().map(|c| {
                c.topics
                    .iter()
                    .filter(|t| show || !is_system_topic(t))
                    .map(|t| t.name.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        {move || match names.get() {
            None => Some(view! { <p class="muted">"Loading the cluster…"</p> }.into_any()),
            Some(n) if n.is_empty() => Some(view! {
                <p class="muted empty" data-testid="no-topics">"No topics yet: create one above (try orders, 3 partitions, replication factor 3)."</p>
            }.into_any()),
            Some(_) => None,
        }}
        // Made again only when the topics themselves change (created,
        // deleted, internal ones shown): each table follows its topic by
        // itself, and an open record browser is in the address, so it
        // opens again.
        {move || names.get().unwrap_or_default().into_iter().map(|name| {
            let wanted = name.clone();
            let topic = Memo::new(move |_| cluster.with(|c| c.as_ref().and_then(|c| c.topics.iter().find(|t| t.name == wanted).cloned())));
            view! { <TopicTable link=link name=name topic=topic groups=groups/> }
        }).collect_view()}
    }
}

/// A steady produce rate into one topic, as a busy application writes:
/// start it, watch the high watermarks climb, stop it.
#[component]
fn Workload(link: EngineLink, cluster: Signal<Option<ClusterModel>>) -> impl IntoView {
    let (topic, set_topic) = signal(String::from("orders"));
    let (rate, set_rate) = signal(String::from("100"));
    let (error, set_error) = signal(None::<String>);
    let workload = move || cluster.get().and_then(|c| c.workload);
    // The form is rebuilt only when the workload starts or stops, not on
    // every cluster update (that would replace the inputs as someone types).
    let running =
        Memo::new(move |_| cluster.with(|c| c.as_ref().is_some_and(|c| c.workload.is_some())));
    let start = move || {
        let Ok(records_per_second) = rate.get().trim().parse::<u32>() else {
            set_error.set(Some("Records per second must be a whole number.".into()));
            return;
        };
        link.request(
            Command::SetWorkload {
                topic: topic.get().trim().to_owned(),
                records_per_second,
            },
            move |r| {
                set_error.set(r.err().map(|e| e.message));
            },
        );
    };
    view! {
        <form class="workload" aria-label="Produce continuously" on:submit=move |ev| { ev.prevent_default(); start(); }>
            {move || if running.get() {
                view! {
                    <span class="workload-running" data-testid="workload" role="status">
                        {move || workload().map(|w| format!("▶ producing {} records/s to {} ({} so far)", w.records_per_second, w.topic, w.produced))}
                    </span>
                    <button type="button" data-testid="workload-stop" on:click=move |_| {
                        if let Some(w) = workload() {
                            link.send(Command::SetWorkload { topic: w.topic, records_per_second: 0 }, move |e| set_error.set(e));
                        }
                    }>"Stop producing"</button>
                }.into_any()
            } else {
                view! {
                    <label>"Produce continuously to " <input data-testid="workload-topic" size="10" prop:value=topic on:input=move |ev| set_topic.set(event_target_value(&ev))/></label>
                    <label>"at " <input data-testid="workload-rate" size="6" inputmode="numeric" aria-label="Records per second" prop:value=rate on:input=move |ev| set_rate.set(event_target_value(&ev))/>" records/s"</label>
                    <button type="submit" data-testid="workload-start">"Start producing"</button>
                }.into_any()
            }}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </form>
    }
}

/// The create-topic form, with Kafka's error in words when it refuses.
#[component]
fn CreateTopic(link: EngineLink) -> impl IntoView {
    let (name, set_name) = signal(String::from("orders"));
    let (partitions, set_partitions) = signal(String::from("3"));
    let (replication, set_replication) = signal(String::from("3"));
    let (configs, set_configs) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let create = move || {
        // `--config k=v`, comma-separated: retention.ms, segment.ms,
        // cleanup.policy=compact… as kafka-topics takes them.
        let mut pairs = Vec::new();
        for item in configs
            .get()
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
        {
            let Some((key, value)) = item.split_once('=') else {
                set_error.set(Some(format!(
                    "--config {item}: write each as key=value (retention.ms=60000)."
                )));
                return;
            };
            pairs.push((key.trim().to_owned(), value.trim().to_owned()));
        }
        let (Ok(p), Ok(rf)) = (
            partitions.get().trim().parse::<i32>(),
            replication.get().trim().parse::<i16>(),
        ) else {
            set_error.set(Some(
                "Partitions and replication factor must be whole numbers.".into(),
            ));
            return;
        };
        let command = Command::CreateTopic {
            topic: name.get().trim().to_owned(),
            partitions: Some(p),
            replication_factor: Some(rf),
            configs: pairs,
        };
        link.request(command, move |result| {
            set_error.set(result.err().map(|e| match e.code {
                port::ErrorCode::Kafka(name) => format!("{name}: {}", e.message),
                _ => e.message,
            }));
        });
    };
    view! {
        <form class="create-topic" aria-label="Create a topic" on:submit=move |ev| { ev.prevent_default(); create(); }>
            <label>"Topic " <input data-testid="topic-name" prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/></label>
            <label>"Partitions " <input data-testid="topic-partitions" size="3" inputmode="numeric" prop:value=partitions on:input=move |ev| set_partitions.set(event_target_value(&ev))/></label>
            <label>"Replication factor " <input data-testid="topic-rf" size="3" inputmode="numeric" prop:value=replication on:input=move |ev| set_replication.set(event_target_value(&ev))/></label>
            <label><code>"--config"</code>" " <input data-testid="topic-configs" aria-label="--config" size="28" placeholder="retention.ms=10000, segment.ms=2000"
                title="Topic configs as kafka-topics --config takes them, comma-separated: retention.ms and segment.ms make old segments go (watch the log start move), cleanup.policy=compact keeps the newest record per key"
                prop:value=configs on:input=move |ev| set_configs.set(event_target_value(&ev))/></label>
            <button type="submit" data-testid="create-topic">"Create topic"</button>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="create-error">{e}</p> })}
        </form>
    }
}

/// One topic: its partitions as `kafka-topics --describe` shows them, each
/// log drawn as a strip, and a button that sends five keyed records.
#[component]
fn TopicTable(
    link: EngineLink,
    name: String,
    topic: Memo<Option<TopicModel>>,
    groups: Signal<Option<ViewModel>>,
) -> impl IntoView {
    let (error, set_error) = signal(None::<String>);
    // The partition whose records are open: from a deep link
    // (`#/cluster?topic=orders&partition=0`), then by the row's button.
    let selected = RwSignal::new(linked_partition(&name));
    let link_topic = name.clone();
    Effect::new(move |_| remember_selection(&link_topic, selected.get()));
    // Each group's committed offset and each simulated consumer's position
    // in this topic's partitions, drawn on the strips.
    // The partitions' numbers: they change only when the topic grows.
    let numbers = Memo::new(move |_| {
        topic.with(|t| {
            t.as_ref()
                .map(|t| t.partitions.iter().map(|p| p.partition).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let marks_topic = name.clone();
    let marks = Memo::new(move |_| match groups.get() {
        Some(ViewModel::Consumers(m)) => {
            let committed = m.groups.iter().enumerate().flat_map(|(i, g)| {
                g.offsets
                    .iter()
                    .filter(|o| o.topic == marks_topic)
                    .map(move |o| Mark {
                        partition: o.partition,
                        position: false,
                        who: g.group_id.clone(),
                        colour: i % 8,
                        offset: o.committed,
                    })
            });
            let positions = m.consumers.iter().flat_map(|c| {
                c.positions.iter().filter_map(|(tp, offset)| {
                    let (topic, partition) = tp.rsplit_once('-')?;
                    (topic == marks_topic).then_some(())?;
                    Some(Mark {
                        partition: partition.parse().ok()?,
                        position: true,
                        who: c.client_id.clone(),
                        colour: c.id as usize % 8,
                        offset: *offset,
                    })
                })
            });
            committed.chain(positions).collect::<Vec<_>>()
        }
        _ => Vec::new(),
    });
    // The longest log in the topic: every strip is drawn to its scale.
    let widest = Memo::new(move |_| {
        topic.with(|t| {
            t.as_ref()
                .and_then(|t| t.partitions.iter().map(|p| p.log_end_offset).max())
                .unwrap_or(0)
                .max(1)
        })
    });
    let produce_topic = name.clone();
    let produce = move |_| {
        let records = (0..5)
            .map(|i| NewRecord {
                key: Some(format!("key-{i}")),
                value: Some(format!("hello {i}")),
                headers: vec![],
            })
            .collect();
        link.send(
            Command::Produce {
                topic: produce_topic.clone(),
                partition: None,
                records,
            },
            move |e| set_error.set(e),
        );
    };
    let internal = move || topic.with(|t| t.as_ref().is_some_and(|t| t.internal));
    view! {
        <section class="topic" data-testid=format!("topic-{name}")>
            <h4>
                <span class="topic-name">{name.clone()}</span>
                {move || internal().then(|| view! { <span class="tag">"internal"</span> })}
                <button data-testid=format!("produce-{name}") aria-label=format!("Produce 5 records to {name}") on:click=produce>"Produce 5 records"</button>
            </h4>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <table>
                <thead><tr>
                    <th scope="col">"Partition"</th><th scope="col">"Leader"</th><th scope="col">"Replicas"</th><th scope="col">"ISR"</th>
                    <th scope="col">"Log start"</th><th scope="col">"High watermark"</th><th scope="col">"Log end"</th><th scope="col">"Log"</th>
                    <th scope="col">"Records"</th>
                </tr></thead>
                // One row per partition, kept across updates: its cells and
                // strip change in place as offsets move (rebuilding every
                // row on every update costs frames and loses clicks). The
                // rows are made again only when the partitions themselves
                // change (a topic grows), so no keyed list is needed.
                <tbody>
                    {let row_topic = name.clone(); move || numbers.get().into_iter().map(|partition| {
                        let p = Memo::new(move |_| topic.with(|t| t.as_ref().and_then(|t| t.partitions.iter().find(|p| p.partition == partition).cloned())));
                        let mine = Memo::new(move |_| marks.with(|m| m.iter().filter(|m| m.partition == partition).cloned().collect::<Vec<_>>()));
                        view! { <PartitionRow topic=row_topic.clone() partition=partition p=p widest=widest selected=selected marks=mine/> }
                    }).collect_view()}
                </tbody>
            </table>
            {let browse_topic = name.clone(); move || selected.get().map(|partition| view! {
                <RecordBrowser link=link topic=browse_topic.clone() partition=partition on_close=Callback::new(move |()| selected.set(None))/>
            })}
        </section>
    }
}

/// A marker on a partition's strip: a group's committed offset (a bar) or
/// a consumer's position (a triangle under the strip).
#[derive(Debug, Clone, PartialEq)]
struct Mark {
    partition: i32,
    position: bool,
    /// The group id or the consumer's `client.id`.
    who: String,
    colour: usize,
    offset: i64,
}

/// One partition's row, with its log as a strip scaled to the topic's
/// longest log; everything in it follows `p` in place.
#[component]
fn PartitionRow(
    topic: String,
    partition: i32,
    p: Memo<Option<PartitionModel>>,
    widest: Memo<i64>,
    selected: RwSignal<Option<i32>>,
    marks: Memo<Vec<Mark>>,
) -> impl IntoView {
    #[allow(clippy::cast_precision_loss)]
    let pct = move |offset: i64| (offset.max(0) as f64 / widest.get() as f64 * 100.0).min(100.0);
    let field = move |read: fn(&PartitionModel) -> String| {
        move || p.with(|p| p.as_ref().map(read).unwrap_or_default())
    };
    let offsets = move || {
        p.with(|p| {
            p.as_ref().map_or((0, 0, 0), |p| {
                (p.log_start_offset, p.high_watermark, p.log_end_offset)
            })
        })
    };
    let title = move || {
        let (start, hw, end) = offsets();
        format!("log-start offset {start}, high watermark {hw}, log-end offset {end}")
    };
    view! {
        <tr data-testid=format!("partition-{partition}")
            class:under-replicated=move || p.with(|p| p.as_ref().is_some_and(|p| p.isr.len() < p.replicas.len()))
            class:selected=move || selected.get() == Some(partition)>
            <td>{partition}</td>
            <td class="leader">{field(|p| p.leader.map_or_else(|| "none".to_owned(), |l| l.to_string()))}</td>
            <td>{field(|p| join(&p.replicas))}</td>
            <td class="isr">{field(|p| join(&p.isr))}</td>
            <td class="num">{move || offsets().0}</td>
            <td class="hw num">{move || offsets().1}</td>
            <td class="num">{move || offsets().2}</td>
            <td class="strip-cell">
                <div class=format!("strip part-{}", partition.rem_euclid(8)) role="img" aria-label=title title=title>
                    <span class="strip-gone" style=move || format!("width:{}%", pct(offsets().0))></span>
                    <span class="strip-committed" style=move || {
                        let (start, hw, _) = offsets();
                        format!("left:{}%;width:{}%", pct(start), pct(hw) - pct(start))
                    }></span>
                    <span class="strip-uncommitted" style=move || {
                        let (_, hw, end) = offsets();
                        format!("left:{}%;width:{}%", pct(hw), pct(end) - pct(hw))
                    }></span>
                    // What compaction cleaned: only each key's newest
                    // record is left there.
                    {move || p.with(|p| p.as_ref().filter(|p| p.cleaned_to > p.log_start_offset).map(|p| (p.log_start_offset, p.cleaned_to))).map(|(start, cleaned)| view! {
                        <span class="strip-cleaned" data-testid="strip-cleaned" style=format!("left:{}%;width:{}%", pct(start), pct(cleaned) - pct(start))
                            title=format!("compaction cleaned offsets {start}–{}: only each key's newest record is left", cleaned - 1)></span>
                    })}
                    {move || marks.get().into_iter().map(|m| if m.position {
                        view! {
                            <span class=format!("strip-position who-{}", m.colour) style=format!("left:{}%", pct(m.offset))
                                data-testid=format!("position-{}", m.who) title=format!("consumer {} position {}", m.who, m.offset)></span>
                        }
                    } else {
                        view! {
                            <span class=format!("strip-mark who-{}", m.colour) style=format!("left:{}%", pct(m.offset))
                                data-testid=format!("committed-{}", m.who) title=format!("group {} committed offset {}", m.who, m.offset)></span>
                        }
                    }).collect_view()}
                </div>
            </td>
            <td>
                <button type="button" data-testid="show-records" aria-label=format!("Show the records of {topic}-{partition}")
                    aria-pressed=move || (selected.get() == Some(partition)).to_string()
                    on:click=move |_| selected.update(|s| *s = if *s == Some(partition) { None } else { Some(partition) })>
                    "Browse"
                </button>
            </td>
        </tr>
    }
}

/// The partition a deep link (`#/cluster?topic=orders&partition=0`) opens
/// for `topic`, if it names this topic.
fn linked_partition(topic: &str) -> Option<i32> {
    let hash = window().location().hash().ok()?;
    let (_, query) = hash.split_once('?')?;
    let params = web_sys::UrlSearchParams::new_with_str(query).ok()?;
    (params.get("topic")? == topic).then_some(())?;
    params.get("partition")?.parse().ok()
}

/// Puts the open partition into the address (replacing it, so the back
/// button still leaves the view), so the window can be linked to.
fn remember_selection(topic: &str, partition: Option<i32>) {
    let linked = linked_partition(topic);
    if linked == partition {
        return;
    }
    let hash = match partition {
        Some(p) => format!(
            "#/cluster?topic={}&partition={p}",
            js_sys::encode_uri_component(topic)
        ),
        None if linked.is_some() => "#/cluster".to_owned(),
        None => return,
    };
    if let Ok(history) = window().history() {
        // A refused replaceState only loses the link; the view is right.
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash));
    }
}

fn join(ids: &[i32]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}
