//! Kafka Connect's REST API as a function, routed as `RootResource`,
//! `ConnectorsResource` and `ConnectorPluginsResource` route, with their
//! JSON shapes (`ConnectorInfo`, `ConnectorStateInfo`, `TaskInfo`,
//! `ConfigInfos`, `ConnectorOffsets`) and status codes: 201 for a created
//! connector, 202 with an empty body for pause/resume/stop, 204 for a
//! delete and a plain restart, `{"error_code":…,"message":…}` for errors.

use super::plugins::{self, ConnectorType, VERSION};
use super::store::{properties_json, Properties, TargetState};
use super::{ConnectError, ConnectWorker};
use crate::cluster::Cluster;
use crate::group::coordinator::GroupCoordinator;
use crate::registry::json::{self, array, quote, Json, ObjectWriter};
use crate::rest::{PathAndQuery, RestResponse};

/// Routes and answers one request.
pub(crate) fn handle(
    worker: &mut ConnectWorker,
    cluster: &mut Cluster,
    coordinator: &mut GroupCoordinator,
    method: &str,
    path_and_query: &str,
    body: &str,
) -> RestResponse {
    let request = PathAndQuery::parse(path_and_query);
    match route(
        worker,
        cluster,
        coordinator,
        &method.to_ascii_uppercase(),
        &request,
        body,
    ) {
        Ok(response) => response,
        Err(error) => error.into(),
    }
}

fn route(
    worker: &mut ConnectWorker,
    cluster: &mut Cluster,
    coordinator: &mut GroupCoordinator,
    method: &str,
    request: &PathAndQuery,
    body: &str,
) -> Result<RestResponse, ConnectError> {
    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    let ok = |body: String| Ok(RestResponse::ok(body));
    let accepted = || Ok(RestResponse::new(202, String::new()));
    match (method, segments.as_slice()) {
        ("GET", []) => ok(ObjectWriter::new()
            .string("version", VERSION)
            .string("commit", plugins::COMMIT)
            .string("kafka_cluster_id", &worker.config.kafka_cluster_id)
            .finish()),
        ("GET", ["connectors"]) => {
            let expand: Vec<&str> = request.params("expand").collect();
            let names = worker.connectors();
            if expand.is_empty() {
                return ok(array(names.iter().map(|n| quote(n))));
            }
            let mut w = ObjectWriter::new();
            for name in &names {
                let mut inner = ObjectWriter::new();
                for e in &expand {
                    match *e {
                        "status" => inner = inner.raw("status", &status_json(worker, name)?),
                        "info" => inner = inner.raw("info", &info_json(worker, name)?),
                        _ => {}
                    }
                }
                w = w.raw(name, &inner.finish());
            }
            ok(w.finish())
        }
        ("POST", ["connectors"]) => {
            let json = body_json(body)?;
            let name = json.get("name").and_then(Json::as_str).map(str::to_owned);
            let config = match json.get("config") {
                None | Some(Json::Null) => Properties::new(),
                Some(c) => properties(c)?,
            };
            let name = name
                .or_else(|| config.get("name").cloned())
                .ok_or_else(|| ConnectError::new(400, "Connector name cannot be empty"))?;
            if let Some(in_config) = config.get("name") {
                if *in_config != name {
                    return Err(ConnectError::new(
                        400,
                        "Connector name configuration (".to_owned()
                            + in_config
                            + ") doesn't match connector name in the URL ("
                            + &name
                            + ")",
                    ));
                }
            }
            let initial = match json.get("initial_state").and_then(Json::as_str) {
                None => None,
                Some("RUNNING") => Some(TargetState::Started),
                Some("PAUSED") => Some(TargetState::Paused),
                Some("STOPPED") => Some(TargetState::Stopped),
                Some(other) => {
                    return Err(ConnectError::new(
                        400,
                        format!("Invalid initial state: {other}"),
                    ))
                }
            };
            worker.put_connector_config(cluster, &name, config, false, initial)?;
            Ok(RestResponse::new(201, info_json(worker, &name)?))
        }
        ("GET", ["connectors", name]) => ok(info_json(worker, name)?),
        ("DELETE", ["connectors", name]) => {
            worker.delete_connector(cluster, name)?;
            Ok(RestResponse::new(204, String::new()))
        }
        ("GET", ["connectors", name, "config"]) => {
            ok(properties_json(worker.connector_config(name)?))
        }
        ("PUT", ["connectors", name, "config"]) => {
            let config = properties(&body_json(body)?)?;
            if let Some(in_config) = config.get("name") {
                if in_config != name {
                    return Err(ConnectError::new(400, format!("Connector name configuration ({in_config}) doesn't match connector name in the URL ({name})")));
                }
            }
            let created = worker.put_connector_config(cluster, name, config, true, None)?;
            Ok(RestResponse::new(
                if created { 201 } else { 200 },
                info_json(worker, name)?,
            ))
        }
        ("GET", ["connectors", name, "status"]) => ok(status_json(worker, name)?),
        ("GET", ["connectors", name, "tasks"]) => {
            worker.connector_config(name)?;
            let tasks = worker.configs.tasks.get(*name).cloned().unwrap_or_default();
            ok(array(tasks.iter().enumerate().map(|(i, props)| {
                ObjectWriter::new()
                    .raw("id", &task_id_json(name, i))
                    .raw("config", &properties_json(props))
                    .finish()
            })))
        }
        ("GET", ["connectors", name, "tasks", task, "status"]) => {
            worker.connector_config(name)?;
            let task = task_number(task)?;
            let status = worker
                .statuses
                .tasks
                .get(&((*name).to_owned(), task))
                .ok_or_else(|| {
                    ConnectError::new(404, format!("No status found for task {name}-{task}"))
                })?;
            ok(task_state_json(task, status))
        }
        ("POST", ["connectors", name, "restart"]) => {
            let include_tasks = flag(request, "includeTasks");
            let only_failed = flag(request, "onlyFailed");
            worker.restart_connector(cluster, name, include_tasks, only_failed)?;
            if !include_tasks && !only_failed {
                return Ok(RestResponse::new(204, String::new()));
            }
            Ok(RestResponse::new(202, status_json(worker, name)?))
        }
        ("POST", ["connectors", name, "tasks", task, "restart"]) => {
            let task = task_number(task)?;
            worker.restart_task(name, task)?;
            Ok(RestResponse::new(204, String::new()))
        }
        ("PUT", ["connectors", name, "pause"]) => {
            worker.set_target_state(cluster, name, TargetState::Paused)?;
            accepted()
        }
        ("PUT", ["connectors", name, "resume"]) => {
            worker.set_target_state(cluster, name, TargetState::Started)?;
            accepted()
        }
        ("PUT", ["connectors", name, "stop"]) => {
            worker.set_target_state(cluster, name, TargetState::Stopped)?;
            accepted()
        }
        ("GET", ["connectors", name, "topics"]) => {
            worker.connector_config(name)?;
            let topics = worker
                .statuses
                .topics
                .get(*name)
                .cloned()
                .unwrap_or_default();
            let inner = ObjectWriter::new()
                .raw("topics", &array(topics.iter().map(|t| quote(t))))
                .finish();
            ok(ObjectWriter::new().raw(name, &inner).finish())
        }
        ("GET", ["connectors", name, "offsets"]) => ok(offsets_json(worker, coordinator, name)?),
        ("GET", ["connector-plugins"]) => ok(array(plugins::PLUGINS.iter().map(|p| {
            ObjectWriter::new()
                .string("class", p.class)
                .string("type", p.kind.as_str())
                .string("version", VERSION)
                .finish()
        }))),
        ("PUT", ["connector-plugins", class, "config", "validate"]) => {
            let mut config = properties(&body_json(body)?)?;
            config
                .entry("connector.class".to_owned())
                .or_insert_with(|| (*class).to_owned());
            let (plugin, results) = ConnectWorker::validate(&config)?;
            let errors: usize = results.iter().map(|r| r.errors.len()).sum();
            let mut groups: Vec<&str> = Vec::new();
            for g in results.iter().filter_map(|r| r.group) {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
            let configs = array(results.iter().map(|r| {
                let definition = ObjectWriter::new()
                    .string("name", r.name)
                    .string("type", r.kind)
                    .boolean("required", r.required)
                    .string_or_null("default_value", r.default_value)
                    .string("importance", r.importance)
                    .string("documentation", r.documentation)
                    .string_or_null("group", r.group)
                    .string("width", "NONE")
                    .string("display_name", r.name)
                    .raw("dependents", "[]")
                    .number("order", -1)
                    .finish();
                let value = ObjectWriter::new()
                    .string("name", r.name)
                    .string_or_null("value", r.value.as_deref())
                    .raw("recommended_values", "[]")
                    .raw("errors", &array(r.errors.iter().map(|e| quote(e))))
                    .boolean("visible", true)
                    .finish();
                ObjectWriter::new()
                    .raw("definition", &definition)
                    .raw("value", &value)
                    .finish()
            }));
            ok(ObjectWriter::new()
                .string("name", plugin.class)
                .number("error_count", i64::try_from(errors).unwrap_or(i64::MAX))
                .raw("groups", &array(groups.iter().map(|g| quote(g))))
                .raw("configs", &configs)
                .finish())
        }
        (_, segments) if is_known_path(segments) => {
            Err(ConnectError::new(405, "HTTP 405 Method Not Allowed"))
        }
        _ => Err(ConnectError::new(404, "HTTP 404 Not Found")),
    }
}

fn is_known_path(segments: &[&str]) -> bool {
    matches!(
        segments,
        [] | ["connectors"]
            | ["connectors", _]
            | [
                "connectors",
                _,
                "config"
                    | "status"
                    | "tasks"
                    | "restart"
                    | "pause"
                    | "resume"
                    | "stop"
                    | "topics"
                    | "offsets"
            ]
            | ["connectors", _, "tasks", _, "status" | "restart"]
            | ["connector-plugins"]
            | ["connector-plugins", _, "config", "validate"]
    )
}

/// A JAX-RS boolean query parameter: true only for `true`.
fn flag(request: &PathAndQuery, name: &str) -> bool {
    request
        .param(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// `{id}` as Jersey reads an `Integer` path parameter: anything else 404.
fn task_number(text: &str) -> Result<u32, ConnectError> {
    text.parse()
        .map_err(|_| ConnectError::new(404, "HTTP 404 Not Found"))
}

fn body_json(body: &str) -> Result<Json, ConnectError> {
    if body.trim().is_empty() {
        return Err(ConnectError::new(400, "Request body is missing or empty"));
    }
    json::parse(body)
        .map_err(|e| ConnectError::new(400, format!("Unrecognized or malformed JSON: {e}")))
}

/// A `Map<String, String>` body: strings as they are, numbers and
/// booleans as their text (Jackson coerces them), anything else 400.
fn properties(json: &Json) -> Result<Properties, ConnectError> {
    let Json::Object(members) = json else {
        return Err(ConnectError::new(400, "Cannot deserialize value of type `java.util.LinkedHashMap<java.lang.String,java.lang.String>` from non-object JSON"));
    };
    // Inserted one by one, not collected: `collect()` into a map sorts
    // first, one more sort instance in the wasm (see `compact_sort`).
    let mut properties = Properties::new();
    for (k, v) in members {
        let text = match v {
            Json::String(s) => s.clone(),
            Json::Number(n) => n.clone(),
            Json::Bool(b) => b.to_string(),
            Json::Null => {
                return Err(ConnectError::new(
                    400,
                    format!("Connector config value for {k} cannot be null"),
                ))
            }
            _ => {
                return Err(ConnectError::new(
                    400,
                    format!(
                        "Cannot deserialize value of type `java.lang.String` from {} for {k}",
                        if matches!(v, Json::Array(_)) {
                            "Array value"
                        } else {
                            "Object value"
                        }
                    ),
                ))
            }
        };
        properties.insert(k.clone(), text);
    }
    Ok(properties)
}

fn task_id_json(name: &str, task: usize) -> String {
    ObjectWriter::new()
        .string("connector", name)
        .number("task", i64::try_from(task).unwrap_or(i64::MAX))
        .finish()
}

fn type_name(kind: Option<ConnectorType>) -> &'static str {
    kind.map_or("unknown", ConnectorType::as_str)
}

/// `ConnectorInfo`: `name`, `config`, `tasks`, `type`.
fn info_json(worker: &ConnectWorker, name: &str) -> Result<String, ConnectError> {
    let config = worker.connector_config(name)?;
    let tasks = worker.configs.tasks.get(name).map_or(0, Vec::len);
    Ok(ObjectWriter::new()
        .string("name", name)
        .raw("config", &properties_json(config))
        .raw("tasks", &array((0..tasks).map(|t| task_id_json(name, t))))
        .string("type", type_name(worker.connector_type(name)))
        .finish())
}

fn task_state_json(task: u32, status: &super::Status) -> String {
    let mut w = ObjectWriter::new()
        .number("id", i64::from(task))
        .string("state", status.state.as_str())
        .string("worker_id", &status.worker_id);
    if let Some(trace) = &status.trace {
        w = w.string("trace", trace);
    }
    w.finish()
}

/// `ConnectorStateInfo`.
fn status_json(worker: &ConnectWorker, name: &str) -> Result<String, ConnectError> {
    worker.connector_config(name)?;
    let connector =
        worker.statuses.connectors.get(name).ok_or_else(|| {
            ConnectError::new(404, format!("No status found for connector {name}"))
        })?;
    let mut c = ObjectWriter::new()
        .string("state", connector.state.as_str())
        .string("worker_id", &connector.worker_id);
    if let Some(trace) = &connector.trace {
        c = c.string("trace", trace);
    }
    let tasks = array(
        worker
            .statuses
            .tasks
            .iter()
            .filter(|((c, _), _)| c == name)
            .map(|((_, t), s)| task_state_json(*t, s)),
    );
    Ok(ObjectWriter::new()
        .string("name", name)
        .raw("connector", &c.finish())
        .raw("tasks", &tasks)
        .string("type", type_name(worker.connector_type(name)))
        .finish())
}

/// `ConnectorOffsets`: a source connector's from `connect-offsets`, a
/// sink connector's from its group's committed offsets.
fn offsets_json(
    worker: &ConnectWorker,
    coordinator: &GroupCoordinator,
    name: &str,
) -> Result<String, ConnectError> {
    worker.connector_config(name)?;
    let entries: Vec<String> = match worker.connector_type(name) {
        Some(ConnectorType::Sink) => coordinator
            .fetch_offsets(&format!("connect-{name}"), None)
            .into_iter()
            .map(|c| {
                let partition = ObjectWriter::new()
                    .string("kafka_topic", &c.partition.topic)
                    .number("kafka_partition", i64::from(c.partition.partition))
                    .finish();
                let offset = ObjectWriter::new()
                    .number("kafka_offset", c.offset)
                    .finish();
                ObjectWriter::new()
                    .raw("partition", &partition)
                    .raw("offset", &offset)
                    .finish()
            })
            .collect(),
        _ => worker
            .offsets
            .offsets
            .get(name)
            .map(|m| {
                m.iter()
                    .map(|(p, o)| {
                        ObjectWriter::new()
                            .raw("partition", p)
                            .raw("offset", o)
                            .finish()
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    Ok(ObjectWriter::new().raw("offsets", &array(entries)).finish())
}
