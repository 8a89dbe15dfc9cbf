//! The Producer view: a Java or librdkafka producer client configured with
//! its real keys, and its insides drawn as they work — the record
//! accumulator's batches filling against `batch.size` while the
//! `linger.ms` timer runs, requests in flight against
//! `max.in.flight.requests.per.connection`, and each record's delivery
//! report. Send asynchronously or synchronously (`flush()` after the
//! sends), at a steady rate, and lose a response on the way back to see
//! what a retry does with and without `enable.idempotence`.
//!
//! Keys and values are untrusted: rendered as text, never as HTML.

use leptos::prelude::*;
use port::{
    BatchModel, ClientFlavour, Command, ConfigDefault, Fault, FlightState, InFlightModel,
    NewRecord, ProducerAction, ProducerModel, ProducersModel, Query, RecordModel, Reply, ViewModel,
};

use crate::link::EngineLink;
use crate::views::format_time;

/// The settings the form shows: key, what it does (after Kafka's docs), and
/// the values a select offers (empty: free text).
const SETTINGS: [(&str, &str, &[&str]); 10] = [
    ("client.id", "A name for this client, sent with every request so broker logs and metrics can tell clients apart.", &[]),
    (
        "acks",
        "How many replicas must have the record before the leader answers: 0 (none, fire and forget), 1 (the leader) or all (every in-sync replica).",
        &["all", "1", "0"],
    ),
    (
        "enable.idempotence",
        "The producer gets a producer id and numbers each batch per partition, so the broker drops a retried duplicate and keeps order.",
        &["true", "false"],
    ),
    ("linger.ms", "How long a batch waits for more records before it is sent, even if it is not full.", &[]),
    ("batch.size", "The most bytes of records one batch per partition holds; a full batch is sent at once.", &[]),
    ("compression.type", "The codec each batch is compressed with on the producer; brokers store it as sent.", &["none", "gzip", "snappy", "lz4", "zstd"]),
    (
        "max.in.flight.requests.per.connection",
        "How many produce requests may wait for an answer per broker. Above 1 without idempotence, a retry can reorder records.",
        &[],
    ),
    ("retries", "How many times a failed batch is sent again (within delivery.timeout.ms).", &[]),
    ("request.timeout.ms", "How long the producer waits for a broker's answer before it treats the request as failed and retries.", &[]),
    ("delivery.timeout.ms", "The upper bound on reporting a record's success or failure after send(), retries included.", &[]),
];

/// The engine's producers.
#[component]
pub fn ProducerView(
    /// The engine this view shows and drives.
    link: EngineLink,
) -> impl IntoView {
    let model = link.subscribe(Query::Producers);
    let producers = Signal::derive(move || match model.get() {
        Some(ViewModel::Producers(m)) => Some(m),
        _ => None,
    });
    let ids = Memo::new(move |_| {
        producers.with(|m| {
            m.as_ref()
                .map(|m| m.producers.iter().map(|p| p.id).collect::<Vec<_>>())
        })
    });
    view! {
        <div class="producer" data-testid="producer">
            <NewProducer link=link producers=producers/>
            <Faults link=link producers=producers/>
            {move || match ids.get() {
                None => Some(view! { <p class="muted">"Loading…"</p> }.into_any()),
                Some(ids) if ids.is_empty() => Some(view! {
                    <p class="muted empty" data-testid="no-producers">
                        "No producers yet: create one above (the defaults are the client's own), then send a few keyed records and watch them batch, fly and land."
                    </p>
                }.into_any()),
                Some(_) => None,
            }}
            <div class="producer-cards">
                <For
                    each=move || ids.get().unwrap_or_default()
                    key=|id| *id
                    children=move |id| {
                        let producer = Memo::new(move |_| producers.with(|m| m.as_ref().and_then(|m| m.producers.iter().find(|p| p.id == id).cloned())));
                        view! { <ProducerCard link=link id=id producer=producer/> }
                    }
                />
            </div>
        </div>
    }
}

/// The new-producer form: the client and its settings under their real
/// names, each with its default as a placeholder and its description on
/// hover or focus; anything else as `key=value` lines.
#[component]
fn NewProducer(link: EngineLink, producers: Signal<Option<ProducersModel>>) -> impl IntoView {
    let (flavour, set_flavour) = signal(ClientFlavour::Java);
    let values: Vec<RwSignal<String>> = SETTINGS
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let (more, set_more) = signal(String::new());
    // Every other setting the client knows, asked for when the list opens.
    let all = RwSignal::new(None::<Vec<ConfigDefault>>);
    let edits = RwSignal::new(Vec::<(String, String)>::new());
    let (error, set_error) = signal(None::<String>);
    let (notices, set_notices) = signal(Vec::<String>::new());
    let defaults =
        move || producers.with(|m| m.as_ref().map(|m| m.defaults.clone()).unwrap_or_default());
    let fields = values.clone();
    let create = move || {
        let mut configs: Vec<(String, String)> = SETTINGS
            .iter()
            .zip(&fields)
            .filter_map(|((key, _, _), value)| {
                let value = value.get_untracked().trim().to_owned();
                (!value.is_empty()).then(|| ((*key).to_owned(), value))
            })
            .collect();
        // The full list first: the fields above and the lines below win.
        let mut listed: Vec<(String, String)> = edits
            .get_untracked()
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k, v.trim().to_owned()))
            .collect();
        listed.append(&mut configs);
        configs = listed;
        for (n, line) in more.get_untracked().lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once('=') {
                Some((key, value)) if !key.trim().is_empty() => {
                    configs.push((key.trim().to_owned(), value.trim().to_owned()))
                }
                _ => {
                    set_error.set(Some(format!(
                        "line {} of the other settings is not key=value: {line}",
                        n + 1
                    )));
                    return;
                }
            }
        }
        link.request(
            Command::AddProducer {
                client: flavour.get_untracked(),
                configs,
            },
            move |result| match result {
                Ok(Reply::ProducerAdded { notices, .. }) => {
                    set_error.set(None);
                    set_notices.set(notices);
                }
                Ok(_) => set_error.set(None),
                Err(e) => {
                    set_notices.set(Vec::new());
                    set_error.set(Some(e.message));
                }
            },
        );
    };
    view! {
        <form class="new-producer" aria-label="Create a producer" on:submit=move |ev| { ev.prevent_default(); create(); }>
            <div class="new-producer-row">
                <label>"Client "
                    <select data-testid="producer-flavour" aria-label="Client" on:change=move |ev| {
                        set_flavour.set(if event_target_value(&ev) == "librdkafka" { ClientFlavour::Librdkafka } else { ClientFlavour::Java });
                    }>
                        <option value="java" selected>"Java KafkaProducer"</option>
                        <option value="librdkafka">"confluent-kafka (librdkafka)"</option>
                    </select>
                </label>
                <button type="submit" data-testid="create-producer">"Create producer"</button>
                <span class="muted">"Empty fields keep the client's default (shown faded)."</span>
            </div>
            <div class="settings">
                {SETTINGS.iter().zip(values).map(|((key, help, choices), value)| {
                    let id = format!("help-{}", key.replace('.', "-"));
                    let placeholder = move || default_of(&defaults(), flavour.get(), key);
                    let input = if choices.is_empty() {
                        view! {
                            <input aria-label=*key aria-describedby=id.clone() title=*help size="9" placeholder=placeholder
                                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                        }.into_any()
                    } else {
                        view! {
                            <select aria-label=*key aria-describedby=id.clone() title=*help on:change=move |ev| value.set(event_target_value(&ev))>
                                <option value="" selected>{move || format!("default ({})", placeholder())}</option>
                                {choices.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                            </select>
                        }.into_any()
                    };
                    view! {
                        <label class="setting">
                            <code>{*key}</code>
                            {input}
                            <small class="setting-help" id=id>{*help}</small>
                        </label>
                    }
                }).collect_view()}
            </div>
            <AllSettings link=link flavour=flavour all=all edits=edits/>
            <label class="more-settings">"Other settings, one key=value per line"
                <textarea aria-label="Other settings" rows="2" placeholder="compression.gzip.level=9"
                    prop:value=more on:input=move |ev| set_more.set(event_target_value(&ev))></textarea>
            </label>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="producer-error">{e}</p> })}
            {move || (!notices.get().is_empty()).then(|| view! {
                <ul class="notices" data-testid="producer-notices">{notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            })}
        </form>
    }
}

/// Every setting the chosen client knows beyond the ones above, with its
/// default as the client prints it, findable by name; what is typed here
/// goes into the new producer's configuration.
#[component]
fn AllSettings(
    link: EngineLink,
    flavour: ReadSignal<ClientFlavour>,
    all: RwSignal<Option<Vec<ConfigDefault>>>,
    edits: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let (open, set_open) = signal(false);
    let (find, set_find) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    // (Re)load when opened and whenever the client changes.
    Effect::new(move |_| {
        let client = flavour.get();
        if !open.get() {
            return;
        }
        link.request(
            Command::DescribeProducerConfigs { client },
            move |result| match result {
                Ok(Reply::ConfigDefaults { configs }) => {
                    all.set(Some(
                        configs
                            .into_iter()
                            .filter(|c| !SETTINGS.iter().any(|(k, _, _)| *k == c.key))
                            .collect(),
                    ));
                    edits.set(Vec::new());
                }
                Ok(_) => {}
                Err(e) => set_error.set(Some(e.message)),
            },
        );
    });
    let value_of = move |key: &str| {
        edits.with(|e| {
            e.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
    };
    let set_value = move |key: String, value: String| {
        edits.update(|e| match e.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => e.push((key, value)),
        });
    };
    let shown = Memo::new(move |_| {
        let needle = find.get().trim().to_ascii_lowercase();
        all.with(|a| {
            a.as_ref().map(|a| {
                a.iter()
                    .filter(|c| needle.is_empty() || c.key.contains(&needle))
                    .take(40)
                    .map(|c| (c.key.clone(), c.value.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <details class="all-settings" data-testid="all-settings" on:toggle=move |ev| {
            if let Some(d) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDetailsElement>(t).ok()) {
                set_open.set(d.open());
            }
        }>
            <summary>{move || match all.with(|a| a.as_ref().map(Vec::len)) {
                Some(n) => format!("Every other setting of this client ({n})"),
                None => "Every other setting of this client".to_owned(),
            }}</summary>
            <label>"Find a setting " <input aria-label="Find a setting" size="18" placeholder="retry, buffer, sasl…" prop:value=find on:input=move |ev| set_find.set(event_target_value(&ev))/></label>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="settings all-settings-list">
                {move || shown.get().unwrap_or_default().into_iter().map(|(key, default)| {
                    let name = key.clone();
                    let current = key.clone();
                    view! {
                        <label class="setting">
                            <code>{key.clone()}</code>
                            <input aria-label=key size="9" placeholder=default prop:value=move || value_of(&current)
                                on:input=move |ev| set_value(name.clone(), event_target_value(&ev))/>
                        </label>
                    }
                }).collect_view()}
            </div>
            {move || all.with(|a| a.as_ref().map(Vec::len)).zip(shown.with(|s| s.as_ref().map(Vec::len))).filter(|(n, s)| s < n).map(|(n, s)| view! {
                <p class="muted">{format!("{s} of {n} shown: type part of a name to find the rest.")}</p>
            })}
        </details>
    }
}

fn default_of(defaults: &[ConfigDefault], client: ClientFlavour, key: &str) -> String {
    defaults
        .iter()
        .find(|d| d.client == client && d.key == key)
        .map(|d| d.value.clone())
        .unwrap_or_default()
}

/// Faults between the clients and the brokers, and the brokers themselves.
#[component]
fn Faults(link: EngineLink, producers: Signal<Option<ProducersModel>>) -> impl IntoView {
    let (error, set_error) = signal(None::<String>);
    let cluster = link.subscribe(Query::Cluster);
    // The buttons are rebuilt only when a broker stops or starts: a button
    // replaced between press and release (every update, under load) would
    // lose the click.
    let brokers = Memo::new(move |_| match cluster.get() {
        Some(ViewModel::Cluster(c)) => c.brokers.iter().map(|b| (b.id, b.online)).collect(),
        _ => Vec::new(),
    });
    let pending = move || producers.with(|m| m.as_ref().map(|m| m.faults));
    let inject = move |fault| link.send(Command::InjectFault(fault), move |e| set_error.set(e));
    view! {
        <section class="faults" aria-label="Faults" data-testid="faults">
            <h3>"Faults"</h3>
            <button type="button" data-testid="drop-response" on:click=move |_| inject(Fault::DropResponses { count: 1 })>"Lose the next produce response"</button>
            <button type="button" data-testid="drop-request" on:click=move |_| inject(Fault::DropRequests { count: 1 })>"Lose the next produce request"</button>
            <span class="muted" data-testid="faults-pending">{move || pending().map(|f| format!(
                "{} response(s) and {} request(s) will be lost", f.drop_responses, f.drop_requests
            ))}</span>
            <span class="brokers">
                {move || {
                    brokers.get().into_iter().map(|(id, online)| {
                        let (label, command) = if online {
                            (format!("Stop broker {id}"), Command::StopBroker { broker: id })
                        } else {
                            (format!("Start broker {id}"), Command::StartBroker { broker: id })
                        };
                        view! {
                            <button type="button" class=format!("broker-toggle broker-{}", id % 8) on:click=move |_| link.send(command.clone(), move |e| set_error.set(e))>{label}</button>
                        }
                    }).collect_view()
                }}
            </span>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}

/// One producer: its settings, a send form, and its insides.
#[component]
fn ProducerCard(link: EngineLink, id: u32, producer: Memo<Option<ProducerModel>>) -> impl IntoView {
    let client_id =
        move || producer.with(|p| p.as_ref().map(|p| p.client_id.clone()).unwrap_or_default());
    view! {
        <section class=format!("producer-card who-{}", id % 8) data-testid=format!("producer-{id}") aria-label=move || format!("Producer {}", client_id())>
            {move || producer.get().map(|p| view! {
                <header class="producer-head">
                    <h4>{p.client_id.clone()} <span class="muted">{match p.client { ClientFlavour::Java => " · Java", ClientFlavour::Librdkafka => " · librdkafka" }}</span></h4>
                    <span class="pid" data-testid="producer-id">{match p.producer_id {
                        Some((pid, epoch)) => format!("producer id {pid}, epoch {epoch}"),
                        None if setting(&p, "enable.idempotence") == "true" => "idempotent: producer id on first send".to_owned(),
                        None => "not idempotent".to_owned(),
                    }}</span>
                    {p.closed.then(|| view! { <span class="closed">"closed"</span> })}
                </header>
                <p class="effective" data-testid="effective">{p.effective.iter().map(|(k, v)| view! { <span class="chip"><code>{format!("{k}={v}")}</code></span> }).collect_view()}</p>
                {(!p.notices.is_empty()).then(|| view! { <ul class="notices">{p.notices.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul> })}
            })}
            <SendForm link=link id=id producer=producer/>
            <Accumulator producer=producer/>
            <InFlight producer=producer/>
            <Reports producer=producer/>
            <LastPartition link=link producer=producer/>
        </section>
    }
}

fn setting(p: &ProducerModel, key: &str) -> String {
    p.effective
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Topic, key, value, headers and how many; send asynchronously or with
/// `flush()`, at a rate, or flush and close.
#[component]
fn SendForm(link: EngineLink, id: u32, producer: Memo<Option<ProducerModel>>) -> impl IntoView {
    let (topic, set_topic) = signal(String::from("orders"));
    let (key, set_key) = signal(String::from("customer-{n}"));
    let (value, set_value) = signal(String::from("order {n}"));
    let (headers, set_headers) = signal(String::new());
    let (count, set_count) = signal(String::from("1"));
    let (sync, set_sync) = signal(false);
    let (rate, set_rate) = signal(String::from("20"));
    let (outcome, set_outcome) = signal(None::<Result<String, String>>);
    let cluster = link.subscribe(Query::Cluster);
    let act = move |action: ProducerAction| {
        set_outcome.set(None);
        link.request(Command::Producer { producer: id, action }, move |result| {
            set_outcome.set(Some(match result {
                Ok(Reply::Sent { handles, outstanding, waited_ms }) => Ok(match waited_ms {
                    Some(ms) => format!("send() and flush() × {}: returned after {ms} ms of engine time; {outstanding} without a report", handles.len()),
                    None => format!("send() × {} returned at once; {outstanding} record(s) wait in the accumulator or in flight", handles.len()),
                }),
                Ok(_) => Ok(String::new()),
                Err(e) => Err(e.message),
            }));
        });
    };
    let send = move || {
        let n = match count.get_untracked().trim().parse::<u32>() {
            Ok(n) if (1..=10_000).contains(&n) => n,
            _ => {
                set_outcome.set(Some(
                    Err("How many: a whole number from 1 to 10000.".into()),
                ));
                return;
            }
        };
        let headers = match parse_headers(&headers.get_untracked()) {
            Ok(h) => h,
            Err(e) => {
                set_outcome.set(Some(Err(e)));
                return;
            }
        };
        let records = numbered_records(n, &key.get_untracked(), &value.get_untracked(), &headers);
        act(ProducerAction::Send {
            topic: topic.get_untracked().trim().to_owned(),
            partition: None,
            records,
            flush: sync.get_untracked(),
            then_flush: false,
        });
    };
    // Sync against async: the same records, first sent asynchronously
    // with one flush() at the end, then each followed by flush().
    let (race, set_race) = signal(None::<Result<(u32, i64, i64), String>>);
    let run_race = move |_| {
        let n = match count.get_untracked().trim().parse::<u32>() {
            Ok(n) if (2..=1_000).contains(&n) => n,
            _ => {
                set_race.set(Some(Err(
                    "To compare, send 2 to 1000 records (the × field).".into(),
                )));
                return;
            }
        };
        let (k, v) = (key.get_untracked(), value.get_untracked());
        // The same keys both ways; the values say which way they went.
        let records = move |way: &str| numbered_records(n, &k, &format!("{v} ({way})"), &[]);
        let topic = topic.get_untracked().trim().to_owned();
        let send = move |records: Vec<NewRecord>, flush: bool| Command::Producer {
            producer: id,
            action: ProducerAction::Send {
                topic: topic.clone(),
                partition: None,
                records,
                flush,
                then_flush: !flush,
            },
        };
        let sync_command = send(records("sync"), true);
        set_race.set(None);
        link.request(send(records("async"), false), move |first| match first {
            Ok(Reply::Sent {
                waited_ms: Some(asynchronous),
                ..
            }) => {
                link.request(sync_command, move |second| {
                    set_race.set(Some(match second {
                        Ok(Reply::Sent {
                            waited_ms: Some(synchronous),
                            ..
                        }) => Ok((n, asynchronous, synchronous)),
                        Ok(_) => Err("the synchronous sends did not finish".into()),
                        Err(e) => Err(e.message),
                    }))
                });
            }
            Ok(_) => set_race.set(Some(Err("the asynchronous sends did not finish".into()))),
            Err(e) => set_race.set(Some(Err(e.message))),
        });
    };
    let start_rate = move || match rate.get_untracked().trim().parse::<u32>() {
        Ok(r) => {
            let k = key.get_untracked();
            act(ProducerAction::SetRate {
                topic: topic.get_untracked().trim().to_owned(),
                records_per_second: r,
                key: (!k.is_empty()).then_some(k),
                value: value.get_untracked(),
            });
        }
        Err(_) => set_outcome.set(Some(Err("records/s: a whole number.".into()))),
    };
    let running = move || producer.with(|p| p.as_ref().and_then(|p| p.rate.clone()));
    let sending =
        Memo::new(move |_| producer.with(|p| p.as_ref().is_some_and(|p| p.rate.is_some())));
    let list_id = format!("topics-{id}");
    // The topics to suggest, rebuilt only when one is created or deleted.
    let topics = Memo::new(move |_| match cluster.get() {
        Some(ViewModel::Cluster(c)) => c
            .topics
            .into_iter()
            .filter(|t| !t.internal)
            .map(|t| t.name)
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    view! {
        <form class="send-form" aria-label="Send records" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <label>"topic " <input aria-label="topic" size="10" list=list_id.clone() prop:value=topic on:input=move |ev| set_topic.set(event_target_value(&ev))/></label>
            <datalist id=list_id>{move || topics.get().into_iter().map(|t| view! { <option value=t/> }).collect_view()}</datalist>
            <label>"key " <input aria-label="key" size="12" title="Empty: no key (the partitioner spreads records). {n} is the record's number." prop:value=key on:input=move |ev| set_key.set(event_target_value(&ev))/></label>
            <label>"value " <input aria-label="value" size="14" title="{n} is the record's number." prop:value=value on:input=move |ev| set_value.set(event_target_value(&ev))/></label>
            <label>"headers " <input aria-label="headers" size="12" placeholder="source=web, v=2" prop:value=headers on:input=move |ev| set_headers.set(event_target_value(&ev))/></label>
            <label>"× " <input aria-label="How many records" size="4" inputmode="numeric" prop:value=count on:input=move |ev| set_count.set(event_target_value(&ev))/></label>
            <fieldset class="mode">
                <legend class="sr-only">"How send() is used"</legend>
                <label><input type="radio" name=format!("mode-{id}") aria-label="async send()" prop:checked=move || !sync.get() on:change=move |_| set_sync.set(false)/>" async"</label>
                <label><input type="radio" name=format!("mode-{id}") aria-label="sync send() + flush()" prop:checked=sync on:change=move |_| set_sync.set(true)/>" sync (flush)"</label>
            </fieldset>
            <button type="submit" data-testid="send">"Send"</button>
            <span class="rate">
                <input aria-label="records/s" size="5" inputmode="numeric" prop:value=rate on:input=move |ev| set_rate.set(event_target_value(&ev))/>" /s "
                // Rebuilt when the rate starts or stops only: a button
                // replaced on every update would lose clicks.
                {move || if sending.get() {
                    view! {
                        <button type="button" data-testid="stop-rate" on:click=move |_| {
                            if let Some(r) = running() {
                                act(ProducerAction::SetRate { topic: r.topic, records_per_second: 0, key: None, value: String::new() });
                            }
                        }>{move || format!("Stop ({} sent)", running().map_or(0, |r| r.produced))}</button>
                    }.into_any()
                } else {
                    view! { <button type="button" data-testid="start-rate" on:click=move |_| start_rate()>"Send continuously"</button> }.into_any()
                }}
            </span>
            <button type="button" data-testid="flush" on:click=move |_| act(ProducerAction::Flush)>"flush()"</button>
            <button type="button" data-testid="close-producer" on:click=move |_| act(ProducerAction::Close)>"close()"</button>
            <button type="button" data-testid="race" title="Sends the records twice: asynchronously with one flush() at the end, then with flush() after each send()" on:click=run_race>"Compare sync and async"</button>
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="outcome" role="status" data-testid="send-outcome">{text}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="send-error">{e}</p> }.into_any(),
            })}
            {move || race.get().map(|r| match r {
                Ok((n, asynchronous, synchronous)) => view! { <SyncVsAsync records=n asynchronous=asynchronous synchronous=synchronous/> }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="race-error">{e}</p> }.into_any(),
            })}
        </form>
    }
}

/// The same records sent both ways, side by side: how long each took in
/// engine time, as bars on one scale, with the throughput.
#[component]
fn SyncVsAsync(records: u32, asynchronous: i64, synchronous: i64) -> impl IntoView {
    let longest = asynchronous.max(synchronous).max(1);
    #[allow(clippy::cast_precision_loss)]
    let row = move |name: &'static str, how: &'static str, ms: i64| {
        let width = format!(
            "width:{}%",
            crate::views::fixed((ms.max(0) as f64 * 100.0 / longest as f64).max(1.0), 1)
        );
        let per_second = if ms > 0 {
            format!(
                "{} records/s",
                crate::views::fixed(f64::from(records) * 1_000.0 / ms as f64, 0)
            )
        } else {
            "instant".to_owned()
        };
        view! {
            <div class="race-row" data-testid=format!("race-{name}")>
                <span class="race-name">{name}</span>
                <span class="race-track"><span class=format!("race-bar race-{name}") style=width></span></span>
                <span class="race-figure">{format!("{ms} ms · {per_second}")}</span>
                <span class="muted race-how">{how}</span>
            </div>
        }
    };
    view! {
        <div class="race" role="group" aria-label="Sync and async compared" data-testid="race-result">
            <p class="muted">{format!("{records} records, engine time from the first send() to the last delivery report:")}</p>
            {row("async", "send() × N, then one flush(): records share batches and requests", asynchronous)}
            {row("sync", "send() then flush(), N times: one record per batch, each waits for its round trip", synchronous)}
        </div>
    }
}

/// `n` records from the form's templates: `{n}` becomes each record's
/// number; an empty key template means keyless records.
fn numbered_records(
    n: u32,
    key: &str,
    value: &str,
    headers: &[(String, String)],
) -> Vec<NewRecord> {
    (0..n)
        .map(|i| {
            let fill = |t: &str| t.replace("{n}", &i.to_string());
            NewRecord {
                key: (!key.is_empty()).then(|| fill(key)),
                value: Some(fill(value)),
                headers: headers.to_vec(),
            }
        })
        .collect()
}

/// `k=v, k2=v2` as headers.
fn parse_headers(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(|h| match h.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.trim().to_owned())),
            _ => Err(format!("a header is name=value, not {h}")),
        })
        .collect()
}

/// The record accumulator: one bar per batch filling against `batch.size`,
/// with its `linger.ms` timer.
#[component]
fn Accumulator(producer: Memo<Option<ProducerModel>>) -> impl IntoView {
    view! {
        <div class="accumulator" data-testid="accumulator">
            <h5>"Record accumulator"</h5>
            {move || producer.get().map(|p| {
                if p.batches.is_empty() {
                    return view! { <p class="muted">"Empty: every record sent so far has left in a batch."</p> }.into_any();
                }
                let (size, linger) = (p.batch_size.max(1), p.linger_ms);
                p.batches.into_iter().map(|b| batch_row(&b, size, linger)).collect_view().into_any()
            })}
        </div>
    }
}

fn batch_row(b: &BatchModel, batch_size: u32, linger_ms: f64) -> impl IntoView {
    #[allow(clippy::cast_precision_loss)]
    let fill = (f64::from(b.bytes) / f64::from(batch_size) * 100.0).min(100.0);
    #[allow(clippy::cast_precision_loss)]
    let waited = if linger_ms > 0.0 {
        (b.age_ms as f64 / linger_ms * 100.0).min(100.0)
    } else {
        100.0
    };
    let state = if b.backoff_ms > 0 {
        format!("retry {} in {} ms", b.attempts + 1, b.backoff_ms)
    } else if b.closed {
        "full: goes next".to_owned()
    } else {
        format!(
            "linger {} / {} ms",
            b.age_ms,
            crate::views::number(linger_ms)
        )
    };
    view! {
        <div class=format!("batch part-{}", b.partition.rem_euclid(8)) data-testid="batch">
            <code class="batch-tp">{format!("{}-{}", b.topic, b.partition)}</code>
            <span class="bar" role="meter" aria-label=format!("batch.size used by the {}-{} batch", b.topic, b.partition)
                aria-valuemin="0" aria-valuemax=batch_size aria-valuenow=b.bytes>
                <span class="bar-fill" style=format!("width:{}%", crate::views::fixed(fill, 1))></span>
            </span>
            <span class="num">{format!("{} rec · {} / {} B", b.records, b.bytes, batch_size)}</span>
            <span class="bar linger" role="meter" aria-label="linger.ms waited" aria-valuemin="0" aria-valuemax=crate::views::number(linger_ms) aria-valuenow=b.age_ms>
                <span class="bar-fill" style=format!("width:{}%", crate::views::fixed(waited, 1))></span>
            </span>
            <span class="muted">{state}</span>
        </div>
    }
}

/// Requests in flight: a slot per `max.in.flight.requests.per.connection`
/// (up to ten drawn), each filled by a request and what it carries.
#[component]
fn InFlight(producer: Memo<Option<ProducerModel>>) -> impl IntoView {
    view! {
        <div class="in-flight" data-testid="in-flight">
            <h5>{move || producer.with(|p| p.as_ref().map(|p| format!(
                "In flight: {} (max.in.flight.requests.per.connection={} per broker)", p.in_flight.len(), p.max_in_flight
            )))}</h5>
            {move || producer.get().map(|p| {
                let drawn = usize::try_from(p.max_in_flight).unwrap_or(usize::MAX).min(10).max(p.in_flight.len());
                let codec = p.effective.iter().find(|(k, _)| k == "compression.type").map_or_else(|| "none".to_owned(), |(_, v)| v.clone());
                let mut slots: Vec<Option<InFlightModel>> = p.in_flight.into_iter().map(Some).collect();
                slots.resize(drawn, None);
                view! {
                    <ol class="slots">
                        {slots.into_iter().map(|slot| match slot {
                            Some(f) => flight(&f, &codec).into_any(),
                            None => view! { <li class="slot free" aria-label="free slot"></li> }.into_any(),
                        }).collect_view()}
                    </ol>
                }
            })}
        </div>
    }
}

fn flight(f: &InFlightModel, codec: &str) -> impl IntoView {
    let (class, state) = match f.state {
        FlightState::AwaitingBroker => ("awaiting", "waiting for the broker".to_owned()),
        FlightState::Delayed => ("delayed", "held up by the network".to_owned()),
        FlightState::Lost => ("lost", format!("lost: times out in {} ms", f.timeout_in_ms)),
    };
    let sequence = f
        .batch
        .sequence
        .map(|s| format!(" · sequence {}", s.base_sequence))
        .unwrap_or_default();
    // The batch as it travels: compressed with `compression.type`.
    let size = match f.batch.wire_bytes {
        Some(wire) if codec != "none" => {
            format!(" · {} B → {wire} B with {codec}", f.batch.bytes)
        }
        Some(wire) => format!(" · {wire} B"),
        None => String::new(),
    };
    let text = format!(
        "{}-{} → broker {} · {} rec{size} · attempt {}{sequence} · {state}",
        f.batch.topic,
        f.batch.partition,
        f.broker.map_or_else(|| "?".to_owned(), |b| b.to_string()),
        f.batch.records,
        f.batch.attempts,
    );
    view! { <li class=format!("slot {class}") data-testid="flight">{text}</li> }
}

/// The newest delivery reports, as the delivery callback got them.
#[component]
fn Reports(producer: Memo<Option<ProducerModel>>) -> impl IntoView {
    // Read, not watched: at hundreds of records a second the rows are made
    // again at most every SLOW_TICK (the counts above them every frame).
    let tick = crate::link::slow_tick();
    view! {
        <div class="reports">
            <h5>{move || producer.with(|p| p.as_ref().map(|p| format!(
                "Delivery reports: {} delivered, {} failed, {} waiting", p.delivered, p.failed, p.outstanding
            )))}</h5>
            <table data-testid="reports">
                <thead><tr>
                    <th scope="col">"#"</th><th scope="col">"key"</th><th scope="col">"value"</th><th scope="col">"partition"</th>
                    <th scope="col">"offset"</th><th scope="col">"timestamp"</th><th scope="col">"took"</th><th scope="col">"error"</th>
                </tr></thead>
                <tbody>
                    {move || { tick.track(); producer.get_untracked() }.map(|p| p.reports.into_iter().rev().map(|r| view! {
                        <tr data-testid="report" class=if r.error.is_some() { "failed" } else { "ok" }>
                            <td class="num">{r.handle}</td>
                            <td><code>{r.key.map(|k| k.text).unwrap_or_else(|| "null".into())}</code></td>
                            <td>{r.value.map(|v| v.text).unwrap_or_else(|| "null".into())}</td>
                            <td><span class=format!("part-chip part-{}", r.partition.rem_euclid(8)) data-testid="report-partition">{r.partition}</span></td>
                            <td class="num" data-testid="report-offset">{r.offset}</td>
                            <td class="num">{format_time(r.timestamp)}</td>
                            <td class="num">{format!("{} ms", r.latency_ms)}</td>
                            <td class="error">{r.error.clone().unwrap_or_default()}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
        </div>
    }
}

/// The tail of the partition the newest report went to, with records
/// whose key and value appear more than once marked (where a retry
/// without idempotence shows as a duplicate) and records written after
/// one this producer sent later (where a retried batch was overtaken:
/// reordering, with `max.in.flight.requests.per.connection` above 1 and
/// no idempotence).
#[component]
fn LastPartition(link: EngineLink, producer: Memo<Option<ProducerModel>>) -> impl IntoView {
    let target = Memo::new(move |_| {
        producer.with(|p| {
            p.as_ref()
                .and_then(|p| p.reports.last().map(|r| (r.topic.clone(), r.partition)))
        })
    });
    // Offset -> the order this producer sent the record in, for the
    // partition shown: a record written after one it was sent before is
    // out of order (a retried batch overtaken by a later one).
    let sent_order = Memo::new(move |_| {
        producer.with(|p| {
            let (Some(p), Some((topic, partition))) = (p.as_ref(), target.get()) else {
                return Vec::new();
            };
            p.reports
                .iter()
                .filter(|r| r.error.is_none() && r.topic == topic && r.partition == partition)
                .map(|r| (r.offset, r.handle))
                .collect::<Vec<_>>()
        })
    });
    move || {
        target.get().map(|(topic, partition)| view! { <PartitionTail link=link topic=topic partition=partition sent_order=sent_order/> })
    }
}

/// The newest records of one partition.
#[component]
fn PartitionTail(
    link: EngineLink,
    topic: String,
    partition: i32,
    sent_order: Memo<Vec<(i64, u64)>>,
) -> impl IntoView {
    let records = link.subscribe(Query::Records {
        topic: topic.clone(),
        partition,
        from_offset: None,
        limit: 12,
    });
    // Read, not watched (see Reports).
    let tick = crate::link::slow_tick();
    view! {
        <div class="tail" data-testid="partition-tail">
            <h5>"The log of " <code>{format!("{topic}-{partition}")}</code> " (newest last)"</h5>
            <ol class="tail-records">
                {move || {
                    tick.track();
                    match records.get_untracked() {
                        Some(ViewModel::Records(m)) => sent_order.with_untracked(|order| tail(&m.records, order)).into_any(),
                        _ => ().into_any(),
                    }
                }}
            </ol>
        </div>
    }
}

fn tail(records: &[RecordModel], sent_order: &[(i64, u64)]) -> impl IntoView {
    let handle = |offset: i64| {
        sent_order
            .iter()
            .find(|(o, _)| *o == offset)
            .map(|(_, h)| *h)
    };
    let text = |r: &RecordModel| {
        (
            r.key.as_ref().map(|k| k.text.clone()),
            r.value.as_ref().map(|v| v.text.clone()),
        )
    };
    records
        .iter()
        .map(|r| {
            let same = records.iter().filter(|o| text(o) == text(r)).count();
            let duplicate = same > 1;
            // Sent before a record that was written ahead of it.
            let overtaken = handle(r.offset).and_then(|mine| {
                records
                    .iter()
                    .filter(|o| o.offset < r.offset)
                    .find(|o| handle(o.offset).is_some_and(|theirs| theirs > mine))
                    .map(|o| o.offset)
            });
            let class = match (duplicate, overtaken.is_some()) {
                (true, _) => "tail-record duplicate",
                (false, true) => "tail-record reordered",
                _ => "tail-record",
            };
            view! {
                <li class=class data-testid="tail-record">
                    <code class="num">{r.offset}</code>" "
                    <code>{r.key.as_ref().map_or_else(|| "null".to_owned(), |k| k.text.clone())}</code>" "
                    <span>{r.value.as_ref().map_or_else(|| "null".to_owned(), |v| v.text.clone())}</span>
                    {duplicate.then(|| view! { <strong class="dup-mark">" duplicate"</strong> })}
                    {overtaken.map(|o| view! { <strong class="order-mark" data-testid="reordered">{format!(" out of order: sent before offset {o}, written after it")}</strong> })}
                </li>
            }
        })
        .collect_view()
}
