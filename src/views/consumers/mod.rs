//! The Consumers view: consumers in groups. Add Java or librdkafka
//! consumers with an assignor, let time run while they poll, and watch the
//! group coordinator rebalance them — members joining, generations, the
//! leader's assignment, partitions revoked and assigned — as well as
//! positions, lag and commits landing in `__consumer_offsets`. Crash or
//! close a member to see the difference between a session timeout and a
//! clean leave.

use engine::consumer_config::ConsumerConfig;
use engine::events::Event;
use engine::group::assignor::AssignorKind;
use engine::group::protocol::ProtocolAssignment;
use engine::playground::ConsumerRef;
use engine::producer_config::ClientFlavour;
use leptos::prelude::*;

use crate::engine_state::EngineHandle;
use crate::views::cluster::format_time;

/// The live consumer groups.
#[component]
pub fn ConsumersView(
    /// The engine this view shows and drives.
    engine: EngineHandle,
) -> impl IntoView {
    let consumed: StoredValue<Vec<usize>> = StoredValue::new(Vec::new());
    let (keep_polling, set_keep_polling) = signal(true);
    let advance = move |seconds: i64| {
        engine.update(|p| {
            for _ in 0..seconds {
                if keep_polling.get_untracked() {
                    poll_all(p, consumed);
                }
                p.step(1_000);
            }
        });
    };
    let count = move || engine.read(|p| p.consumer_count()).unwrap_or_default();
    view! {
        <div class="consumers" data-testid="consumers">
            <div class="consumers-toolbar">
                <span class="consumers-clock" data-testid="consumers-clock">
                    "Engine time: " {move || format_time(engine.read(|p| p.now().0).unwrap_or_default())}
                </span>
                <button data-testid="advance-1" on:click=move |_| advance(1)>"Advance 1 s"</button>
                <button data-testid="advance-10" on:click=move |_| advance(10)>"Advance 10 s"</button>
                <button data-testid="produce-12" on:click=move |_| { engine.update(produce_some); }>"Produce 12 records to orders"</button>
                <label>
                    <input type="checkbox" data-testid="keep-polling" prop:checked=keep_polling
                        on:change=move |ev| set_keep_polling.set(event_target_checked(&ev))/>
                    " consumers poll() every second"
                </label>
            </div>
            <AddConsumer engine=engine/>
            <h3>"Consumers"</h3>
            {move || if count() == 0 {
                view! { <p class="muted" data-testid="no-consumers">"No consumers yet: add one above."</p> }.into_any()
            } else {
                (0..count()).map(|i| view! { <ConsumerCard engine=engine consumer=ConsumerRef(i) consumed=consumed/> }).collect_view().into_any()
            }}
            <h3>"Groups"</h3>
            <GroupTable engine=engine/>
            <h3>"Group events"</h3>
            <ol class="events" data-testid="group-events">
                {move || engine.events().into_iter().filter(|e| is_group_event(&e.event)).rev().take(16).map(|e| view! {
                    <li><code>{format_time(e.at.0)}</code>" "{e.event.to_string()}</li>
                }).collect_view()}
            </ol>
        </div>
    }
}

/// Twelve keyed records to `orders` with the Java producer's defaults.
fn produce_some(p: &mut engine::playground::Playground) {
    use engine::producer_config::ProducerConfig;
    let (config, _) = ProducerConfig::parse(ClientFlavour::Java, &[("client.id", "consumers-view-producer")])
        .unwrap_or_else(|_| (ProducerConfig::defaults(ClientFlavour::Java), Vec::new()));
    let Ok(producer) = p.add_producer(config, 1) else { return };
    for i in 0..12 {
        let now = p.now();
        let record = engine::record::ProducerRecord {
            key: Some(format!("customer-{i}").into_bytes().into()),
            value: Some(format!("order {i}").into_bytes().into()),
            headers: vec![],
            timestamp: now.0,
        };
        // A missing topic shows up as a failed delivery in the events.
        let _ = p.send(producer, "orders", None, record);
    }
    p.flush(producer, 30_000);
}

/// Every live consumer's `poll()`, counting what each one received.
fn poll_all(p: &mut engine::playground::Playground, consumed: StoredValue<Vec<usize>>) {
    for i in 0..p.consumer_count() {
        let consumer = ConsumerRef(i);
        if p.consumer(consumer).is_none_or(|c| c.is_closed()) {
            continue;
        }
        poll_one(p, consumer, consumed);
    }
}

/// The add-a-consumer form: client flavour, group, topic and assignor.
#[component]
fn AddConsumer(engine: EngineHandle) -> impl IntoView {
    let (flavour, set_flavour) = signal(String::from("java"));
    let (group, set_group) = signal(String::from("orders-app"));
    let (topic, set_topic) = signal(String::from("orders"));
    let (assignor, set_assignor) = signal(String::from("range"));
    let (error, set_error) = signal(None::<String>);
    let add = move || {
        let flavour = if flavour.get() == "librdkafka" { ClientFlavour::Librdkafka } else { ClientFlavour::Java };
        let Ok(kind) = assignor.get().parse::<AssignorKind>() else { return };
        // Java takes class names; librdkafka the short names.
        let strategy = match flavour {
            ClientFlavour::Java => kind.java_class_name(),
            ClientFlavour::Librdkafka => kind.name(),
        };
        let group = group.get();
        let settings = [("group.id", group.trim()), ("partition.assignment.strategy", strategy), ("auto.offset.reset", "earliest")];
        let result = engine.update(|p| {
            let (config, _) = ConsumerConfig::parse(flavour, &settings).map_err(|e| e.to_string())?;
            let consumer = p.add_consumer(config);
            p.subscribe(consumer, &[topic.get().trim()]).map_err(|e| e.to_string())
        });
        set_error.set(match result {
            Some(Err(err)) => Some(err),
            _ => None,
        });
    };
    view! {
        <form class="add-consumer" on:submit=move |ev| { ev.prevent_default(); add(); }>
            <label>"Client "
                <select data-testid="consumer-flavour" on:change=move |ev| set_flavour.set(event_target_value(&ev))>
                    <option value="java" selected>"Java KafkaConsumer"</option>
                    <option value="librdkafka">"confluent-kafka (librdkafka)"</option>
                </select>
            </label>
            <label>"group.id " <input data-testid="consumer-group" size="12" prop:value=group on:input=move |ev| set_group.set(event_target_value(&ev))/></label>
            <label>"subscribe " <input data-testid="consumer-topic" size="10" prop:value=topic on:input=move |ev| set_topic.set(event_target_value(&ev))/></label>
            <label>"partition.assignment.strategy "
                <select data-testid="consumer-assignor" on:change=move |ev| set_assignor.set(event_target_value(&ev))>
                    {AssignorKind::ALL.into_iter().map(|k| view! { <option value=k.name()>{k.name()}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" data-testid="add-consumer">"Add consumer"</button>
            {move || {
                let name = topic.get().trim().to_owned();
                let missing = !name.is_empty() && engine.read(|p| !p.cluster().has_topic(&name)).unwrap_or(false);
                missing.then(|| view! {
                    <button type="button" data-testid="create-subscribed-topic" on:click=move |_| {
                        let name = topic.get_untracked().trim().to_owned();
                        let result = engine.update(|p| p.cluster_mut().create_topic(engine::cluster::NewTopic::new(name, 6, 3)));
                        if let Some(Err(err)) = result {
                            set_error.set(Some(err.to_string()));
                        }
                    }>"Create this topic (6 partitions)"</button>
                })
            }}
            {move || error.get().map(|e| view! { <p class="error" data-testid="consumer-error">{e}</p> })}
        </form>
    }
}

/// One consumer: its group membership, assignment, positions and lag, and
/// what can happen to it.
#[component]
fn ConsumerCard(engine: EngineHandle, consumer: ConsumerRef, consumed: StoredValue<Vec<usize>>) -> impl IntoView {
    let summary = move || {
        engine
            .read(|p| {
                let c = p.consumer(consumer)?;
                let phase = if c.is_closed() {
                    "closed".to_owned()
                } else {
                    match c.member_phase() {
                        Some(phase) => format!("{phase:?}"),
                        None => "crashed (restarted, not subscribed)".to_owned(),
                    }
                };
                let member = c.member_id().map(|(id, generation)| format!("{id}, generation {generation}"));
                let lag: Vec<String> = c.lag(p.cluster()).into_iter().map(|(tp, lag)| format!("{tp} lag {lag}")).collect();
                let mut assigned: Vec<String> = c.assignment().iter().map(ToString::to_string).collect();
                engine::compact_sort::sort(&mut assigned);
                Some((c.config().client_id.clone(), phase, member, assigned, lag))
            })
            .flatten()
    };
    let act = move |what: &'static str| {
        engine.update(|p| {
            // Errors (a failed commit, say) are shown as events.
            let _ = match what {
                "poll" => {
                    poll_one(p, consumer, consumed);
                    Ok(())
                }
                "commit" => p.commit(consumer),
                "close" => p.close(consumer),
                _ => {
                    p.crash_consumer(consumer);
                    Ok(())
                }
            };
        });
    };
    view! {
        <section class="consumer-card" data-testid=format!("consumer-{}", consumer.0)>
            {move || summary().map(|(client, phase, member, assigned, lag)| view! {
                <h4>{client} " " <span class="phase" data-testid="phase">{phase}</span></h4>
                <p class="member">{member.unwrap_or_else(|| "not a member yet".to_owned())}</p>
                <p data-testid="assignment">"Assigned: " {if assigned.is_empty() { "nothing".to_owned() } else { assigned.join(", ") }}</p>
                <p class="muted">{lag.join(" · ")}</p>
                <p class="muted" data-testid="consumed">"Records received: " {consumed.with_value(|c| c.get(consumer.0).copied().unwrap_or(0))}</p>
            })}
            <div class="consumer-actions">
                <button data-testid="poll" on:click=move |_| act("poll")>"poll()"</button>
                <button data-testid="commit" on:click=move |_| act("commit")>"commit()"</button>
                <button data-testid="close" on:click=move |_| act("close")>"close()"</button>
                <button data-testid="crash" on:click=move |_| act("crash")>"Crash"</button>
            </div>
        </section>
    }
}

/// One consumer's `poll()`, adding what it received to its count. A poll
/// error (e.g. an assignor mismatch) shows up in the card.
fn poll_one(p: &mut engine::playground::Playground, consumer: ConsumerRef, consumed: StoredValue<Vec<usize>>) {
    let got = p.poll(consumer, 500).map(|r| r.len()).unwrap_or(0);
    consumed.update_value(|counts| {
        if counts.len() <= consumer.0 {
            counts.resize(consumer.0 + 1, 0);
        }
        counts[consumer.0] += got;
    });
}

/// Every group as `kafka-consumer-groups --describe --members` shows it.
#[component]
fn GroupTable(engine: EngineHandle) -> impl IntoView {
    let groups = move || {
        engine
            .read(|p| {
                p.coordinator()
                    .list_groups()
                    .into_iter()
                    .filter_map(|(id, _)| p.coordinator().describe(&id).map(|d| (id, d)))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <table class="groups" data-testid="groups">
            <thead><tr><th>"Group"</th><th>"State"</th><th>"Generation"</th><th>"Assignor"</th><th>"Member"</th><th>"Partitions"</th></tr></thead>
            <tbody>
                {move || groups().into_iter().flat_map(|(id, d)| {
                    let state = d.state.name();
                    let protocol = d.protocol_name.clone().unwrap_or_default();
                    let leader = d.leader.clone().unwrap_or_default();
                    let rows: Vec<_> = if d.members.is_empty() {
                        vec![(String::new(), String::new())]
                    } else {
                        d.members.iter().map(|(member, _, _, bytes)| {
                            let mut parts: Vec<String> = ProtocolAssignment::decode(bytes)
                                .map(|a| a.partitions.iter().map(ToString::to_string).collect())
                                .unwrap_or_default();
                            engine::compact_sort::sort(&mut parts);
                            let name = if *member == leader { format!("{member} (leader)") } else { member.clone() };
                            (name, parts.join(", "))
                        }).collect()
                    };
                    rows.into_iter().map(move |(member, parts)| view! {
                        <tr data-testid=format!("group-{id}")>
                            <td>{id.clone()}</td><td class="state">{state}</td><td class="generation">{d.generation_id}</td>
                            <td>{protocol.clone()}</td><td>{member}</td><td>{parts}</td>
                        </tr>
                    }).collect::<Vec<_>>()
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn is_group_event(event: &Event) -> bool {
    matches!(
        event,
        Event::MemberJoined { .. }
            | Event::RebalanceStarted { .. }
            | Event::GenerationStarted { .. }
            | Event::AssignmentComputed { .. }
            | Event::GroupStable { .. }
            | Event::MemberRemoved { .. }
            | Event::GroupEmpty { .. }
            | Event::PartitionsRevoked { .. }
            | Event::PartitionsAssigned { .. }
            | Event::PartitionsLost { .. }
            | Event::ConsumerLeftGroup { .. }
            | Event::OffsetsCommitted { .. }
    )
}
