//! A consumer group's rebalances, step by step, and its lag over time.
//!
//! The steps come from the coordinator's and the clients' own events: a
//! rebalance opens when the coordinator prepares it (JoinGroup round),
//! each member's JoinGroup, the new generation with its leader, the
//! leader's assignment (SyncGroup), what each member revoked and got, and
//! the group stable again. The cooperative protocol shows as two
//! rebalances: the first revokes, the second assigns. Pause the clock and
//! step it to watch them happen one at a time.

use leptos::prelude::*;
use port::{ConsumersModel, EventLine, Query, ViewModel};

use crate::link::EngineLink;
use crate::views::format_time;

/// Group events read for the steps.
const EVENTS: u32 = 150;

/// Rebalances shown, newest first.
const SHOWN: usize = 4;

/// Lag samples kept for the chart.
const SAMPLES: usize = 120;

/// Engine time between two lag samples.
const SAMPLE_MS: i64 = 250;

/// One rebalance: the group, the generation it led to (none while it is
/// still under way) and its steps in protocol order.
#[derive(Debug, Clone, PartialEq)]
struct Rebalance {
    group: String,
    generation: Option<i64>,
    steps: Vec<(&'static str, EventLine)>,
}

/// The newest rebalances of every group, as steps.
#[component]
pub fn RebalanceSteps(
    /// The engine link.
    link: EngineLink,
) -> impl IntoView {
    let events = link.subscribe(Query::Events {
        limit: EVENTS,
        groups_only: true,
    });
    let rebalances = Memo::new(move |_| match events.get() {
        Some(ViewModel::Events(model)) => rebalances(&model.events),
        _ => Vec::new(),
    });
    view! {
        <div class="rebalances" data-testid="rebalances">
            {move || {
                let list = rebalances.get();
                if list.is_empty() {
                    return view! { <p class="muted">"No rebalance yet: add a consumer with a group.id, then pause the clock and step it to watch the group form."</p> }.into_any();
                }
                list.into_iter().rev().take(SHOWN).map(|r| view! {
                    <section class="rebalance" data-testid="rebalance" aria-label=format!("A rebalance of group {}", r.group)>
                        <h4>"group " <code>{r.group.clone()}</code>
                            {match r.generation { Some(g) => format!(" → generation {g}"), None => " (under way)".to_owned() }}</h4>
                        <ol class="steps">
                            {r.steps.into_iter().map(|(step, e)| view! {
                                <li class=format!("step step-{}", e.kind)>
                                    <span class="step-name">{step}</span>" "
                                    <code class="event-time">{format_time(e.at)}</code>" "
                                    <span>{sentence(&e.text)}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                }).collect_view().into_any()
            }}
        </div>
    }
}

/// The protocol step an event is, by its kind.
fn step(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "RebalanceStarted" => "1 · PreparingRebalance",
        "MemberJoined" => "JoinGroup",
        "MemberRemoved" | "ConsumerLeftGroup" => "member leaves",
        "PartitionsRevoked" => "onPartitionsRevoked",
        "PartitionsLost" => "onPartitionsLost",
        "GenerationStarted" => "2 · JoinGroup answered: new generation",
        "AssignmentComputed" => "3 · SyncGroup: the leader's assignment",
        "PartitionsAssigned" => "onPartitionsAssigned",
        "GroupStable" => "4 · Stable",
        "GroupEmpty" => "Empty",
        _ => return None,
    })
}

/// Events grouped into rebalances by the generation they lead to: steps
/// that name a generation go to its rebalance; the others (joins,
/// revocations, the coordinator preparing) to the next generation of their
/// group. Within one, steps are in protocol order.
fn rebalances(events: &[EventLine]) -> Vec<Rebalance> {
    let mut out: Vec<Rebalance> = Vec::new();
    let mut pending: Vec<(String, &'static str, EventLine)> = Vec::new();
    for e in events {
        let (Some(step), Some(group)) = (step(&e.kind), group_of(&e.text)) else {
            continue;
        };
        let Some(generation) = generation_of(&e.text) else {
            pending.push((group.to_owned(), step, e.clone()));
            continue;
        };
        let at = match out
            .iter()
            .position(|r| r.group == group && r.generation == Some(generation))
        {
            Some(at) => at,
            None => {
                let mut steps = Vec::new();
                pending.retain(|(g, s, e)| {
                    let mine = g == group;
                    if mine {
                        steps.push((*s, e.clone()));
                    }
                    !mine
                });
                out.push(Rebalance {
                    group: group.to_owned(),
                    generation: Some(generation),
                    steps: Vec::new(),
                });
                let last = out.len() - 1;
                out[last].steps = steps;
                last
            }
        };
        out[at].steps.push((step, e.clone()));
    }
    let mut groups: Vec<String> = pending.iter().map(|(g, _, _)| g.clone()).collect();
    groups.dedup();
    for group in groups {
        let steps = pending
            .iter()
            .filter(|(g, _, _)| *g == group)
            .map(|(_, s, e)| (*s, e.clone()))
            .collect();
        out.push(Rebalance {
            group,
            generation: None,
            steps,
        });
    }
    for r in &mut out {
        r.steps.sort_by_key(|(name, _)| rank(name));
    }
    out
}

fn rank(name: &str) -> u8 {
    [
        "1 ·",
        "JoinGroup",
        "member",
        "onPartitionsRevoked",
        "onPartitionsLost",
        "2 ·",
        "3 ·",
        "onPartitionsAssigned",
        "4 ·",
        "Empty",
    ]
    .iter()
    .position(|p| name.starts_with(p))
    .and_then(|i| u8::try_from(i).ok())
    .unwrap_or(u8::MAX)
}

/// `N` from `… generation N …`.
fn generation_of(text: &str) -> Option<i64> {
    let after = text.split_once("generation ")?.1;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `g` from `group g: …`.
fn group_of(text: &str) -> Option<&str> {
    text.strip_prefix("group ")?
        .split_once(": ")
        .map(|(group, _)| group)
}

/// The sentence without its `group g: ` prefix.
fn sentence(text: &str) -> String {
    text.split_once(": ")
        .map_or(text, |(_, rest)| rest)
        .to_owned()
}

/// Each group's total lag (high watermark minus committed offset, summed
/// over its partitions) over engine time, as a line chart.
#[component]
pub fn LagChart(
    /// The engine link.
    link: EngineLink,
    /// The consumers model.
    consumers: Signal<Option<ConsumersModel>>,
) -> impl IntoView {
    let clock = link.subscribe(Query::Clock);
    // (engine ms, [(group, lag)]), oldest first.
    let samples = RwSignal::new(Vec::<(i64, Vec<(String, i64)>)>::new());
    Effect::new(move |_| {
        let Some(model) = consumers.get() else { return };
        let Some(ViewModel::Clock(now)) = clock.get_untracked() else {
            return;
        };
        let lags: Vec<(String, i64)> = model
            .groups
            .iter()
            .map(|g| (g.group_id.clone(), g.offsets.iter().map(|o| o.lag).sum()))
            .collect();
        samples.update(|s| {
            if s.last().is_some_and(|(at, _)| now.now - at < SAMPLE_MS) {
                if let Some(last) = s.last_mut() {
                    last.1 = lags;
                }
                return;
            }
            s.push((now.now, lags));
            let excess = s.len().saturating_sub(SAMPLES);
            s.drain(..excess);
        });
    });
    view! {
        <figure class="lag-chart" data-testid="lag-chart">
            {move || chart(&samples.get())}
            <figcaption class="muted">"Committed lag per group over engine time (newest on the right)."</figcaption>
        </figure>
    }
}

fn chart(samples: &[(i64, Vec<(String, i64)>)]) -> AnyView {
    let mut groups: Vec<String> = samples
        .iter()
        .flat_map(|(_, l)| l.iter().map(|(g, _)| g.clone()))
        .collect();
    groups.sort();
    groups.dedup();
    if samples.len() < 2 || groups.is_empty() {
        return view! { <p class="muted">"Lag appears here once a group has committed offsets and time runs."</p> }.into_any();
    }
    let (first, last) = (samples[0].0, samples[samples.len() - 1].0);
    let span = (last - first).max(1);
    let max = samples
        .iter()
        .flat_map(|(_, l)| l.iter().map(|(_, lag)| *lag))
        .max()
        .unwrap_or(0)
        .max(1);
    let (width, height) = (600.0_f64, 140.0_f64);
    #[allow(clippy::cast_precision_loss)]
    let point = |at: i64, lag: i64| {
        let x = (at - first) as f64 / span as f64 * width;
        let y = height - lag as f64 / max as f64 * (height - 10.0);
        format!(
            "{},{}",
            crate::views::fixed(x, 1),
            crate::views::fixed(y, 1)
        )
    };
    let lines = groups
        .iter()
        .enumerate()
        .map(|(i, group)| {
            let points: Vec<String> = samples
                .iter()
                .filter_map(|(at, lags)| {
                    lags.iter()
                        .find(|(g, _)| g == group)
                        .map(|(_, lag)| point(*at, *lag))
                })
                .collect();
            let now = samples
                .last()
                .and_then(|(_, l)| l.iter().find(|(g, _)| g == group).map(|(_, lag)| *lag))
                .unwrap_or(0);
            view! {
                <polyline class=format!("lag-line who-{}", i % 8) points=points.join(" ")>
                    <title>{format!("{group}: lag {now}")}</title>
                </polyline>
            }
        })
        .collect_view();
    let legend = groups
        .iter()
        .enumerate()
        .map(|(i, group)| {
            let now = samples.last().and_then(|(_, l)| l.iter().find(|(g, _)| g == group).map(|(_, lag)| *lag)).unwrap_or(0);
            view! { <li class=format!("who-{}", i % 8) data-testid=format!("lag-{group}")>{format!("{group}: lag {now}")}</li> }
        })
        .collect_view();
    view! {
        <svg class="lag-svg" viewBox="0 0 600 140" preserveAspectRatio="none" role="img"
            aria-label=format!("Lag over the last {} s, at most {max}", span / 1_000)>
            <line class="axis" x1="0" y1="140" x2="600" y2="140"/>
            {lines}
        </svg>
        <p class="lag-scale muted">{format!("top: {max} records · span: {} s", crate::views::fixed(span as f64 / 1_000.0, 1))}</p>
        <ul class="lag-legend">{legend}</ul>
    }
    .into_any()
}
