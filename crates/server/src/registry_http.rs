//! The Schema Registry's REST API on 127.0.0.1:8081: axum hands every
//! request (method, path with query, body) to the engine's
//! `SchemaRegistry::handle`, which answers as Confluent's server does, and
//! sends back its status and JSON with Confluent's content type.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::hub::Hub;

/// Confluent's response content type.
pub const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// Every path goes to the registry.
pub fn router(hub: Arc<Hub>) -> Router {
    Router::new().fallback(handle).with_state(hub)
}

async fn handle(State(hub): State<Arc<Hub>>, method: Method, uri: Uri, body: Bytes) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let Ok(body) = std::str::from_utf8(&body) else {
        return (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, CONTENT_TYPE)], r#"{"error_code":400,"message":"Bad Request: the body is not UTF-8"}"#).into_response();
    };
    let reply = hub.with(|host| host.registry.handle(host.playground.cluster_mut(), method.as_str(), &path, body));
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], reply.body).into_response()
}
