//! The engine's REST services over HTTP: axum hands every request
//! (method, path with query, body) to an engine call that answers as the
//! real server does — the Schema Registry's `SchemaRegistry::handle` on
//! 127.0.0.1:8081 — and sends back its status and JSON with that server's
//! content type.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use engine::registry::rest::RestResponse;

use crate::hub::{Host, Hub};

/// Confluent Schema Registry's response content type.
pub const REGISTRY_CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// An engine REST service: `(host, method, path_and_query, body)` → reply.
pub type Service = fn(&mut Host, &str, &str, &str) -> RestResponse;

/// The Schema Registry: every path goes to `SchemaRegistry::handle`.
pub fn registry_router(hub: Arc<Hub>) -> Router {
    router(hub, REGISTRY_CONTENT_TYPE, |host, method, path, body| {
        host.registry.handle(host.playground.cluster_mut(), method, path, body)
    })
}

/// Every path of one service.
pub fn router(hub: Arc<Hub>, content_type: &'static str, service: Service) -> Router {
    Router::new().fallback(handle).with_state((hub, content_type, service))
}

async fn handle(
    State((hub, content_type, service)): State<(Arc<Hub>, &'static str, Service)>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let Ok(body) = std::str::from_utf8(&body) else {
        return (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, content_type)], r#"{"error_code":400,"message":"Bad Request: the body is not UTF-8"}"#).into_response();
    };
    let reply = hub.with(|host| service(host, method.as_str(), &path, body));
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, content_type)], reply.body).into_response()
}
