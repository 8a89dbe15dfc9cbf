//! One registry node's view of the registry: what replaying `_schemas`
//! up to some offset gives (Confluent's `KafkaStoreMessageHandler` feeding
//! its `InMemoryCache` and `LookupCache`). Every query the REST API answers
//! reads this state; every change comes in as a `_schemas` record through
//! [`RegistryState::apply`], whether the node wrote it or read it.

use crate::collections::OrdMap;

use super::error::RegistryError;
use super::store::{Mode, SchemaReference, SchemaValue, StoreKey, StoreValue};
use crate::avro::compatibility::CompatibilityLevel;

/// What makes two registrations the same schema: type, stored text and
/// references (Confluent's `MD5.ofSchema`).
pub(crate) type SchemaIdentity = (String, String, Vec<SchemaReference>);

/// Which versions a listing includes (`LookupFilter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupFilter {
    /// Live versions only.
    Default,
    /// Live and soft-deleted versions.
    IncludeDeleted,
    /// Soft-deleted versions only.
    DeletedOnly,
}

impl LookupFilter {
    fn includes(self, deleted: bool) -> bool {
        match self {
            Self::Default => !deleted,
            Self::IncludeDeleted => true,
            Self::DeletedOnly => deleted,
        }
    }
}

/// A setting per scope (`None`: the global one, `Some(subject)`), kept as
/// a sorted vector: a registry has few of them, and it compiles to far
/// less browser code than a map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoped<T>(Vec<(Option<String>, T)>);

impl<T> Default for Scoped<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> Scoped<T> {
    fn find(&self, scope: &Option<String>) -> Result<usize, usize> {
        self.0.binary_search_by(|(s, _)| s.cmp(scope))
    }

    /// The setting of `scope`, if it has one.
    pub(crate) fn get(&self, scope: &Option<String>) -> Option<&T> {
        self.find(scope).ok().map(|at| &self.0[at].1)
    }

    /// Whether `scope` has a setting.
    pub(crate) fn contains_key(&self, scope: &Option<String>) -> bool {
        self.find(scope).is_ok()
    }

    /// Sets `scope`'s setting.
    pub(crate) fn insert(&mut self, scope: Option<String>, value: T) {
        match self.find(&scope) {
            Ok(at) => self.0[at].1 = value,
            Err(at) => self.0.insert(at, (scope, value)),
        }
    }

    /// Removes `scope`'s setting.
    pub(crate) fn remove(&mut self, scope: &Option<String>) {
        if let Ok(at) = self.find(scope) {
            self.0.remove(at);
        }
    }
}

/// The replayed state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryState {
    /// Every version still in the log, by subject and version.
    pub(crate) schemas: OrdMap<(String, i32), SchemaValue>,
    /// Compatibility levels: `None` is the global one.
    pub(crate) configs: Scoped<CompatibilityLevel>,
    /// Modes: `None` is the global one.
    pub(crate) modes: Scoped<Mode>,
    /// Every schema ever registered, to its id: ids outlive deletes, so a
    /// schema registered again gets its old id back.
    pub(crate) ids: OrdMap<SchemaIdentity, i32>,
    /// The highest id seen (`IncrementalIdGenerator`'s `maxIdInKafkaStore`).
    pub(crate) max_id: i32,
}

impl RegistryState {
    /// Applies one `_schemas` record (`value` `None` is a tombstone).
    pub fn apply(&mut self, key: &StoreKey, value: Option<StoreValue>) {
        match (key, value) {
            (StoreKey::Schema { subject, version }, Some(StoreValue::Schema(value))) => {
                self.max_id = self.max_id.max(value.id);
                let identity = (
                    value.schema_type.clone(),
                    value.schema.clone(),
                    value.references.clone(),
                );
                self.ids.entry(identity).or_insert(value.id);
                self.schemas.insert((subject.clone(), *version), value);
            }
            (StoreKey::Schema { subject, version }, None) => {
                self.schemas.remove(&(subject.clone(), *version));
            }
            (StoreKey::Config { subject }, Some(StoreValue::Config(level))) => {
                self.configs.insert(subject.clone(), level);
            }
            (StoreKey::Config { subject }, None) => {
                self.configs.remove(subject);
            }
            (StoreKey::Mode { subject }, Some(StoreValue::Mode(mode))) => {
                self.modes.insert(subject.clone(), mode);
            }
            (StoreKey::Mode { subject }, None) => {
                self.modes.remove(subject);
            }
            (
                StoreKey::DeleteSubject { .. },
                Some(StoreValue::DeleteSubject { subject, version }),
            ) => {
                for ((s, v), value) in self
                    .schemas
                    .range_mut((subject.clone(), i32::MIN)..=(subject.clone(), version))
                {
                    debug_assert!(s == &subject && *v <= version);
                    value.deleted = true;
                }
            }
            (StoreKey::ClearSubject { .. }, Some(StoreValue::ClearSubject { subject })) => {
                self.schemas.retain(|(s, _), value| {
                    !(value.deleted && subject.as_deref().is_none_or(|wanted| s == wanted))
                });
            }
            // NOOP records, tombstones of other keys and values that do not
            // match their key change nothing (Confluent skips them too).
            _ => {}
        }
    }

    /// The versions of `subject` the filter includes, oldest first.
    pub(crate) fn versions(
        &self,
        subject: &str,
        filter: LookupFilter,
    ) -> impl Iterator<Item = &SchemaValue> {
        self.schemas
            .range((subject.to_owned(), i32::MIN)..=(subject.to_owned(), i32::MAX))
            .map(|(_, v)| v)
            .filter(move |v| filter.includes(v.deleted))
    }

    /// `hasSubjects(subject, lookupDeleted)`.
    pub(crate) fn has_subject(&self, subject: &str, include_deleted: bool) -> bool {
        let filter = if include_deleted {
            LookupFilter::IncludeDeleted
        } else {
            LookupFilter::Default
        };
        self.versions(subject, filter).next().is_some()
    }

    /// The latest live version.
    pub(crate) fn latest(&self, subject: &str) -> Option<&SchemaValue> {
        self.versions(subject, LookupFilter::Default).last()
    }

    /// One version, deleted ones only if asked for.
    pub(crate) fn version(
        &self,
        subject: &str,
        version: i32,
        include_deleted: bool,
    ) -> Option<&SchemaValue> {
        self.schemas
            .get(&(subject.to_owned(), version))
            .filter(|v| include_deleted || !v.deleted)
    }

    /// Subjects with a version the filter includes; for `DeletedOnly`,
    /// subjects whose versions are all deleted. Sorted.
    pub(crate) fn subjects(&self, filter: LookupFilter) -> Vec<String> {
        let mut all_deleted: OrdMap<&str, bool> = OrdMap::new();
        for ((subject, _), value) in &self.schemas {
            let entry = all_deleted.entry(subject).or_insert(true);
            *entry = *entry && value.deleted;
        }
        all_deleted
            .into_iter()
            .filter(|(_, deleted)| filter.includes(*deleted))
            .map(|(s, _)| s.to_owned())
            .collect()
    }

    /// The first version registered with `id` (Confluent's
    /// `schemaKeyById`).
    pub(crate) fn by_id(&self, id: i32) -> Option<&SchemaValue> {
        self.schemas
            .values()
            .filter(|v| v.id == id)
            .min_by_key(|v| (v.version, v.subject.clone()))
    }

    /// Every (subject, version) holding `id`.
    pub(crate) fn versions_with_id(&self, id: i32, include_deleted: bool) -> Vec<&SchemaValue> {
        self.schemas
            .values()
            .filter(|v| v.id == id && (include_deleted || !v.deleted))
            .collect()
    }

    /// Ids of the schemas that refer to `subject` `version`, sorted.
    pub(crate) fn referenced_by(&self, subject: &str, version: i32) -> Vec<i32> {
        let mut ids: Vec<i32> = self
            .schemas
            .values()
            .filter(|v| {
                v.references
                    .iter()
                    .any(|r| r.subject == subject && r.version == version)
            })
            .map(|v| v.id)
            .collect();
        crate::compact_sort::sort_unstable(&mut ids);
        ids.dedup();
        ids
    }

    /// The compatibility level in force for `subject` (its own, else the
    /// global one, else `default`).
    pub(crate) fn level_in_scope(
        &self,
        subject: Option<&str>,
        default: CompatibilityLevel,
    ) -> CompatibilityLevel {
        subject
            .and_then(|s| self.configs.get(&Some(s.to_owned())))
            .or_else(|| self.configs.get(&None))
            .copied()
            .unwrap_or(default)
    }

    /// `getModeInScope`: a global `READONLY_OVERRIDE` wins, then the
    /// subject's mode, the global mode, `default`.
    pub(crate) fn mode_in_scope(&self, subject: Option<&str>, default: Mode) -> Mode {
        let global = self.modes.get(&None).copied();
        if global == Some(Mode::ReadOnlyOverride) {
            return Mode::ReadOnlyOverride;
        }
        subject
            .and_then(|s| self.modes.get(&Some(s.to_owned())))
            .copied()
            .or(global)
            .unwrap_or(default)
    }

    /// Refuses a write in a read-only scope (`READONLY`, or a global
    /// `READONLY_OVERRIDE`) with Confluent's 42205 "Subject … is in
    /// read-only mode" (`null` for the global scope).
    pub(crate) fn ensure_writable(
        &self,
        subject: Option<&str>,
        default: Mode,
    ) -> Result<(), RegistryError> {
        match self.mode_in_scope(subject, default) {
            Mode::ReadOnly | Mode::ReadOnlyOverride => Err(RegistryError::not_permitted(format!(
                "Subject {} is in read-only mode",
                subject.unwrap_or("null")
            ))),
            _ => Ok(()),
        }
    }
}
