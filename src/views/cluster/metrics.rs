//! Broker metrics over time: what an operator's dashboard shows, one row
//! per broker, one sparkline per metric over the last minute of engine
//! time, named as Kafka's JMX beans name them (`BytesInPerSec`,
//! `BytesOutPerSec`, `MessagesInPerSec`, `UnderReplicatedPartitions`,
//! `IsrShrinksPerSec` / `IsrExpandsPerSec`), and the controller's
//! `OfflinePartitionsCount`. Stop a broker and watch the ISR shrink, the
//! under-replicated count rise on the brokers that lead, the traffic move;
//! start it and watch the ISR expand again.

use leptos::prelude::*;
use port::{BrokerMetrics, MetricsSample};

/// Width and height of a sparkline, in SVG units.
/// A sparkline's size (the `viewBox` below says it as text: formatting an
/// `f64` would bring core's float formatting into the page).
const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 28.0;

/// The broker metrics panel. Rebuilt once per sample, not per frame.
#[component]
pub fn BrokerMetricsPanel(
    /// The samples, oldest first.
    samples: Memo<Vec<MetricsSample>>,
) -> impl IntoView {
    move || {
        samples.with(|samples| {
            let Some(last) = samples.last() else {
                return view! {
                    <p class="muted empty" data-testid="no-metrics">
                        "Broker metrics appear after the first second of engine time: press ▶ or +1 s, then produce and stop a broker."
                    </p>
                }
                .into_any();
            };
            let seconds = samples.len();
            let rows = last
                .brokers
                .iter()
                .map(|b| broker_row(b.broker, b.online, samples))
                .collect_view();
            view! {
                <table class="metrics" data-testid="broker-metrics">
                    <caption class="muted">{format!("The last {seconds} s of engine time, one sample per second; the number is the latest.")}</caption>
                    <thead><tr>
                        <th scope="col">"Broker"</th>
                        <th scope="col" title="kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec: produce bytes its partitions' leaders appended">"BytesInPerSec"</th>
                        <th scope="col" title="kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec: bytes it served to consumers' fetches (not replication)">"BytesOutPerSec"</th>
                        <th scope="col" title="kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec">"MessagesInPerSec"</th>
                        <th scope="col" title="kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions: partitions it leads whose ISR is smaller than their replica set">"UnderReplicatedPartitions"</th>
                        <th scope="col" title="kafka.server:type=ReplicaManager,name=IsrShrinksPerSec and IsrExpandsPerSec: followers dropped from and taken back into the ISRs of partitions it leads">"IsrShrinks / IsrExpands"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <p class="muted" data-testid="offline-partitions" title="kafka.controller:type=KafkaController,name=OfflinePartitionsCount">
                    {format!("OfflinePartitionsCount: {}", last.offline_partitions)}
                </p>
            }
            .into_any()
        })
    }
}

/// One broker's row: a sparkline per metric.
fn broker_row(broker: i32, online: bool, samples: &[MetricsSample]) -> impl IntoView {
    // A stopped broker reports nothing (no JMX to read): its seconds are
    // gaps in the lines, not zeros.
    let series = |pick: fn(&BrokerMetrics) -> u64| -> Vec<Option<u64>> {
        samples
            .iter()
            .map(|s| {
                s.brokers
                    .iter()
                    .find(|b| b.broker == broker && b.online)
                    .map(pick)
            })
            .collect()
    };
    let bytes_in = series(|b| b.bytes_in);
    let bytes_out = series(|b| b.bytes_out);
    let messages = series(|b| b.messages_in);
    let urp = series(|b| u64::from(b.under_replicated));
    let shrinks = series(|b| u64::from(b.isr_shrinks));
    let expands = series(|b| u64::from(b.isr_expands));
    let total = |v: &[Option<u64>]| v.iter().flatten().sum::<u64>();
    let isr_text = format!("{} / {}", total(&shrinks), total(&expands));
    // The latest second's value, or a dash while the broker is stopped.
    let latest = |v: &[Option<u64>], show: fn(u64) -> String| {
        v.last()
            .copied()
            .flatten()
            .map_or_else(|| "–".to_owned(), show)
    };
    view! {
        <tr data-testid=format!("metrics-broker-{broker}") class:broker-down=!online>
            <th scope="row">{format!("Broker {broker}")}{(!online).then_some(" (stopped)")}</th>
            <td>{spark(&format!("BytesInPerSec of broker {broker}"), &[(&bytes_in, "in")], latest(&bytes_in, rate))}</td>
            <td>{spark(&format!("BytesOutPerSec of broker {broker}"), &[(&bytes_out, "out")], latest(&bytes_out, rate))}</td>
            <td>{spark(&format!("MessagesInPerSec of broker {broker}"), &[(&messages, "in")], latest(&messages, |m| format!("{m}/s")))}</td>
            <td data-testid="urp">{spark(&format!("UnderReplicatedPartitions of broker {broker}"), &[(&urp, "warn")], latest(&urp, |u| u.to_string()))}</td>
            <td data-testid="isr-changes">{spark(&format!("IsrShrinks and IsrExpands of broker {broker}"), &[(&shrinks, "warn"), (&expands, "ok")], isr_text)}</td>
        </tr>
    }
}

/// A sparkline of one or more series on one scale, with the latest value
/// as text (the accessible name says both).
fn spark(
    name: &str,
    series: &[(&Vec<Option<u64>>, &'static str)],
    latest: String,
) -> impl IntoView {
    let max = series
        .iter()
        .flat_map(|(s, _)| s.iter().copied().flatten())
        .max()
        .unwrap_or(0)
        .max(1);
    #[allow(clippy::cast_precision_loss)]
    let lines = series
        .iter()
        .map(|(values, class)| {
            let step = WIDTH / (values.len().max(2) - 1) as f64;
            // A path that lifts its pen over the seconds without a value.
            let mut path = String::new();
            let mut pen_down = false;
            for (i, v) in values.iter().enumerate() {
                let Some(v) = v else {
                    pen_down = false;
                    continue;
                };
                let y = HEIGHT - 2.0 - (*v as f64 / max as f64) * (HEIGHT - 4.0);
                path.push_str(&format!(
                    "{}{},{} ",
                    if pen_down { "L" } else { "M" },
                    crate::views::fixed(i as f64 * step, 1),
                    crate::views::fixed(y, 1)
                ));
                pen_down = true;
            }
            view! { <path class=format!("spark-{class}") d=path/> }
        })
        .collect_view();
    let label = format!("{name}: {latest}");
    // The first series' sum over the minute (a test reads it).
    let total: u64 = series.first().map_or(0, |(s, _)| s.iter().flatten().sum());
    view! {
        <span class="spark">
            <svg viewBox="0 0 120 28" width="120" height="28" role="img" aria-label=label data-total=total>{lines}</svg>
            <span class="spark-value">{latest}</span>
        </span>
    }
}

/// Bytes per second in B/s, KB/s or MB/s.
#[allow(clippy::cast_precision_loss)]
fn rate(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{} MB/s", crate::views::fixed(b as f64 / 1e6, 1)),
        b if b >= 1_000 => format!("{} KB/s", crate::views::fixed(b as f64 / 1e3, 1)),
        b => format!("{b} B/s"),
    }
}
