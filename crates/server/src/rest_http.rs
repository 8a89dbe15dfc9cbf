//! The engine's REST services over HTTP: axum hands every request
//! (method, path with query, body) to an engine call that answers as the
//! real server does — the Schema Registry's `SchemaRegistry::handle` on
//! 127.0.0.1:8081, Kafka Connect's `ConnectWorker::handle` on 8083 — and
//! sends back its status and JSON with that server's content type.
//!
//! Like Kafka Connect (JAX-RS), the Connect API takes request bodies only
//! as `application/json` and answers anything else with 415. That also
//! keeps a web page from creating connectors (which read and write files)
//! with a form post, the one cross-site request a browser sends unasked.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use engine::registry::rest::RestResponse;

use crate::hub::{Host, Hub};

/// Confluent Schema Registry's response content type.
pub const REGISTRY_CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// An engine REST service: `(host, method, path_and_query, body)` → reply.
pub type Service = fn(&mut Host, &str, &str, &str) -> RestResponse;

/// The Schema Registry: every path goes to the playground's registry
/// (`Playground::registry_request`, started with the server).
pub fn registry_router(hub: Arc<Hub>) -> Router {
    router(hub, REGISTRY_CONTENT_TYPE, |host, method, path, body| {
        host.playground_mut().registry_request(method, path, body)
    })
}

/// Kafka Connect: every path goes to the worker (started with the server).
pub fn connect_router(hub: Arc<Hub>) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(Settings { hub, content_type: "application/json", json_bodies_only: true, service: |host, method, path, body| {
            host.playground_mut().connect_request(method, path, body)
        } })
}

/// Every path of one service.
pub fn router(hub: Arc<Hub>, content_type: &'static str, service: Service) -> Router {
    Router::new().fallback(handle).with_state(Settings { hub, content_type, json_bodies_only: false, service })
}

/// One service's HTTP settings.
#[derive(Clone)]
struct Settings {
    hub: Arc<Hub>,
    content_type: &'static str,
    /// Refuse a request body that is not `application/json` with 415.
    json_bodies_only: bool,
    service: Service,
}

async fn handle(State(settings): State<Settings>, method: Method, headers: HeaderMap, uri: Uri, body: Bytes) -> Response {
    let Settings { hub, content_type, json_bodies_only, service } = settings;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")));
    if json_bodies_only && !body.is_empty() && !is_json {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            [(header::CONTENT_TYPE, content_type)],
            r#"{"error_code":415,"message":"HTTP 415 Unsupported Media Type"}"#,
        )
            .into_response();
    }
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let Ok(body) = std::str::from_utf8(&body) else {
        return (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, content_type)], r#"{"error_code":400,"message":"Bad Request: the body is not UTF-8"}"#).into_response();
    };
    let reply = hub.with(|host| service(host, method.as_str(), &path, body));
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, content_type)], reply.body).into_response()
}
