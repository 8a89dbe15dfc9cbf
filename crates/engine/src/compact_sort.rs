//! Sorting that costs the browser's wasm one sort routine instead of one per
//! call site.
//!
//! `slice::sort_by` is generic over the element type and the comparison, so
//! every call compiles its own copy of Rust's driftsort: about 4 KB of wasm
//! each, some 30 copies across the engine. With the `compact` feature (the
//! browser app turns it on) these functions sort a list of indices with the
//! comparison behind `dyn`, which compiles once, and then move the elements
//! into that order. Without it they are the standard library's sorts, fastest
//! natively. Both routes are stable, so they give the same order; the
//! `_unstable` variants are only for element types whose equal values are
//! indistinguishable (numbers, strings, tuples of them), where every correct
//! sort gives the same result.

use crate::collections::{OrdMap, OrdSet};
use std::cmp::Ordering;

/// Stable sort by `compare`, as [`slice::sort_by`].
pub fn sort_by<T>(v: &mut [T], compare: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(feature = "compact")]
    by_indices(v, &mut { compare });
    #[cfg(not(feature = "compact"))]
    v.sort_by(compare);
}

/// Stable sort by a key, as [`slice::sort_by_key`].
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    #[cfg(feature = "compact")]
    {
        let mut key = key;
        by_indices(v, &mut |a, b| key(a).cmp(&key(b)));
    }
    #[cfg(not(feature = "compact"))]
    v.sort_by_key(key);
}

/// Stable sort, as [`slice::sort`].
pub fn sort<T: Ord>(v: &mut [T]) {
    #[cfg(feature = "compact")]
    by_indices(v, &mut T::cmp);
    #[cfg(not(feature = "compact"))]
    v.sort();
}

/// Sort of values whose equal elements are indistinguishable, as
/// [`slice::sort_unstable`] (which it is without the `compact` feature).
pub fn sort_unstable<T: Ord>(v: &mut [T]) {
    #[cfg(feature = "compact")]
    by_indices(v, &mut T::cmp);
    #[cfg(not(feature = "compact"))]
    v.sort_unstable();
}

/// `collect()` into an [`OrdSet`] or [`OrdMap`], named so the call site
/// needs no type annotation. (Before the engine's maps became sorted vectors
/// in the compact build, this also saved the sort that `BTreeMap`'s
/// `collect()` starts with; `SortedMap` inserts one by one anyway.)
pub trait CollectBTree: Iterator + Sized {
    /// As `collect::<OrdSet<_>>()`.
    fn collect_set(self) -> OrdSet<Self::Item>
    where
        Self::Item: Ord,
    {
        self.collect()
    }

    /// As `collect::<OrdMap<_, _>>()`.
    fn collect_map<K: Ord, V>(self) -> OrdMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        self.collect()
    }
}

impl<I: Iterator> CollectBTree for I {}

/// The compact route: the order as indices, then the elements moved into it.
#[cfg_attr(not(feature = "compact"), allow(dead_code))]
fn by_indices<T>(v: &mut [T], compare: &mut dyn FnMut(&T, &T) -> Ordering) {
    let mut order = stable_order(v.len(), &mut |a, b| compare(&v[a], &v[b]));
    permute(v, &mut order);
}

/// The indices `0..len` stably sorted by `compare`: the one instance of the
/// standard library's sort that the compact route compiles.
#[cfg_attr(not(feature = "compact"), allow(dead_code))]
fn stable_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `v` so that position `i` holds what was at `order[i]`, walking
/// each cycle of the permutation once with swaps (`order` is a permutation of
/// `0..v.len()`; it is used up as the record of placed positions).
#[cfg_attr(not(feature = "compact"), allow(dead_code))]
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        // `order[at] == at` marks a position already holding its element.
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                // `v[at]` holds what was at `start`, carried along the cycle.
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The compact route gives the standard library's stable order,
        /// equal keys included (the payload tells equal keys apart).
        #[test]
        fn by_indices_is_the_std_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut want = items.clone();
            want.sort_by_key(|item| item.0);
            let mut got = items;
            by_indices(&mut got, &mut |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(got, want);
        }

        #[test]
        fn every_variant_sorts_as_std(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..40)) {
            let mut want = items.clone();
            want.sort();
            let mut got = items.clone();
            sort(&mut got);
            prop_assert_eq!(&got, &want);
            let mut got = items.clone();
            sort_unstable(&mut got);
            prop_assert_eq!(&got, &want);
            let mut got = items.clone();
            sort_by(&mut got, |a, b| b.cmp(a));
            want.reverse();
            prop_assert_eq!(&got, &want);
            let mut want = items.clone();
            want.sort_by_key(|item| item.1 % 7);
            let mut got = items;
            sort_by_key(&mut got, |item| item.1 % 7);
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn permute_follows_every_cycle() {
        let mut v = ['a', 'b', 'c', 'd', 'e', 'f'];
        // Cycles (0 2 4), (1 5) and the fixed point 3.
        let mut order = [2, 5, 4, 3, 0, 1];
        permute(&mut v, &mut order);
        assert_eq!(v, ['c', 'f', 'e', 'd', 'a', 'b']);
    }
}
