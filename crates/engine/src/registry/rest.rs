//! Confluent's REST API as a function: method, path with query and body in,
//! status and JSON body out, routed as Confluent's Jersey resources route
//! (`SubjectsResource`, `SubjectVersionsResource`, `SchemasResource`,
//! `ConfigResource`, `ModeResource`, `CompatibilityResource`) and answered
//! with their JSON shapes: `{"id":1}`, `{"subject":…,"version":…,"id":…,
//! "schema":…}` (`schemaType` only when not AVRO, `references` only when
//! there are some), `{"compatibilityLevel":…}` on GET but
//! `{"compatibility":…}` echoed by PUT, `{"is_compatible":…}` with
//! `messages` under `?verbose=true`, `{"error_code":…,"message":…}`.
//!
//! Query parameters follow JAX-RS: a boolean is true only for `true` (any
//! case), a missing one is false; path segments are percent-decoded. A body
//! that is not JSON, or JSON of the wrong shape, is rest-utils' 400 answer;
//! a missing body where one is required is 422.

use super::error::RegistryError;
use super::json::{self, array, quote, Json, ObjectWriter};
use super::store::{Mode, SchemaReference, SchemaValue, AVRO};
use super::{
    LookupFilter, RegisterSchemaRequest, SchemaRegistry, SchemaString, VersionId, SCHEMA_TYPES,
};
use crate::avro::compatibility::CompatibilityLevel;
use crate::cluster::Cluster;
use crate::rest::PathAndQuery;
pub use crate::rest::RestResponse;

impl From<RegistryError> for RestResponse {
    fn from(error: RegistryError) -> Self {
        Self {
            status: error.status,
            body: error.body(),
        }
    }
}

/// The request's path segments and query.
struct Request<'a> {
    path: PathAndQuery,
    body: &'a str,
}

impl Request<'_> {
    /// A boolean query flag: its last value, `true` in any case.
    fn flag(&self, name: &str) -> bool {
        self.path
            .query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .is_some_and(|(_, v)| v.eq_ignore_ascii_case("true"))
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.path.param(name)
    }
}

/// Routes and answers one request (see the module doc). `node` is the
/// registry node it was sent to (`None`: the leader or the first running).
pub(crate) fn handle(
    registry: &mut SchemaRegistry,
    cluster: &mut Cluster,
    node: Option<i32>,
    method: &str,
    path_and_query: &str,
    body: &str,
) -> RestResponse {
    let request = Request {
        path: PathAndQuery::parse(path_and_query),
        body,
    };
    match route(registry, cluster, node, method, &request) {
        Ok(response) => response,
        Err(error) => error.into(),
    }
}

fn route(
    registry: &mut SchemaRegistry,
    cluster: &mut Cluster,
    node: Option<i32>,
    method: &str,
    request: &Request<'_>,
) -> Result<RestResponse, RegistryError> {
    let segments: Vec<&str> = request.path.segments.iter().map(String::as_str).collect();
    let method = method.to_ascii_uppercase();
    let filter = || {
        if request.flag("deletedOnly") {
            LookupFilter::DeletedOnly
        } else if request.flag("deleted") {
            LookupFilter::IncludeDeleted
        } else {
            LookupFilter::Default
        }
    };
    let body = match (method.as_str(), segments.as_slice()) {
        ("GET", []) => "{}".to_owned(),
        ("GET", ["subjects"]) => {
            let subjects =
                registry.subjects_via(cluster, node, request.param("subjectPrefix"), filter())?;
            array(subjects.iter().map(|s| quote(s)))
        }
        ("POST", ["subjects", subject]) => {
            let schema_request = register_request(request.body)?;
            let found = registry.lookup_via(
                cluster,
                node,
                subject,
                &schema_request,
                request.flag("deleted"),
            )?;
            schema_json(&found)
        }
        ("DELETE", ["subjects", subject]) => {
            let versions =
                registry.delete_subject_via(cluster, node, subject, request.flag("permanent"))?;
            array(versions.iter().map(ToString::to_string))
        }
        ("GET", ["subjects", subject, "versions"]) => {
            let versions = registry.list_versions_via(cluster, node, subject, filter())?;
            array(versions.iter().map(ToString::to_string))
        }
        ("POST", ["subjects", subject, "versions"]) => {
            let schema_request = register_request(request.body)?;
            let id = registry.register_via(cluster, node, subject, &schema_request)?;
            ObjectWriter::new().number("id", i64::from(id)).finish()
        }
        ("GET", ["subjects", subject, "versions", version]) => {
            let schema = registry.get_version_via(
                cluster,
                node,
                subject,
                VersionId::parse(version)?,
                request.flag("deleted"),
            )?;
            schema_json(&schema)
        }
        ("GET", ["subjects", subject, "versions", version, "schema"]) => {
            let schema = registry.get_version_via(
                cluster,
                node,
                subject,
                VersionId::parse(version)?,
                request.flag("deleted"),
            )?;
            schema.schema
        }
        ("GET", ["subjects", subject, "versions", version, "referencedby"]) => {
            let ids =
                registry.referenced_by_via(cluster, node, subject, VersionId::parse(version)?)?;
            array(ids.iter().map(ToString::to_string))
        }
        ("DELETE", ["subjects", subject, "versions", version]) => {
            let version = VersionId::parse(version)?;
            registry
                .delete_version_via(cluster, node, subject, version, request.flag("permanent"))?
                .to_string()
        }
        ("GET", ["schemas", "types"]) => array(SCHEMA_TYPES.iter().map(|t| quote(t))),
        ("GET", ["schemas", "ids", id, rest @ ..]) => {
            // Jersey answers 404 for an id that is not an int.
            let id: i32 = id.parse().map_err(|_| RegistryError::http_not_found())?;
            match rest {
                [] => schema_string_json(&registry.schema_by_id_via(cluster, node, id)?),
                ["schema"] => registry.schema_by_id_via(cluster, node, id)?.schema,
                ["subjects"] => {
                    let mut subjects: Vec<String> = registry
                        .versions_for_id_via(cluster, node, id, request.flag("deleted"))?
                        .into_iter()
                        .map(|(s, _)| s)
                        .collect();
                    subjects.dedup();
                    array(subjects.iter().map(|s| quote(s)))
                }
                ["versions"] => {
                    let versions =
                        registry.versions_for_id_via(cluster, node, id, request.flag("deleted"))?;
                    array(versions.iter().map(|(s, v)| {
                        ObjectWriter::new()
                            .string("subject", s)
                            .number("version", i64::from(*v))
                            .finish()
                    }))
                }
                _ => return Err(RegistryError::http_not_found()),
            }
        }
        ("GET", ["config"]) => config_json(registry.get_config_via(cluster, node, None, false)?),
        ("GET", ["config", subject]) => config_json(registry.get_config_via(
            cluster,
            node,
            Some(subject),
            request.flag("defaultToGlobal"),
        )?),
        ("PUT", ["config"]) => put_config(registry, cluster, node, None, request.body)?,
        ("PUT", ["config", subject]) => {
            put_config(registry, cluster, node, Some(subject), request.body)?
        }
        ("DELETE", ["config"]) => config_json(registry.delete_config_via(cluster, node, None)?),
        ("DELETE", ["config", subject]) => {
            config_json(registry.delete_config_via(cluster, node, Some(subject))?)
        }
        ("GET", ["mode"]) => mode_json(registry.get_mode_via(cluster, node, None, false)?),
        ("GET", ["mode", subject]) => mode_json(registry.get_mode_via(
            cluster,
            node,
            Some(subject),
            request.flag("defaultToGlobal"),
        )?),
        ("PUT", ["mode"]) => put_mode(registry, cluster, node, None, request)?,
        ("PUT", ["mode", subject]) => put_mode(registry, cluster, node, Some(subject), request)?,
        ("DELETE", ["mode", subject]) => {
            mode_json(registry.delete_mode_via(cluster, node, subject)?)
        }
        ("POST", ["compatibility", "subjects", subject, "versions", rest @ ..]) => {
            let version = match rest {
                [] => None,
                [version] => Some(VersionId::parse(version)?),
                _ => return Err(RegistryError::http_not_found()),
            };
            let schema_request = register_request(request.body)?;
            let check = registry.test_compatibility_via(
                cluster,
                node,
                subject,
                version,
                &schema_request,
            )?;
            let mut w = ObjectWriter::new().boolean("is_compatible", check.is_compatible);
            if request.flag("verbose") && !check.messages.is_empty() {
                w = w.raw("messages", &array(check.messages.iter().map(|m| quote(m))));
            }
            w.finish()
        }
        (_, segments) if is_known_path(segments) => return Err(RegistryError::method_not_allowed()),
        _ => return Err(RegistryError::http_not_found()),
    };
    Ok(RestResponse::ok(body))
}

/// Whether some method serves the path (a wrong method is 405, not 404).
fn is_known_path(segments: &[&str]) -> bool {
    matches!(
        segments,
        [] | ["subjects"]
            | ["subjects", _]
            | ["subjects", _, "versions"]
            | ["subjects", _, "versions", _]
            | ["subjects", _, "versions", _, "schema" | "referencedby"]
            | ["schemas", "types"]
            | ["schemas", "ids", _]
            | ["schemas", "ids", _, "schema" | "subjects" | "versions"]
            | ["config"]
            | ["config", _]
            | ["mode"]
            | ["mode", _]
            | ["compatibility", "subjects", _, "versions"]
            | ["compatibility", "subjects", _, "versions", _]
    )
}

/// The `Schema` entity: `subject`, `version`, `id`, `schemaType` (not for
/// AVRO), `references` (when any), `schema`.
fn schema_json(value: &SchemaValue) -> String {
    let mut w = ObjectWriter::new()
        .string("subject", &value.subject)
        .number("version", i64::from(value.version))
        .number("id", i64::from(value.id));
    if value.schema_type != AVRO {
        w = w.string("schemaType", &value.schema_type);
    }
    if !value.references.is_empty() {
        w = w.raw("references", &SchemaReference::list_json(&value.references));
    }
    w.string("schema", &value.schema).finish()
}

/// The `SchemaString` entity of `GET /schemas/ids/{id}`.
fn schema_string_json(value: &SchemaString) -> String {
    let mut w = ObjectWriter::new();
    if value.schema_type != AVRO {
        w = w.string("schemaType", &value.schema_type);
    }
    w = w.string("schema", &value.schema);
    if !value.references.is_empty() {
        w = w.raw("references", &SchemaReference::list_json(&value.references));
    }
    w.finish()
}

fn config_json(level: CompatibilityLevel) -> String {
    ObjectWriter::new()
        .string("compatibilityLevel", level.as_str())
        .finish()
}

fn mode_json(mode: Mode) -> String {
    ObjectWriter::new().string("mode", mode.as_str()).finish()
}

/// `PUT /config`: `{"compatibility":"FULL"}` in, the same out.
fn put_config(
    registry: &mut SchemaRegistry,
    cluster: &mut Cluster,
    node: Option<i32>,
    subject: Option<&str>,
    body: &str,
) -> Result<String, RegistryError> {
    let json = body_json(body)?;
    let level = string_member(&json, "compatibility")?
        .and_then(|name| name.parse::<CompatibilityLevel>().ok())
        .ok_or_else(RegistryError::invalid_compatibility_level)?;
    registry.set_config_via(cluster, node, subject, level)?;
    Ok(ObjectWriter::new()
        .string("compatibility", level.as_str())
        .finish())
}

/// `PUT /mode`: `{"mode":"IMPORT"}` in, the same out (`?force=true` to
/// import into a non-empty registry).
fn put_mode(
    registry: &mut SchemaRegistry,
    cluster: &mut Cluster,
    node: Option<i32>,
    subject: Option<&str>,
    request: &Request<'_>,
) -> Result<String, RegistryError> {
    let json = body_json(request.body)?;
    let mode = string_member(&json, "mode")?
        .and_then(|m| m.parse::<Mode>().ok())
        .ok_or_else(RegistryError::invalid_mode)?;
    registry.set_mode_via(cluster, node, subject, mode, request.flag("force"))?;
    Ok(mode_json(mode))
}

/// The body as JSON: 422 when missing, 400 when not JSON.
fn body_json(body: &str) -> Result<Json, RegistryError> {
    if body.trim().is_empty() {
        return Err(RegistryError::missing_body());
    }
    let json = json::parse(body).map_err(|e| {
        RegistryError::bad_json(format!("Unexpected character in the request body: {e}"))
    })?;
    match json {
        Json::Null => Err(RegistryError::missing_body()),
        Json::Object(_) => Ok(json),
        other => Err(mapping_error("the request", &other)),
    }
}

/// A string member as Jackson binds a `String` field: strings, and numbers
/// and booleans coerced to their text; `null` or absent is `None`.
fn string_member(json: &Json, name: &str) -> Result<Option<String>, RegistryError> {
    match json.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(Json::Number(n)) => Ok(Some(n.clone())),
        Some(Json::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(mapping_error(name, other)),
    }
}

/// An `Integer` member: numbers (and numeric strings, which Jackson
/// coerces); `None` when absent.
fn int_member(json: &Json, name: &str) -> Result<Option<i32>, RegistryError> {
    match json.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => n
            .parse()
            .map(Some)
            .map_err(|_| mapping_error(name, &Json::Number(n.clone()))),
        Some(Json::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| mapping_error(name, &Json::String(s.clone()))),
        Some(other) => Err(mapping_error(name, other)),
    }
}

fn mapping_error(name: &str, found: &Json) -> RegistryError {
    let kind = match found {
        Json::Null => "null",
        Json::Bool(_) => "Boolean",
        Json::Number(_) => "Number",
        Json::String(_) => "String",
        Json::Array(_) => "Array",
        Json::Object(_) => "Object",
    };
    RegistryError::bad_json(format!("Cannot deserialize `{name}` from {kind} value"))
}

/// `RegisterSchemaRequest` from a body (unknown members ignored, as
/// Confluent's `@JsonIgnoreProperties(ignoreUnknown = true)`).
fn register_request(body: &str) -> Result<RegisterSchemaRequest, RegistryError> {
    let json = body_json(body)?;
    let references = match json.get("references") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Array(items)) => items
            .iter()
            .map(|item| {
                if !matches!(item, Json::Object(_)) {
                    return Err(mapping_error("references", item));
                }
                Ok(SchemaReference {
                    name: string_member(item, "name")?.unwrap_or_default(),
                    subject: string_member(item, "subject")?.unwrap_or_default(),
                    version: int_member(item, "version")?.unwrap_or(-1),
                })
            })
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(mapping_error("references", other)),
    };
    Ok(RegisterSchemaRequest {
        schema: string_member(&json, "schema")?,
        schema_type: string_member(&json, "schemaType")?,
        references,
        id: int_member(&json, "id")?,
        version: int_member(&json, "version")?,
    })
}
