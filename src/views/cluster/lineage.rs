//! Lineage: who writes to which topic and who reads it — producers (the
//! page's clients and the steady workload) on the left, topics in the
//! middle, consumer groups on the right, a line for each flow.

use leptos::prelude::*;
use port::{ClusterModel, Query, ViewModel};

use crate::link::EngineLink;

/// The picture, from the cluster, producers and consumers models.
#[component]
pub fn Lineage(
    /// The engine link.
    link: EngineLink,
    /// The cluster model.
    cluster: Signal<Option<ClusterModel>>,
    /// The consumers model (the view's subscription).
    consumers: Signal<Option<ViewModel>>,
) -> impl IntoView {
    let producers = link.subscribe(Query::Producers);
    // (writers, topics, readers, writes: (writer, topic), reads: (topic, reader))
    let graph = Memo::new(move |_| {
        let mut writes: Vec<(String, String)> = Vec::new();
        if let Some(w) = cluster.with(|c| c.as_ref().and_then(|c| c.workload.clone())) {
            writes.push(("workload".to_owned(), w.topic));
        }
        if let Some(ViewModel::Producers(m)) = producers.get() {
            for p in &m.producers {
                let topics = p
                    .reports
                    .iter()
                    .map(|r| r.topic.clone())
                    .chain(p.rate.iter().map(|r| r.topic.clone()));
                for t in topics {
                    writes.push((p.client_id.clone(), t));
                }
            }
        }
        let mut reads: Vec<(String, String)> = Vec::new();
        if let Some(ViewModel::Consumers(m)) = consumers.get() {
            for g in &m.groups {
                for o in &g.offsets {
                    reads.push((o.topic.clone(), g.group_id.clone()));
                }
                for member in &g.members {
                    for tp in &member.partitions {
                        if let Some((t, _)) = tp.rsplit_once('-') {
                            reads.push((t.to_owned(), g.group_id.clone()));
                        }
                    }
                }
            }
        }
        writes.sort();
        writes.dedup();
        reads.sort();
        reads.dedup();
        let mut writers: Vec<String> = writes.iter().map(|(w, _)| w.clone()).collect();
        writers.dedup();
        let mut readers: Vec<String> = reads.iter().map(|(_, r)| r.clone()).collect();
        readers.sort();
        readers.dedup();
        let mut topics: Vec<String> = writes
            .iter()
            .map(|(_, t)| t.clone())
            .chain(reads.iter().map(|(t, _)| t.clone()))
            .collect();
        topics.sort();
        topics.dedup();
        (writers, topics, readers, writes, reads)
    });
    // Which flows moved since the last update: topics whose high
    // watermarks rose (their writes animate) and groups whose committed
    // offsets in a topic rose (their reads animate).
    let last = StoredValue::new((
        Vec::<(String, i64)>::new(),
        Vec::<(String, String, i64)>::new(),
    ));
    let moving = Memo::new(move |_| {
        let written: Vec<(String, i64)> = cluster.with(|c| {
            c.as_ref().map_or_else(Vec::new, |c| {
                c.topics
                    .iter()
                    .map(|t| {
                        (
                            t.name.clone(),
                            t.partitions.iter().map(|p| p.high_watermark).sum(),
                        )
                    })
                    .collect()
            })
        });
        let read: Vec<(String, String, i64)> = consumers.with(|m| match m {
            Some(ViewModel::Consumers(m)) => m
                .groups
                .iter()
                .flat_map(|g| {
                    g.offsets
                        .iter()
                        .map(move |o| (o.topic.clone(), g.group_id.clone(), o.committed))
                })
                .collect(),
            _ => Vec::new(),
        });
        let (was_written, was_read) = last.get_value();
        let rose = |before: Option<i64>, now: i64| before.is_some_and(|b| now > b);
        let topics: Vec<String> = written
            .iter()
            .filter(|(t, n)| {
                rose(
                    was_written.iter().find(|(u, _)| u == t).map(|(_, b)| *b),
                    *n,
                )
            })
            .map(|(t, _)| t.clone())
            .collect();
        let mut reads: Vec<(String, String)> = Vec::new();
        for (t, g, _) in &read {
            let sum = |list: &[(String, String, i64)]| -> Option<i64> {
                let mine: Vec<i64> = list
                    .iter()
                    .filter(|(u, h, _)| u == t && h == g)
                    .map(|(_, _, o)| *o)
                    .collect();
                (!mine.is_empty()).then(|| mine.iter().sum())
            };
            if let Some(now) = sum(&read) {
                if rose(sum(&was_read), now) && !reads.contains(&(t.clone(), g.clone())) {
                    reads.push((t.clone(), g.clone()));
                }
            }
        }
        last.set_value((written, read));
        (topics, reads)
    });
    move || {
        let (writers, topics, readers, writes, reads) = graph.get();
        if writes.is_empty() && reads.is_empty() {
            return view! { <p class="muted" data-testid="lineage-empty">"Lineage appears once something writes or reads: start producing, or add a producer or a consumer."</p> }.into_any();
        }
        let rows = writers.len().max(topics.len()).max(readers.len());
        let height = 24 * rows + 16;
        let y = |i: usize| 20 + 24 * i;
        let at = |list: &[String], name: &str| list.iter().position(|n| n == name).unwrap_or(0);
        let column = |list: &[String], x: usize, anchor: &'static str, class: &'static str| {
            list.iter()
                .enumerate()
                .map(|(i, name)| view! { <text x=x y=y(i) text-anchor=anchor class=class>{name.clone()}</text> })
                .collect_view()
        };
        let lines = writes
            .iter()
            .map(|(w, t)| {
                let topic = t.clone();
                view! { <line class="flow write" class:active=move || moving.with(|m| m.0.contains(&topic))
                    x1="170" y1=y(at(&writers, w)) - 4 x2="275" y2=y(at(&topics, t)) - 4/> }.into_any()
            })
            .chain(reads.iter().map(|(t, r)| {
                let flow = (t.clone(), r.clone());
                view! { <line class="flow read" class:active=move || moving.with(|m| m.1.contains(&flow))
                    x1="385" y1=y(at(&topics, t)) - 4 x2="490" y2=y(at(&readers, r)) - 4/> }.into_any()
            }))
            .collect_view();
        let described = format!(
            "{}; {}",
            writes
                .iter()
                .map(|(w, t)| format!("{w} writes to {t}"))
                .collect::<Vec<_>>()
                .join(", "),
            reads
                .iter()
                .map(|(t, r)| format!("{r} reads {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        view! {
            <svg class="lineage" viewBox=format!("0 0 660 {height}") role="img" aria-label=described data-testid="lineage">
                {lines}
                {column(&writers, 165, "end", "writer")}
                {column(&topics, 330, "middle", "topic")}
                {column(&readers, 495, "start", "reader")}
            </svg>
        }
        .into_any()
    }
}
