//! Assignment time of each assignor (`cargo bench -p engine --bench
//! assignors`): a first assignment and a reassignment after one member
//! left, for 100 members × 1,000 partitions and 2,000 members × 100,000
//! partitions. The workload is `engine::workload::assignor_round`, which
//! the in-browser benchmark runs too.

use std::time::Instant;

use engine::group::assignor::AssignorKind;
use engine::workload;

fn main() {
    // (members, topics, partitions per topic)
    let sizes = [(100, 10, 100), (2_000, 100, 1_000)];
    for (members, topics, per_topic) in sizes {
        let (partitions, subscriptions) = workload::assignor_group(members, topics, per_topic);
        let total = topics * per_topic as usize;
        for kind in AssignorKind::ALL {
            let runs = if members > 1_000 { 1 } else { 5 };
            let mut best = f64::INFINITY;
            for _ in 0..runs {
                let start = Instant::now();
                let (first, second) = workload::assignor_round(kind, &partitions, &subscriptions)
                    .expect("assignment");
                best = best.min(start.elapsed().as_secs_f64() * 1000.0);
                // Cooperative-sticky holds back partitions that change owner.
                assert_eq!(first, total, "{kind}: every partition assigned");
                assert!(second <= total && second > 0, "{kind}: reassigned");
            }
            println!(
                "native {:>18}: {members:>5} members × {total:>6} partitions: assign + reassign {best:>10.1} ms",
                kind.name()
            );
        }
    }
}
