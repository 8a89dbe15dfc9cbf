//! The iteration order of a `java.util.HashMap` with `String` keys.
//!
//! Some results of the Java assignors depend on the order in which they
//! iterate a `HashMap`: which members of a sticky group keep the larger
//! quota, and in which order the sticky user data lists its topics. That
//! order is a function of the keys' `String.hashCode`, the table size and,
//! for keys that share a bucket, the insertion order, so it can be
//! reproduced: buckets in index order (`(h ^ h >>> 16) & (capacity - 1)`);
//! within a bucket oldest first for `put` (new nodes go at the tail) and
//! newest first for `computeIfAbsent` (at the head). The table starts with
//! 16 buckets and doubles when the map holds more than three quarters of
//! that (checked after a `put`, before a `computeIfAbsent`) or when a bucket
//! grows past 8 nodes while the table has fewer than 64 buckets. A bucket
//! that grows past 8 nodes in a larger table becomes a red-black tree, whose
//! order is not modelled: that takes 9 keys with colliding hashes.

/// How the map was filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Insertion {
    /// `HashMap.put`.
    Put,
    /// `HashMap.computeIfAbsent`.
    ComputeIfAbsent,
}

/// Java's `String.hashCode`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16
/// code units, in wrapping 32-bit arithmetic.
pub(crate) fn string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// `HashMap.hash`: the hash code with its high half folded into the low.
fn spread(key: &str) -> u32 {
    let h = string_hash(key) as u32;
    h ^ (h >> 16)
}

/// The distinct `keys` in the order a `HashMap` filled with them (in this
/// order, repeats allowed) iterates them.
pub(crate) fn iteration_order<'a>(
    keys: impl IntoIterator<Item = &'a str>,
    how: Insertion,
) -> Vec<&'a str> {
    const MIN_TREEIFY_CAPACITY: usize = 64;
    // A new node makes the bucket a tree (or the table grow) when the
    // bucket already has this many: `binCount >= TREEIFY_THRESHOLD - 1`,
    // where `put` counts nodes from zero and `computeIfAbsent` from one.
    let treeify_at = match how {
        Insertion::Put => 8,
        Insertion::ComputeIfAbsent => 7,
    };
    let mut capacity = 0usize;
    let mut threshold = 0usize;
    let grow = |capacity: &mut usize, threshold: &mut usize| {
        if *capacity == 0 {
            (*capacity, *threshold) = (16, 12);
        } else {
            (*capacity, *threshold) = (*capacity * 2, *threshold * 2);
        }
    };
    let mut entries: Vec<(&str, usize)> = Vec::new();
    for key in keys {
        if capacity == 0 || (how == Insertion::ComputeIfAbsent && entries.len() > threshold) {
            grow(&mut capacity, &mut threshold);
        }
        if entries.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let hash = spread(key) as usize;
        let in_bucket = entries
            .iter()
            .filter(|(_, h)| (h ^ hash) & (capacity - 1) == 0)
            .count();
        entries.push((key, hash));
        if in_bucket >= treeify_at && capacity < MIN_TREEIFY_CAPACITY {
            grow(&mut capacity, &mut threshold);
        }
        if how == Insertion::Put && entries.len() > threshold {
            grow(&mut capacity, &mut threshold);
        }
    }
    let mut order: Vec<(usize, usize, &str)> = entries
        .iter()
        .enumerate()
        .map(|(i, (key, hash))| {
            let rank = match how {
                Insertion::Put => i,
                Insertion::ComputeIfAbsent => usize::MAX - i,
            };
            (hash & capacity.saturating_sub(1), rank, *key)
        })
        .collect();
    crate::compact_sort::sort_unstable(&mut order);
    order.into_iter().map(|(_, _, key)| key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_hash_codes() {
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("a"), 97);
        assert_eq!(string_hash("topic"), 110_546_223);
        assert_eq!(string_hash("topic1"), -868_034_334);
        // "polygenelubricants".hashCode() == Integer.MIN_VALUE.
        assert_eq!(string_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn orders_like_java() {
        // consumer1, consumer2, consumer3 fall in buckets 12, 11 and 10.
        assert_eq!(
            iteration_order(["consumer1", "consumer2", "consumer3"], Insertion::Put),
            ["consumer3", "consumer2", "consumer1"]
        );
        // topic1, topic2, topic: buckets 0, 1 and 9.
        assert_eq!(
            iteration_order(["topic", "topic2", "topic1"], Insertion::ComputeIfAbsent),
            ["topic1", "topic2", "topic"]
        );
        // "Aa" and "BB" share a hash code: put keeps insertion order,
        // computeIfAbsent reverses it.
        assert_eq!(iteration_order(["Aa", "BB"], Insertion::Put), ["Aa", "BB"]);
        assert_eq!(
            iteration_order(["Aa", "BB"], Insertion::ComputeIfAbsent),
            ["BB", "Aa"]
        );
        assert_eq!(
            iteration_order(["BB", "Aa", "BB"], Insertion::ComputeIfAbsent),
            ["Aa", "BB"]
        );
        assert!(iteration_order(std::iter::empty(), Insertion::Put).is_empty());
    }

    #[test]
    fn tables_grow() {
        // 13 keys: a 32-bucket table after the 13th put; computeIfAbsent
        // grows only when the next call starts.
        let keys: Vec<String> = (0..13).map(|i| format!("c{i}")).collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let put = iteration_order(refs.iter().copied(), Insertion::Put);
        let mut by_bucket = refs.clone();
        by_bucket.sort_by_key(|k| (spread(k) as usize & 31, refs.iter().position(|x| x == k)));
        assert_eq!(put, by_bucket);
        let cia = iteration_order(refs.iter().copied(), Insertion::ComputeIfAbsent);
        let mut by_bucket16 = refs.clone();
        by_bucket16.sort_by_key(|k| {
            (
                spread(k) as usize & 15,
                usize::MAX - refs.iter().position(|x| x == k).unwrap_or(0),
            )
        });
        assert_eq!(cia, by_bucket16);
    }
}
