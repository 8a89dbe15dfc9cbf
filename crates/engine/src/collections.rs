//! The engine's ordered maps and sets: the standard library's B-trees
//! natively, sorted vectors in the browser.
//!
//! `BTreeMap` is generic over its key and value, so each pair of types the
//! engine keys by (topic names, `TopicPartition`, member ids, schema
//! versions …) compiles its own insert, remove, split and merge routines:
//! about 180 KB of the worker's wasm before `wasm-opt`, for maps that hold
//! a handful to a few thousand entries. With the `compact` feature (the
//! browser build turns it on) [`OrdMap`] and [`OrdSet`] are
//! [`SortedMap`] and [`SortedSet`]: one `Vec` kept in key order, found by
//! binary search, whose per-type code is a few small functions. Inserting in
//! the middle moves the entries after it, which costs nothing at these sizes;
//! lookups and in-order iteration are as fast or faster. Without the feature
//! they are `std::collections::BTreeMap` and `BTreeSet`.
//!
//! Both behave the same through the API the engine uses (iteration in key
//! order, `entry`, `range`, set operations); `mod tests` checks the sorted
//! vectors against the B-trees operation by operation, and the engine's own
//! tests run with either (`make test` runs them both ways).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Bound, Index, RangeBounds};

#[cfg(feature = "compact")]
pub use self::{SortedMap as OrdMap, SortedSet as OrdSet};
#[cfg(not(feature = "compact"))]
pub use std::collections::{BTreeMap as OrdMap, BTreeSet as OrdSet};

/// A map kept as a vector of entries sorted by key: the compact build's
/// [`OrdMap`], with `BTreeMap`'s API and results.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

/// An entry of a [`SortedMap`], as `btree_map::Entry`.
pub enum Entry<'a, K, V> {
    /// The key is not in the map.
    Vacant(VacantEntry<'a, K, V>),
    /// The key is in the map.
    Occupied(OccupiedEntry<'a, K, V>),
}

/// A key not in a [`SortedMap`] and where it would go.
pub struct VacantEntry<'a, K, V> {
    entries: &'a mut Vec<(K, V)>,
    index: usize,
    key: K,
}

/// A key in a [`SortedMap`].
pub struct OccupiedEntry<'a, K, V> {
    entries: &'a mut Vec<(K, V)>,
    index: usize,
}

type Pair<'a, K, V> = (&'a K, &'a V);
type PairMut<'a, K, V> = (&'a K, &'a mut V);

/// Iterator over a [`SortedMap`]'s entries in key order.
pub type Iter<'a, K, V> =
    std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> Pair<'a, K, V>>;
/// Iterator over a [`SortedMap`]'s entries in key order, values mutable.
pub type IterMut<'a, K, V> =
    std::iter::Map<std::slice::IterMut<'a, (K, V)>, fn(&'a mut (K, V)) -> PairMut<'a, K, V>>;

/// Iterator over a [`SortedMap`]'s keys in order.
pub type Keys<'a, K, V> = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> &'a K>;
/// Iterator over a [`SortedMap`]'s values in key order.
pub type Values<'a, K, V> = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> &'a V>;
/// Iterator over a [`SortedMap`]'s values in key order, mutable.
pub type ValuesMut<'a, K, V> =
    std::iter::Map<std::slice::IterMut<'a, (K, V)>, fn(&'a mut (K, V)) -> &'a mut V>;

fn key<K, V>((k, _): &(K, V)) -> &K {
    k
}

fn value<K, V>((_, v): &(K, V)) -> &V {
    v
}

fn value_mut<K, V>((_, v): &mut (K, V)) -> &mut V {
    v
}

fn pair<K, V>((k, v): &(K, V)) -> (&K, &V) {
    (k, v)
}

fn pair_mut<K, V>((k, v): &mut (K, V)) -> (&K, &mut V) {
    (k, v)
}

impl<K, V> SortedMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.entries.iter().map(pair as fn(&(K, V)) -> (&K, &V))
    }

    /// The entries in key order, values mutable.
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        self.entries
            .iter_mut()
            .map(pair_mut as fn(&mut (K, V)) -> (&K, &mut V))
    }

    /// The keys in order.
    pub fn keys(&self) -> Keys<'_, K, V> {
        self.entries.iter().map(key as fn(&(K, V)) -> &K)
    }

    /// The values in key order.
    pub fn values(&self) -> Values<'_, K, V> {
        self.entries.iter().map(value as fn(&(K, V)) -> &V)
    }

    /// The values in key order, mutable.
    pub fn values_mut(&mut self) -> ValuesMut<'_, K, V> {
        self.entries
            .iter_mut()
            .map(value_mut as fn(&mut (K, V)) -> &mut V)
    }

    /// The keys in order, consuming the map.
    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    /// The values in key order, consuming the map.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    /// The entry with the smallest key.
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.entries.first().map(pair)
    }

    /// The entry with the largest key.
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.entries.last().map(pair)
    }

    /// Removes and returns the entry with the smallest key.
    pub fn pop_first(&mut self) -> Option<(K, V)> {
        if self.entries.is_empty() {
            None
        } else {
            Some(self.entries.remove(0))
        }
    }

    /// Removes and returns the entry with the largest key.
    pub fn pop_last(&mut self) -> Option<(K, V)> {
        self.entries.pop()
    }

    /// Keeps the entries for which `keep` answers true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// Where `key` is (`Ok`) or would be inserted (`Err`).
    fn find<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value for `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The key and value for `key`.
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| pair(&self.entries[i]))
    }

    /// The value for `key`, mutable.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self.find(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    /// Whether `key` is in the map.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaced (the key
    /// already stored is kept, as `BTreeMap::insert` does).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        // The common case, keys arriving in order, appends.
        if self.entries.last().is_none_or(|(last, _)| *last < key) {
            self.entries.push((key, value));
            return None;
        }
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// Removes `key`, returning the stored key and its value.
    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| self.entries.remove(i))
    }

    /// The entry for `key`, to read, insert or change in place.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        match self.find(&key) {
            Ok(index) => Entry::Occupied(OccupiedEntry {
                entries: &mut self.entries,
                index,
            }),
            Err(index) => Entry::Vacant(VacantEntry {
                entries: &mut self.entries,
                index,
                key,
            }),
        }
    }

    /// The index range of the keys within `range`.
    fn span<Q, R>(&self, range: &R) -> std::ops::Range<usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
        R: RangeBounds<Q>,
    {
        span(&self.entries, |(k, _)| k.borrow(), range)
    }

    /// The entries whose keys are within `range`, in order.
    pub fn range<Q, R>(&self, range: R) -> Iter<'_, K, V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
        R: RangeBounds<Q>,
    {
        let span = self.span(&range);
        self.entries[span]
            .iter()
            .map(pair as fn(&(K, V)) -> (&K, &V))
    }

    /// The entries whose keys are within `range`, in order, values mutable.
    pub fn range_mut<Q, R>(&mut self, range: R) -> IterMut<'_, K, V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
        R: RangeBounds<Q>,
    {
        let span = self.span(&range);
        self.entries[span]
            .iter_mut()
            .map(pair_mut as fn(&mut (K, V)) -> (&K, &mut V))
    }

    /// Moves every entry of `other` into this map (`other`'s values win).
    pub fn append(&mut self, other: &mut Self) {
        for (k, v) in std::mem::take(&mut other.entries) {
            self.insert(k, v);
        }
    }
}

impl<'a, K: Ord, V> Entry<'a, K, V> {
    /// The entry's key.
    pub fn key(&self) -> &K {
        match self {
            Entry::Vacant(e) => &e.key,
            Entry::Occupied(e) => &e.entries[e.index].0,
        }
    }

    /// The value, inserting `value` first if the key is vacant.
    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    /// The value, inserting `make()` first if the key is vacant.
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        match self {
            Entry::Vacant(e) => e.insert(make()),
            Entry::Occupied(e) => e.into_mut(),
        }
    }

    /// The value, inserting `make(&key)` first if the key is vacant.
    pub fn or_insert_with_key(self, make: impl FnOnce(&K) -> V) -> &'a mut V {
        match self {
            Entry::Vacant(e) => {
                let value = make(&e.key);
                e.insert(value)
            }
            Entry::Occupied(e) => e.into_mut(),
        }
    }

    /// The value, inserting `V::default()` first if the key is vacant.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }

    /// Changes the value in place if the key is occupied.
    pub fn and_modify(mut self, change: impl FnOnce(&mut V)) -> Self {
        if let Entry::Occupied(e) = &mut self {
            change(e.get_mut());
        }
        self
    }
}

impl<'a, K, V> VacantEntry<'a, K, V> {
    /// The key that would be inserted.
    pub fn key(&self) -> &K {
        &self.key
    }

    /// Inserts `value` under the entry's key.
    pub fn insert(self, value: V) -> &'a mut V {
        self.entries.insert(self.index, (self.key, value));
        &mut self.entries[self.index].1
    }
}

impl<'a, K, V> OccupiedEntry<'a, K, V> {
    /// The stored key.
    pub fn key(&self) -> &K {
        &self.entries[self.index].0
    }

    /// The value.
    pub fn get(&self) -> &V {
        &self.entries[self.index].1
    }

    /// The value, mutable.
    pub fn get_mut(&mut self) -> &mut V {
        &mut self.entries[self.index].1
    }

    /// The value, mutable for as long as the map is borrowed.
    pub fn into_mut(self) -> &'a mut V {
        &mut self.entries[self.index].1
    }

    /// Replaces the value, returning the old one.
    pub fn insert(&mut self, value: V) -> V {
        std::mem::replace(self.get_mut(), value)
    }

    /// Removes the entry, returning its value.
    pub fn remove(self) -> V {
        self.entries.remove(self.index).1
    }

    /// Removes the entry, returning its key and value.
    pub fn remove_entry(self) -> (K, V) {
        self.entries.remove(self.index)
    }
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = SortedMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<'a, K: Ord + Copy, V: Copy> Extend<(&'a K, &'a V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (&'a K, &'a V)>>(&mut self, iter: I) {
        self.extend(iter.into_iter().map(|(k, v)| (*k, *v)));
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut SortedMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> Index<&Q> for SortedMap<K, V> {
    type Output = V;
    /// The value for `key`; panics if it is absent, as `BTreeMap` does.
    fn index(&self, key: &Q) -> &V {
        match self.get(key) {
            Some(v) => v,
            None => panic!("key not in map"),
        }
    }
}

/// The index range of the sorted `items` whose keys are within `range`.
fn span<T, Q, R>(items: &[T], key: impl Fn(&T) -> &Q, range: &R) -> std::ops::Range<usize>
where
    Q: Ord + ?Sized,
    R: RangeBounds<Q>,
{
    let start = match range.start_bound() {
        Bound::Included(q) => items.partition_point(|t| key(t) < q),
        Bound::Excluded(q) => items.partition_point(|t| key(t) <= q),
        Bound::Unbounded => 0,
    };
    let end = match range.end_bound() {
        Bound::Included(q) => items.partition_point(|t| key(t) <= q),
        Bound::Excluded(q) => items.partition_point(|t| key(t) < q),
        Bound::Unbounded => items.len(),
    };
    start..end.max(start)
}

/// A set kept as a sorted vector: the compact build's [`OrdSet`], with
/// `BTreeSet`'s API and results.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortedSet<T> {
    items: Vec<T>,
}

impl<T> SortedSet<T> {
    /// An empty set.
    pub const fn new() -> Self {
        SortedSet { items: Vec::new() }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Removes every value.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The values in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The smallest value.
    pub fn first(&self) -> Option<&T> {
        self.items.first()
    }

    /// The largest value.
    pub fn last(&self) -> Option<&T> {
        self.items.last()
    }

    /// Removes and returns the smallest value.
    pub fn pop_first(&mut self) -> Option<T> {
        if self.items.is_empty() {
            None
        } else {
            Some(self.items.remove(0))
        }
    }

    /// Removes and returns the largest value.
    pub fn pop_last(&mut self) -> Option<T> {
        self.items.pop()
    }

    /// Keeps the values for which `keep` answers true.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.items.retain(|t| keep(t));
    }
}

impl<T: Ord> SortedSet<T> {
    fn find<Q>(&self, value: &Q) -> Result<usize, usize>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.items.binary_search_by(|t| t.borrow().cmp(value))
    }

    /// Adds `value`; false if it was already there (the stored value is
    /// kept, as `BTreeSet::insert` does).
    pub fn insert(&mut self, value: T) -> bool {
        if self.items.last().is_none_or(|last| *last < value) {
            self.items.push(value);
            return true;
        }
        match self.find(&value) {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, value);
                true
            }
        }
    }

    /// Whether `value` is in the set.
    pub fn contains<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(value).is_ok()
    }

    /// The stored value equal to `value`.
    pub fn get<Q>(&self, value: &Q) -> Option<&T>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(value).ok().map(|i| &self.items[i])
    }

    /// Removes `value`; false if it was not there.
    pub fn remove<Q>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.take(value).is_some()
    }

    /// Removes and returns the stored value equal to `value`.
    pub fn take<Q>(&mut self, value: &Q) -> Option<T>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(value).ok().map(|i| self.items.remove(i))
    }

    /// The values within `range`, in order.
    pub fn range<Q, R>(&self, range: R) -> std::slice::Iter<'_, T>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
        R: RangeBounds<Q>,
    {
        self.items[span(&self.items, T::borrow, &range)].iter()
    }

    /// The values in `self` but not in `other`, in order.
    pub fn difference<'a>(&'a self, other: &'a Self) -> impl Iterator<Item = &'a T> + Clone {
        self.items.iter().filter(move |t| !other.contains(*t))
    }

    /// The values in both sets, in order.
    pub fn intersection<'a>(&'a self, other: &'a Self) -> impl Iterator<Item = &'a T> + Clone {
        self.items.iter().filter(move |t| other.contains(*t))
    }

    /// The values in either set, in order, each once.
    pub fn union<'a>(&'a self, other: &'a Self) -> impl Iterator<Item = &'a T> + Clone {
        Union {
            a: self.items.iter().peekable(),
            b: other.items.iter().peekable(),
        }
    }

    /// The values in exactly one of the sets, in order.
    pub fn symmetric_difference<'a>(
        &'a self,
        other: &'a Self,
    ) -> impl Iterator<Item = &'a T> + Clone {
        self.union(other)
            .filter(move |t| self.contains(*t) != other.contains(*t))
    }

    /// Whether the sets share no value.
    pub fn is_disjoint(&self, other: &Self) -> bool {
        self.intersection(other).next().is_none()
    }

    /// Whether every value of `self` is in `other`.
    pub fn is_subset(&self, other: &Self) -> bool {
        self.items.iter().all(|t| other.contains(t))
    }

    /// Whether every value of `other` is in `self`.
    pub fn is_superset(&self, other: &Self) -> bool {
        other.is_subset(self)
    }

    /// Moves every value of `other` into this set.
    pub fn append(&mut self, other: &mut Self) {
        for t in std::mem::take(&mut other.items) {
            self.insert(t);
        }
    }
}

/// Two sorted iterators merged, equal values once.
struct Union<'a, T> {
    a: std::iter::Peekable<std::slice::Iter<'a, T>>,
    b: std::iter::Peekable<std::slice::Iter<'a, T>>,
}

impl<T> Clone for Union<'_, T> {
    fn clone(&self) -> Self {
        Union {
            a: self.a.clone(),
            b: self.b.clone(),
        }
    }
}

impl<'a, T: Ord> Iterator for Union<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        let order = match (self.a.peek(), self.b.peek()) {
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => return None,
        };
        match order {
            Ordering::Less => self.a.next(),
            Ordering::Greater => self.b.next(),
            Ordering::Equal => {
                self.b.next();
                self.a.next()
            }
        }
    }
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for SortedSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = SortedSet::new();
        set.extend(iter);
        set
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for t in iter {
            self.insert(t);
        }
    }
}

impl<'a, T: Ord + Copy + 'a> Extend<&'a T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

impl<T: Ord, const N: usize> From<[T; N]> for SortedSet<T> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

impl<T> IntoIterator for SortedSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    //! The sorted vectors against the standard library's B-trees: the same
    //! random operations on both give the same answers and the same contents.
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, u16),
        Remove(u8),
        Entry(u8, u16),
        Modify(u8),
        Retain(u8),
        PopFirst,
        PopLast,
        Range(u8, u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Insert(k, v)),
            2 => any::<u8>().prop_map(Op::Remove),
            2 => (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Entry(k, v)),
            1 => any::<u8>().prop_map(Op::Modify),
            1 => any::<u8>().prop_map(Op::Retain),
            1 => Just(Op::PopFirst),
            1 => Just(Op::PopLast),
            1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Range(a, b)),
        ]
    }

    proptest! {
        #[test]
        fn map_answers_as_btreemap(ops in prop::collection::vec(op(), 0..300)) {
            let mut ours: SortedMap<u8, u16> = SortedMap::new();
            let mut std: BTreeMap<u8, u16> = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(ours.insert(k, v), std.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(ours.remove(&k), std.remove(&k)),
                    Op::Entry(k, v) => {
                        let a = *ours.entry(k).and_modify(|x| *x = x.wrapping_add(1)).or_insert(v);
                        let b = *std.entry(k).and_modify(|x| *x = x.wrapping_add(1)).or_insert(v);
                        prop_assert_eq!(a, b);
                    }
                    Op::Modify(k) => {
                        if let Some(v) = ours.get_mut(&k) { *v = v.wrapping_mul(3); }
                        if let Some(v) = std.get_mut(&k) { *v = v.wrapping_mul(3); }
                    }
                    Op::Retain(m) => {
                        let m = m.max(1);
                        ours.retain(|k, _| k % m != 0);
                        std.retain(|k, _| k % m != 0);
                    }
                    Op::PopFirst => prop_assert_eq!(ours.pop_first(), std.pop_first()),
                    Op::PopLast => prop_assert_eq!(ours.pop_last(), std.pop_last()),
                    Op::Range(a, b) => {
                        let (lo, hi) = (a.min(b), a.max(b));
                        prop_assert!(ours.range(lo..hi).eq(std.range(lo..hi)));
                        prop_assert!(ours.range(lo..=hi).eq(std.range(lo..=hi)));
                        prop_assert!(ours.range(..hi).eq(std.range(..hi)));
                        prop_assert!(ours.range((Bound::Excluded(lo), Bound::Unbounded))
                            .eq(std.range((Bound::Excluded(lo), Bound::Unbounded))));
                    }
                }
                prop_assert!(ours.iter().eq(std.iter()));
                prop_assert_eq!(ours.len(), std.len());
                prop_assert_eq!(ours.first_key_value(), std.first_key_value());
            }
            prop_assert_eq!(format!("{ours:?}"), format!("{std:?}"));
        }

        #[test]
        fn set_answers_as_btreeset(
            a in prop::collection::vec(any::<u8>(), 0..80),
            b in prop::collection::vec(any::<u8>(), 0..80),
            removed in prop::collection::vec(any::<u8>(), 0..20),
        ) {
            let (mut sa, sb): (SortedSet<u8>, SortedSet<u8>) =
                (a.iter().copied().collect(), b.iter().copied().collect());
            let (mut ba, bb): (BTreeSet<u8>, BTreeSet<u8>) =
                (a.iter().copied().collect(), b.iter().copied().collect());
            for r in &removed {
                prop_assert_eq!(sa.remove(r), ba.remove(r));
            }
            prop_assert!(sa.iter().eq(ba.iter()));
            prop_assert!(sa.union(&sb).eq(ba.union(&bb)));
            prop_assert!(sa.intersection(&sb).eq(ba.intersection(&bb)));
            prop_assert!(sa.difference(&sb).eq(ba.difference(&bb)));
            prop_assert!(sa.symmetric_difference(&sb).eq(ba.symmetric_difference(&bb)));
            prop_assert_eq!(sa.is_disjoint(&sb), ba.is_disjoint(&bb));
            prop_assert_eq!(sa.is_subset(&sb), ba.is_subset(&bb));
            prop_assert!(sa.range(10..200).eq(ba.range(10..200)));
            prop_assert_eq!(sa.cmp(&sb), ba.cmp(&bb));
        }
    }

    #[test]
    fn map_keeps_the_first_key_and_orders_like_btreemap() {
        let ours: SortedMap<&str, i32> = [("b", 2), ("a", 1), ("b", 3)].into();
        let std: BTreeMap<&str, i32> = [("b", 2), ("a", 1), ("b", 3)].into();
        assert!(ours.iter().eq(std.iter()));
        assert_eq!(ours["b"], 3);
        let other: SortedMap<&str, i32> = [("a", 1), ("c", 0)].into();
        assert_eq!(ours.cmp(&other), std.cmp(&[("a", 1), ("c", 0)].into()));
    }
}
