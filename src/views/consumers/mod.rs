//! The Consumers view: consumers in groups. Add Java or librdkafka
//! consumers with an assignor, let time run while they poll, and watch the
//! group coordinator rebalance them — members joining, generations, the
//! leader's assignment, partitions revoked and assigned — as well as lag and
//! commits landing in `__consumer_offsets`. Crash or close a member to see
//! the difference between a session timeout and a clean leave. In live
//! mode the groups of real clients show here too.

use leptos::prelude::*;
use port::{
    ClientFlavour, Command, ConsumerAction, ConsumerModel, ConsumersModel, GroupModel, NewRecord,
    Query, Reply, ResetTo, ViewModel,
};

use crate::link::EngineLink;
use crate::views::EventList;

mod rebalance;
use rebalance::{LagChart, RebalanceSteps};

/// The assignors: `partition.assignment.strategy`'s short name (librdkafka)
/// and the Java class name.
const ASSIGNORS: [(&str, &str); 4] = [
    ("range", "org.apache.kafka.clients.consumer.RangeAssignor"),
    (
        "roundrobin",
        "org.apache.kafka.clients.consumer.RoundRobinAssignor",
    ),
    ("sticky", "org.apache.kafka.clients.consumer.StickyAssignor"),
    (
        "cooperative-sticky",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
    ),
];

/// What a running consumer can restart with: each assignor alone, and the
/// first round of the move from an eager assignor to `cooperative-sticky`
/// (both listed, so the group keeps a protocol every member shares).
const RESTART_CHOICES: [&str; 5] = [
    "cooperative-sticky,range",
    "cooperative-sticky",
    "range",
    "roundrobin",
    "sticky",
];

/// `partition.assignment.strategy` in the client's own syntax for
/// comma-separated short names: Java wants the assignors' class names.
fn strategy_value(short_names: &str, client: ClientFlavour) -> String {
    short_names
        .split(',')
        .map(|name| {
            let name = name.trim();
            match ASSIGNORS.iter().find(|(short, _)| *short == name) {
                Some((_, class)) if client == ClientFlavour::Java => (*class).to_owned(),
                _ => name.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The live consumer groups.
#[component]
pub fn ConsumersView(
    /// The engine this view shows and drives.
    link: EngineLink,
) -> impl IntoView {
    let model = link.subscribe(Query::Consumers);
    let consumers = Signal::derive(move || match model.get() {
        Some(ViewModel::Consumers(m)) => Some(m),
        _ => None,
    });
    // Engine time, for each consumer's auto-commit timer.
    let clock = link.subscribe(Query::Clock);
    let now = Signal::derive(move || match clock.get() {
        Some(ViewModel::Clock(c)) => c.now,
        _ => 0,
    });
    let (error, set_error) = signal(None::<String>);
    let produce = move |_| {
        let records = (0..12)
            .map(|i| NewRecord {
                key: Some(format!("customer-{i}")),
                value: Some(format!("order {i}")),
                headers: vec![],
            })
            .collect();
        link.send(
            Command::Produce {
                topic: "orders".into(),
                partition: None,
                records,
            },
            move |e| set_error.set(e),
        );
    };
    view! {
        <div class="consumers" data-testid="consumers">
            <div class="consumers-toolbar">
                <button data-testid="produce-12" on:click=produce>"Produce 12 records to orders"</button>
                {move || consumers.get().filter(|m| m.simulated).map(|m| view! {
                    <label>
                        <input type="checkbox" data-testid="keep-polling" prop:checked=m.auto_poll
                            on:change=move |ev| link.send(Command::SetAutoPoll { on: event_target_checked(&ev) }, move |e| set_error.set(e))/>
                        " consumers call poll() as time runs"
                    </label>
                })}
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <AddConsumer link=link/>
            <h3>"Consumers"</h3>
            <ConsumerCards link=link consumers=consumers now=now/>
            <h3>"Groups"</h3>
            <GroupTable consumers=consumers/>
            <LagChart link=link consumers=consumers/>
            <h3>"Rebalances, step by step"</h3>
            <RebalanceSteps link=link/>
            <ResetOffsets link=link consumers=consumers/>
            <h3>"Group events"</h3>
            <EventList link=link limit=16 groups_only=true test_id="group-events"/>
        </div>
    }
}

/// Every simulated consumer's card (one component per consumer, kept
/// across updates so its messages survive them), or the empty state.
#[component]
fn ConsumerCards(
    link: EngineLink,
    consumers: Signal<Option<ConsumersModel>>,
    now: Signal<i64>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        consumers.with(|m| {
            m.as_ref()
                .map(|m| m.consumers.iter().map(|c| c.id).collect::<Vec<_>>())
        })
    });
    view! {
        {move || match ids.get() {
            None => Some(view! { <p class="muted">"Loading…"</p> }.into_any()),
            Some(ids) if ids.is_empty() => Some(view! {
                <p class="muted empty" data-testid="no-consumers">
                    "No consumers yet: add one above, then add a second with the same group.id and watch the group rebalance."
                </p>
            }.into_any()),
            Some(_) => None,
        }}
        // The cards are made again only when consumers come or go (each
        // card follows its consumer by itself); what a card holds besides
        // its model is a choice in its controls, cheap to lose then.
        {move || ids.get().unwrap_or_default().into_iter().map(|id| {
            let consumer = Memo::new(move |_| consumers.with(|m| m.as_ref().and_then(|m| m.consumers.iter().find(|c| c.id == id).cloned())));
            view! { <ConsumerCard link=link id=id consumer=consumer now=now/> }
        }).collect_view()}
    }
}

/// The add-a-consumer form: client flavour, `group.id`, topic, assignor and
/// `auto.offset.reset`, with the client's own error when it refuses.
#[component]
fn AddConsumer(link: EngineLink) -> impl IntoView {
    let (flavour, set_flavour) = signal(String::from("java"));
    let (group, set_group) = signal(String::from("orders-app"));
    let (topic, set_topic) = signal(String::from("orders"));
    let (assignor, set_assignor) = signal(String::from("range"));
    let (reset, set_reset) = signal(String::from("earliest"));
    let (error, set_error) = signal(None::<String>);
    let cluster = link.subscribe(Query::Cluster);
    let add = move || {
        let client = if flavour.get() == "librdkafka" {
            ClientFlavour::Librdkafka
        } else {
            ClientFlavour::Java
        };
        let strategy = strategy_value(&assignor.get(), client);
        let configs = vec![
            ("group.id".to_owned(), group.get().trim().to_owned()),
            ("partition.assignment.strategy".to_owned(), strategy),
            ("auto.offset.reset".to_owned(), reset.get()),
        ];
        link.request(
            Command::AddConsumer {
                client,
                configs,
                topics: vec![topic.get().trim().to_owned()],
            },
            move |result| {
                set_error.set(result.err().map(|e| e.message));
            },
        );
    };
    let topic_missing = move || {
        let name = topic.get().trim().to_owned();
        match cluster.get() {
            Some(ViewModel::Cluster(c)) => {
                !name.is_empty() && !c.topics.iter().any(|t| t.name == name)
            }
            _ => false,
        }
    };
    view! {
        <form class="add-consumer" aria-label="Add a consumer" on:submit=move |ev| { ev.prevent_default(); add(); }>
            <label>"Client "
                <select data-testid="consumer-flavour" on:change=move |ev| set_flavour.set(event_target_value(&ev))>
                    <option value="java" selected>"Java KafkaConsumer"</option>
                    <option value="librdkafka">"confluent-kafka (librdkafka)"</option>
                </select>
            </label>
            <label><code>"group.id"</code>" " <input data-testid="consumer-group" aria-label="group.id" size="12" prop:value=group on:input=move |ev| set_group.set(event_target_value(&ev))/></label>
            <label>"subscribe " <input data-testid="consumer-topic" aria-label="subscribe (topic)" size="10" prop:value=topic on:input=move |ev| set_topic.set(event_target_value(&ev))/></label>
            <label><code>"partition.assignment.strategy"</code>" "
                <select data-testid="consumer-assignor" aria-label="partition.assignment.strategy" on:change=move |ev| set_assignor.set(event_target_value(&ev))>
                    {ASSIGNORS.into_iter().map(|(short, _)| view! { <option value=short>{short}</option> }).collect_view()}
                </select>
            </label>
            <label><code>"auto.offset.reset"</code>" "
                <select data-testid="consumer-reset" aria-label="auto.offset.reset" on:change=move |ev| set_reset.set(event_target_value(&ev))>
                    <option value="earliest" selected>"earliest"</option>
                    <option value="latest">"latest"</option>
                </select>
            </label>
            <button type="submit" data-testid="add-consumer">"Add consumer"</button>
            {move || topic_missing().then(|| view! {
                <button type="button" data-testid="create-subscribed-topic" on:click=move |_| {
                    let name = topic.get_untracked().trim().to_owned();
                    let command = Command::CreateTopic { topic: name, partitions: Some(6), replication_factor: Some(3), configs: vec![] };
                    link.send(command, move |e| set_error.set(e));
                }>"Create this topic (6 partitions)"</button>
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="consumer-error">{e}</p> })}
        </form>
    }
}

/// One consumer: its group membership, assignment, position and lag per
/// partition, its auto-commit timer, what it received, and what can happen
/// to it (`poll()`, librdkafka's `consume()`, commit, close, crash).
#[component]
fn ConsumerCard(
    link: EngineLink,
    id: u32,
    consumer: Memo<Option<ConsumerModel>>,
    now: Signal<i64>,
) -> impl IntoView {
    let (error, set_error) = signal(None::<String>);
    let (batch, set_batch) = signal(10u32);
    // Rebuilt only if the flavour changes, not on every update (that would
    // replace the num_messages input as someone types).
    let librdkafka = Memo::new(move |_| {
        consumer.with(|c| {
            c.as_ref()
                .is_some_and(|c| c.flavour == ClientFlavour::Librdkafka)
        })
    });
    let act = move |action: ConsumerAction| {
        link.request(
            Command::Consumer {
                consumer: id,
                action,
            },
            move |result| set_error.set(result.err().map(|e| e.message)),
        );
    };
    let client_id =
        move || consumer.with(|c| c.as_ref().map(|c| c.client_id.clone()).unwrap_or_default());
    view! {
        <section class=format!("consumer-card consumer-{}", id % 8) data-testid=format!("consumer-{id}") aria-label=client_id>
            {move || consumer.get().map(|c| {
                let lag: Vec<String> = c.lag.iter().map(|(tp, lag)| {
                    match c.positions.iter().find(|(p, _)| p == tp) {
                        Some((_, at)) => format!("{tp} at {at}, lag {lag}"),
                        None => format!("{tp} lag {lag}"),
                    }
                }).collect();
                let member = c.member.map_or_else(|| "not a member yet".to_owned(), |(member, generation)| format!("{member}, generation {generation}"));
                let assigned = if c.assigned.is_empty() { "nothing".to_owned() } else { c.assigned.join(", ") };
                view! {
                    <h4>{c.client_id.clone()} " " <span class=format!("phase phase-{}", c.phase.replace(' ', "-")) data-testid="phase">{c.phase.clone()}</span></h4>
                    <p class="member">{c.group_id.map(|g| format!("group.id={g} · ")).unwrap_or_default()}{member}</p>
                    <p data-testid="assignment">"Assigned: " {assigned}</p>
                    <p class="muted" data-testid="positions">{lag.join(" · ")}</p>
                    <p class="muted" data-testid="consumed">"Records received: " {c.received}</p>
                    {c.auto_commit.map(|a| view! { <AutoCommitTimer interval_ms=a.interval_ms last_at=a.last_at now=now/> })}
                }
            })}
            <div class="consumer-actions">
                <button data-testid="poll" on:click=move |_| act(ConsumerAction::Poll)
                    title=move || consumer.with(|c| c.as_ref().map(|c| format!("returns up to {} record(s)", c.max_poll_records)))>"poll()"</button>
                {move || librdkafka.get().then(|| view! {
                    <span class="consume">
                        <input type="number" min="1" max="1000000" aria-label="num_messages" prop:value=move || batch.get().to_string()
                            on:change=move |ev| if let Ok(n) = event_target_value(&ev).parse() { set_batch.set(n) }/>
                        <button data-testid="consume" on:click=move |_| act(ConsumerAction::Consume { num_messages: batch.get_untracked() })>"consume()"</button>
                    </span>
                })}
                <button data-testid="commit" on:click=move |_| act(ConsumerAction::Commit)>"commit()"</button>
                <button data-testid="close" on:click=move |_| act(ConsumerAction::Close)>"close()"</button>
                <button data-testid="crash" aria-label=format!("Crash consumer {id}") on:click=move |_| act(ConsumerAction::Crash)>"Crash"</button>
            </div>
            <RestartWith link=link id=id consumer=consumer set_error=set_error/>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}

/// How a running group changes its assignor: restart this consumer with a
/// new `partition.assignment.strategy` (close, then the same application
/// rejoins), one member after another. The select shows what the consumer
/// lists now; the group's chosen assignor is in the group table.
#[component]
fn RestartWith(
    link: EngineLink,
    id: u32,
    consumer: Memo<Option<ConsumerModel>>,
    set_error: WriteSignal<Option<String>>,
) -> impl IntoView {
    let (choice, set_choice) = signal(RESTART_CHOICES[0].to_owned());
    // Rebuilt only when the list changes, so the select keeps its choice.
    let current = Memo::new(move |_| {
        consumer.with(|c| {
            c.as_ref()
                .filter(|c| c.phase != "closed" && c.group_id.is_some())
                .map(|c| (c.assignors.join(","), c.flavour))
        })
    });
    let restart = move |_| {
        let Some((_, flavour)) = current.get_untracked() else {
            return;
        };
        let strategy = strategy_value(&choice.get_untracked(), flavour);
        link.request(
            Command::RestartConsumer {
                consumer: id,
                strategy,
            },
            move |result| set_error.set(result.err().map(|e| e.message)),
        );
    };
    move || {
        current.get().map(|(now, _)| {
            view! {
                <div class="consumer-restart">
                    <span class="muted" data-testid="assignors">"partition.assignment.strategy=" {now}</span>
                    <label>"Restart with "
                        <select data-testid="restart-assignor" aria-label=format!("New partition.assignment.strategy for consumer {id}")
                            on:change=move |ev| set_choice.set(event_target_value(&ev))>
                            {RESTART_CHOICES.into_iter().map(|c| view! { <option value=c selected=move || choice.get() == c>{c}</option> }).collect_view()}
                        </select>
                    </label>
                    <button data-testid="restart" aria-label=format!("Restart consumer {id} with the new assignor")
                        title="close(), then the same application starts again with this partition.assignment.strategy: one step of a rolling restart"
                        on:click=restart>"Restart"</button>
                </div>
            }
        })
    }
}

/// `enable.auto.commit`'s timer: the time since the last auto commit
/// filling against `auto.commit.interval.ms`; the next `poll()` after it is
/// full commits the positions.
#[component]
fn AutoCommitTimer(interval_ms: u32, last_at: Option<i64>, now: Signal<i64>) -> impl IntoView {
    let interval = i64::from(interval_ms.max(1));
    let elapsed = move || last_at.map_or(interval, |at| (now.get() - at).clamp(0, interval));
    #[allow(clippy::cast_precision_loss)]
    let width = move || {
        format!(
            "width:{}%",
            crate::views::fixed(elapsed() as f64 * 100.0 / interval as f64, 1)
        )
    };
    let text = move || {
        let left = interval - elapsed();
        if left == 0 {
            "auto commit due: the next poll() commits".to_owned()
        } else {
            #[allow(clippy::cast_precision_loss)]
            let seconds = left as f64 / 1000.0;
            format!("auto commit in {} s", crate::views::fixed(seconds, 1))
        }
    };
    view! {
        <div class="auto-commit" data-testid="auto-commit" role="meter" aria-label=format!("auto.commit.interval.ms={interval_ms}")
            aria-valuemin="0" aria-valuemax=interval.to_string() aria-valuenow=move || elapsed().to_string() aria-valuetext=text>
            <span class="bar"><span class="fill" style=width></span></span>
            <span class="muted">{text}</span>
        </div>
    }
}

/// Every group as `kafka-consumer-groups --describe --members` shows it,
/// with committed offsets and lag.
#[component]
fn GroupTable(consumers: Signal<Option<ConsumersModel>>) -> impl IntoView {
    let groups = move || consumers.get().map(|m| m.groups).unwrap_or_default();
    // Read, not watched: the rows are made again at most every
    // link::SLOW_TICK while commits and lag change every frame.
    let tick = crate::link::slow_tick();
    view! {
        {move || groups().is_empty().then(|| view! { <p class="muted" data-testid="no-groups">"No consumer groups yet."</p> })}
        <table class="groups" data-testid="groups">
            <thead><tr>
                <th scope="col">"Group"</th><th scope="col">"State"</th><th scope="col">"Generation"</th><th scope="col">"Assignor"</th>
                <th scope="col">"Member"</th><th scope="col">"Client"</th><th scope="col">"Partitions"</th><th scope="col">"Committed (lag)"</th>
            </tr></thead>
            <tbody>
                {move || {
                    tick.track();
                    consumers.with_untracked(|m| m.as_ref().map(|m| m.groups.clone())).unwrap_or_default().into_iter().flat_map(group_rows).collect_view()
                }}
            </tbody>
        </table>
    }
}

/// `kafka-consumer-groups --reset-offsets --execute`: move an inactive
/// group's committed offsets, with the tool's refusal while it has members.
#[component]
fn ResetOffsets(link: EngineLink, consumers: Signal<Option<ConsumersModel>>) -> impl IntoView {
    let (group, set_group) = signal(String::from("orders-app"));
    let (topic, set_topic) = signal(String::from("orders"));
    let (to, set_to) = signal(String::from("earliest"));
    let (offset, set_offset) = signal(String::from("0"));
    let (outcome, set_outcome) = signal(None::<Result<String, String>>);
    let groups = move || {
        consumers.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.groups
                        .iter()
                        .map(|g| g.group_id.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let reset = move || {
        let target = match to.get().as_str() {
            "latest" => ResetTo::Latest,
            "datetime" => match crate::views::parse_datetime(offset.get().trim()) {
                Some(ms) => ResetTo::Timestamp(ms),
                None => {
                    set_outcome.set(Some(Err("--to-datetime takes YYYY-MM-DDTHH:mm:SS.sss (UTC), e.g. 2026-01-01T00:00:05.000.".into())));
                    return;
                }
            },
            "offset" => match offset.get().trim().parse::<i64>() {
                Ok(o) => ResetTo::Offset(o),
                Err(_) => {
                    set_outcome.set(Some(Err("--to-offset takes a whole number.".into())));
                    return;
                }
            },
            _ => ResetTo::Earliest,
        };
        let (g, t) = (group.get().trim().to_owned(), topic.get().trim().to_owned());
        let shown = (g.clone(), t.clone());
        link.request(
            Command::ResetOffsets {
                group: g,
                topic: t,
                to: target,
            },
            move |result| {
                set_outcome.set(Some(match result {
                    Ok(Reply::OffsetsReset { offsets }) => Ok(offsets
                        .iter()
                        .map(|(p, o)| format!("{} {} {p} {o}", shown.0, shown.1))
                        .collect::<Vec<_>>()
                        .join("\n")),
                    Ok(_) => Ok(String::new()),
                    Err(e) => Err(e.message),
                }));
            },
        );
    };
    view! {
        <form class="reset-offsets" aria-label="Reset a group's offsets" on:submit=move |ev| { ev.prevent_default(); reset(); }>
            <code class="muted">"kafka-consumer-groups --reset-offsets"</code>
            <label><code>"--group"</code>" "
                <input data-testid="reset-group" aria-label="--group" size="12" list="known-groups" prop:value=group on:input=move |ev| set_group.set(event_target_value(&ev))/>
            </label>
            <datalist id="known-groups">{move || groups().into_iter().map(|g| view! { <option value=g/> }).collect_view()}</datalist>
            <label><code>"--topic"</code>" " <input data-testid="reset-topic" aria-label="--topic" size="10" prop:value=topic on:input=move |ev| set_topic.set(event_target_value(&ev))/></label>
            <label>"to "
                <select data-testid="reset-to" aria-label="Reset to" on:change=move |ev| set_to.set(event_target_value(&ev))>
                    <option value="earliest" selected>"--to-earliest"</option>
                    <option value="latest">"--to-latest"</option>
                    <option value="offset">"--to-offset"</option>
                    <option value="datetime">"--to-datetime"</option>
                </select>
            </label>
            {move || (to.get() == "offset").then(|| view! {
                <input data-testid="reset-offset" aria-label="--to-offset" size="6" inputmode="numeric" prop:value=offset on:input=move |ev| set_offset.set(event_target_value(&ev))/>
            })}
            {move || (to.get() == "datetime").then(|| view! {
                <input data-testid="reset-datetime" aria-label="--to-datetime" size="24" placeholder="2026-01-01T00:00:05.000"
                    prop:value=offset on:input=move |ev| set_offset.set(event_target_value(&ev))/>
            })}
            <button type="submit" data-testid="reset-execute">"--execute"</button>
            {move || outcome.get().map(|o| match o {
                Ok(lines) => view! { <pre class="reset-result" data-testid="reset-result" role="status">{format!("GROUP TOPIC PARTITION NEW-OFFSET\n{lines}")}</pre> }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="reset-error">{e}</p> }.into_any(),
            })}
        </form>
    }
}

fn group_rows(g: GroupModel) -> Vec<impl IntoView> {
    let leader = g.leader.clone().unwrap_or_default();
    let committed: String = g
        .offsets
        .iter()
        .map(|o| format!("{}-{}@{} ({})", o.topic, o.partition, o.committed, o.lag))
        .collect::<Vec<_>>()
        .join(", ");
    let members: Vec<(String, String, String)> = if g.members.is_empty() {
        vec![(String::new(), String::new(), String::new())]
    } else {
        g.members
            .iter()
            .map(|m| {
                let name = if m.member_id == leader {
                    format!("{} (leader)", m.member_id)
                } else {
                    m.member_id.clone()
                };
                (name, m.client_id.clone(), m.partitions.join(", "))
            })
            .collect()
    };
    members
        .into_iter()
        .enumerate()
        .map(|(i, (member, client, parts))| {
            let g = g.clone();
            let committed = if i == 0 { committed.clone() } else { String::new() };
            view! {
                <tr data-testid=format!("group-{}", g.group_id)>
                    <td>{g.group_id.clone()}</td><td class="state">{g.state.clone()}</td><td class="generation">{g.generation}</td>
                    <td>{g.assignor.clone().unwrap_or_default()}</td><td>{member}</td><td>{client}</td><td>{parts}</td>
                    <td class="committed">{committed}</td>
                </tr>
            }
        })
        .collect()
}
