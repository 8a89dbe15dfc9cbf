//! The Schema Registry's errors: Confluent's `error_code`, HTTP status and
//! message text (`io.confluent.kafka.schemaregistry.rest.exceptions.Errors`
//! and the `Rest*Exception` classes, plus rest-utils' mappers for bodies
//! that are not JSON), so a typed call and the REST answer say the same.

use thiserror::Error;

use super::json::ObjectWriter;

/// An error answer: `{"error_code":…,"message":…}` with its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message} (error code {error_code})")]
pub struct RegistryError {
    /// The HTTP status (404, 409, 422, 500…).
    pub status: u16,
    /// Confluent's error code (40401…), or the HTTP status where Confluent
    /// answers with a bare status (400, 404, 405, 422).
    pub error_code: i32,
    /// Confluent's message.
    pub message: String,
}

/// 42201, 42202… as named constants, for callers that match on them.
pub mod codes {
    /// `Subject 'x' not found.`
    pub const SUBJECT_NOT_FOUND: i32 = 40401;
    /// `Version n not found.`
    pub const VERSION_NOT_FOUND: i32 = 40402;
    /// `Schema not found` / `Schema n not found`.
    pub const SCHEMA_NOT_FOUND: i32 = 40403;
    /// A soft-deleted subject deleted again without `permanent=true`.
    pub const SUBJECT_SOFT_DELETED: i32 = 40404;
    /// A permanent delete of a subject that was not soft-deleted first.
    pub const SUBJECT_NOT_SOFT_DELETED: i32 = 40405;
    /// A soft-deleted version deleted again without `permanent=true`.
    pub const SCHEMA_VERSION_SOFT_DELETED: i32 = 40406;
    /// A permanent delete of a version that was not soft-deleted first.
    pub const SCHEMA_VERSION_NOT_SOFT_DELETED: i32 = 40407;
    /// `GET /config/{subject}` for a subject without its own level.
    pub const SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED: i32 = 40408;
    /// `GET /mode/{subject}` for a subject without its own mode.
    pub const SUBJECT_LEVEL_MODE_NOT_CONFIGURED: i32 = 40409;
    /// An incompatible schema: Confluent's `RestIncompatibleSchemaException`
    /// uses the HTTP status itself as its `error_code` (`DEFAULT_ERROR_CODE =
    /// Response.Status.CONFLICT`), not a 409xx code.
    pub const INCOMPATIBLE_SCHEMA: i32 = 409;
    /// Not a valid schema (or schema type).
    pub const INVALID_SCHEMA: i32 = 42201;
    /// Not a version number or `latest`.
    pub const INVALID_VERSION: i32 = 42202;
    /// Not one of the seven compatibility levels.
    pub const INVALID_COMPATIBILITY_LEVEL: i32 = 42203;
    /// Not a mode.
    pub const INVALID_MODE: i32 = 42204;
    /// Refused by the mode (read-only, import…).
    pub const OPERATION_NOT_PERMITTED: i32 = 42205;
    /// Another schema refers to the one being deleted.
    pub const REFERENCE_EXISTS: i32 = 42206;
    /// An import with an id other than the one the schema already has.
    pub const ID_DOES_NOT_MATCH: i32 = 42207;
    /// The backing `_schemas` topic could not be written or read.
    pub const STORE_ERROR: i32 = 50001;
    /// A write did not complete in time.
    pub const OPERATION_TIMEOUT: i32 = 50002;
    /// Forwarding to the leader failed.
    pub const REQUEST_FORWARDING_FAILED: i32 = 50003;
    /// No node is leader.
    pub const UNKNOWN_LEADER: i32 = 50004;
}

impl RegistryError {
    fn new(status: u16, error_code: i32, message: impl Into<String>) -> Self {
        Self {
            status,
            error_code,
            message: message.into(),
        }
    }

    /// The JSON body Confluent answers with.
    #[must_use]
    pub fn body(&self) -> String {
        ObjectWriter::new()
            .number("error_code", i64::from(self.error_code))
            .string("message", &self.message)
            .finish()
    }

    /// 40401.
    pub(crate) fn subject_not_found(subject: &str) -> Self {
        Self::new(
            404,
            codes::SUBJECT_NOT_FOUND,
            format!("Subject '{subject}' not found."),
        )
    }

    /// 40402 (`latest` is reported as version -1, as Confluent does).
    pub(crate) fn version_not_found(version: i32) -> Self {
        Self::new(
            404,
            codes::VERSION_NOT_FOUND,
            format!("Version {version} not found."),
        )
    }

    /// 40403 without an id.
    pub(crate) fn schema_not_found() -> Self {
        Self::new(404, codes::SCHEMA_NOT_FOUND, "Schema not found")
    }

    /// 40403 for an id.
    pub(crate) fn schema_id_not_found(id: i32) -> Self {
        Self::new(
            404,
            codes::SCHEMA_NOT_FOUND,
            format!("Schema {id} not found"),
        )
    }

    /// 40404 (Confluent's text has no space after the full stop).
    pub(crate) fn subject_soft_deleted(subject: &str) -> Self {
        Self::new(
            404,
            codes::SUBJECT_SOFT_DELETED,
            format!(
                "Subject '{subject}' was soft deleted.Set permanent=true to delete permanently"
            ),
        )
    }

    /// 40405.
    pub(crate) fn subject_not_soft_deleted(subject: &str) -> Self {
        Self::new(
            404,
            codes::SUBJECT_NOT_SOFT_DELETED,
            format!("Subject '{subject}' was not deleted first before being permanently deleted"),
        )
    }

    /// 40406.
    pub(crate) fn version_soft_deleted(subject: &str, version: &str) -> Self {
        Self::new(
            404,
            codes::SCHEMA_VERSION_SOFT_DELETED,
            format!("Subject '{subject}' Version {version} was soft deleted.Set permanent=true to delete permanently"),
        )
    }

    /// 40407.
    pub(crate) fn version_not_soft_deleted(subject: &str, version: &str) -> Self {
        Self::new(
            404,
            codes::SCHEMA_VERSION_NOT_SOFT_DELETED,
            format!("Subject '{subject}' Version {version} was not deleted first before being permanently deleted"),
        )
    }

    /// 40408.
    pub(crate) fn compatibility_not_configured(subject: &str) -> Self {
        Self::new(
            404,
            codes::SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
            format!("Subject '{subject}' does not have subject-level compatibility configured"),
        )
    }

    /// 40409.
    pub(crate) fn mode_not_configured(subject: &str) -> Self {
        Self::new(
            404,
            codes::SUBJECT_LEVEL_MODE_NOT_CONFIGURED,
            format!("Subject '{subject}' does not have subject-level mode configured"),
        )
    }

    /// 409 / 409 with the checker's messages.
    pub(crate) fn incompatible(subject: &str, messages: &[String]) -> Self {
        Self::new(
            409,
            codes::INCOMPATIBLE_SCHEMA,
            format!(
                "Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{}]",
                messages.join(", ")
            ),
        )
    }

    /// 42201.
    pub(crate) fn invalid_schema(message: impl Into<String>) -> Self {
        Self::new(422, codes::INVALID_SCHEMA, message)
    }

    /// 42202.
    pub(crate) fn invalid_version(version: &str) -> Self {
        Self::new(
            422,
            codes::INVALID_VERSION,
            format!(
                "The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""
            ),
        )
    }

    /// 42203.
    pub(crate) fn invalid_compatibility_level() -> Self {
        Self::new(
            422,
            codes::INVALID_COMPATIBILITY_LEVEL,
            "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive",
        )
    }

    /// 42204.
    pub(crate) fn invalid_mode() -> Self {
        Self::new(
            422,
            codes::INVALID_MODE,
            "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT.",
        )
    }

    /// 42205.
    pub(crate) fn not_permitted(message: impl Into<String>) -> Self {
        Self::new(422, codes::OPERATION_NOT_PERMITTED, message)
    }

    /// 42206, naming the key as `SchemaKey.toString()` does.
    pub(crate) fn reference_exists(subject: &str, version: i32) -> Self {
        Self::new(
            422,
            codes::REFERENCE_EXISTS,
            format!("One or more references exist to the schema {{magic=1,keytype=SCHEMA,subject={subject},version={version}}}."),
        )
    }

    /// 42207.
    pub(crate) fn id_does_not_match(existing: i32, requested: i32) -> Self {
        Self::new(
            422,
            codes::ID_DOES_NOT_MATCH,
            format!("Schema already registered with id {existing} instead of input id {requested}"),
        )
    }

    /// 50001 with the operation's text (the store's reason goes to the
    /// registry's events, as Confluent logs it rather than answering it).
    pub(crate) fn store(message: &str) -> Self {
        Self::new(500, codes::STORE_ERROR, message)
    }

    /// 50004.
    pub(crate) fn unknown_leader() -> Self {
        Self::new(500, codes::UNKNOWN_LEADER, "Leader not known.")
    }

    /// rest-utils' `JsonParseExceptionMapper` / `JsonMappingExceptionMapper`:
    /// 400 with error code 400.
    pub(crate) fn bad_json(message: impl Into<String>) -> Self {
        Self::new(400, 400, message)
    }

    /// A missing request body (`@NotNull`): 422 with error code 422.
    pub(crate) fn missing_body() -> Self {
        Self::new(422, 422, "request may not be null")
    }

    /// Jersey's answer for a path no resource has.
    pub(crate) fn http_not_found() -> Self {
        Self::new(404, 404, "HTTP 404 Not Found")
    }

    /// Jersey's answer for a method the path does not take.
    pub(crate) fn method_not_allowed() -> Self {
        Self::new(405, 405, "HTTP 405 Method Not Allowed")
    }
}
