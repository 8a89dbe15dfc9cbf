//! The engine's REST services over HTTP: axum hands every request
//! (method, path with query, body) to an engine call that answers as the
//! real server does — the Schema Registry's `SchemaRegistry::handle` on
//! 127.0.0.1:8081, Kafka Connect's `ConnectWorker::handle` on 8083 — and
//! sends back its status and JSON with that server's content type.
//!
//! Both refuse request bodies that are not JSON with HTTP 415, as the
//! real servers (JAX-RS) do: Kafka Connect takes only `application/json`;
//! the Schema Registry takes `application/vnd.schemaregistry.v1+json`,
//! `application/vnd.schemaregistry+json`, `application/json` and, like
//! Confluent's (its "generic request" type), `application/octet-stream`,
//! each with optional parameters (`; charset=utf-8`), on POST and PUT. A
//! body with no content type at all is refused too (Confluent's Jersey
//! would read it as `application/octet-stream`): together this keeps a web
//! page from registering schemas or creating connectors (which read and
//! write files) with a form post or a type-less `fetch`, the cross-site
//! requests a browser sends unasked.
//!
//! Every request passes [`crate::origin::allowed`], as the port's
//! WebSocket does: its `Host` must be `localhost`, an IP address or an
//! allowed origin's host (a page whose DNS name was rebound to this machine
//! sends same-origin requests, `GET`s without an `Origin` among them, that
//! no preflight stops), and a browser page's `Origin` must be this
//! server's own or allowed. Command-line clients (`curl`, the Confluent
//! clients) send `Host: 127.0.0.1:…` and no `Origin`: served as before.

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

/// What the Schema Registry reads as a JSON body (Confluent's
/// `Versions`: its two own types, JSON, and its generic request type).
pub const REGISTRY_BODY_TYPES: &[&str] = &[
    REGISTRY_CONTENT_TYPE,
    "application/vnd.schemaregistry+json",
    "application/json",
    "application/octet-stream",
];

/// What Kafka Connect reads as a body.
pub const CONNECT_BODY_TYPES: &[&str] = &["application/json"];

/// The Schema Registry: every path goes to the playground's registry
/// (`Playground::registry_request`, started with the server).
pub fn registry_router(hub: Arc<Hub>, allowed_origins: Arc<[String]>) -> Router {
    let body_check = BodyCheck {
        types: REGISTRY_BODY_TYPES,
        every_method: false,
    };
    router(
        hub,
        allowed_origins,
        REGISTRY_CONTENT_TYPE,
        Some(body_check),
        |host, method, path, body| host.playground_mut().registry_request(method, path, body),
    )
}

/// Kafka Connect: every path goes to the worker (started with the server).
pub fn connect_router(hub: Arc<Hub>, allowed_origins: Arc<[String]>) -> Router {
    let body_check = BodyCheck {
        types: CONNECT_BODY_TYPES,
        every_method: true,
    };
    router(
        hub,
        allowed_origins,
        "application/json",
        Some(body_check),
        |host, method, path, body| host.playground_mut().connect_request(method, path, body),
    )
}

/// Every path of one service; `body_check` refuses bodies of other types.
/// `allowed_origins` are [`crate::origin::normalize`]d.
pub fn router(
    hub: Arc<Hub>,
    allowed_origins: Arc<[String]>,
    content_type: &'static str,
    body_check: Option<BodyCheck>,
    service: Service,
) -> Router {
    Router::new().fallback(handle).with_state(Settings {
        hub,
        allowed_origins,
        content_type,
        body_check,
        service,
    })
}

/// Which request bodies a service reads: a non-empty body of another
/// content type is answered with 415.
#[derive(Debug, Clone, Copy)]
pub struct BodyCheck {
    /// Accepted media types (lower case, without parameters).
    pub types: &'static [&'static str],
    /// Check every method's body (Connect), or only POST's and PUT's
    /// (the Schema Registry's resources that consume one).
    pub every_method: bool,
}

impl BodyCheck {
    /// Whether a request with this method, `Content-Type` and body length
    /// is refused.
    #[must_use]
    pub fn refuses(&self, method: &Method, content_type: Option<&str>, body_len: usize) -> bool {
        if body_len == 0
            || !(self.every_method || *method == Method::POST || *method == Method::PUT)
        {
            return false;
        }
        let media = content_type
            .and_then(|v| v.split(';').next())
            .map(str::trim);
        !media.is_some_and(|m| self.types.iter().any(|t| t.eq_ignore_ascii_case(m)))
    }
}

/// One service's HTTP settings.
#[derive(Clone)]
struct Settings {
    hub: Arc<Hub>,
    allowed_origins: Arc<[String]>,
    content_type: &'static str,
    body_check: Option<BodyCheck>,
    service: Service,
}

async fn handle(
    State(settings): State<Settings>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let Settings {
        hub,
        allowed_origins,
        content_type,
        body_check,
        service,
    } = settings;
    if let Some(refusal) = crate::origin::refusal(&headers, &allowed_origins) {
        return refusal;
    }
    let request_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if body_check.is_some_and(|check| check.refuses(&method, request_type, body.len())) {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            [(header::CONTENT_TYPE, content_type)],
            r#"{"error_code":415,"message":"HTTP 415 Unsupported Media Type"}"#,
        )
            .into_response();
    }
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let Ok(body) = std::str::from_utf8(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, content_type)],
            r#"{"error_code":400,"message":"Bad Request: the body is not UTF-8"}"#,
        )
            .into_response();
    };
    let reply = hub.with(|host| service(host, method.as_str(), &path, body));
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, content_type)], reply.body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_reads_json_types_with_parameters_and_refuses_others() {
        let check = BodyCheck {
            types: REGISTRY_BODY_TYPES,
            every_method: false,
        };
        for ok in [
            "application/vnd.schemaregistry.v1+json",
            "application/json; charset=utf-8",
            "Application/VND.schemaregistry+JSON",
        ] {
            assert!(!check.refuses(&Method::POST, Some(ok), 10), "{ok}");
        }
        for bad in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
        ] {
            assert!(check.refuses(&Method::POST, bad, 10), "{bad:?}");
            assert!(check.refuses(&Method::PUT, bad, 10), "{bad:?}");
            assert!(
                !check.refuses(&Method::POST, bad, 0),
                "an empty body is not checked"
            );
            assert!(
                !check.refuses(&Method::DELETE, bad, 10),
                "DELETE is not checked"
            );
            assert!(!check.refuses(&Method::GET, bad, 10), "GET is not checked");
        }
    }

    #[test]
    fn connect_checks_every_methods_body() {
        let check = BodyCheck {
            types: CONNECT_BODY_TYPES,
            every_method: true,
        };
        assert!(check.refuses(&Method::DELETE, Some("text/plain"), 3));
        assert!(check.refuses(
            &Method::PUT,
            Some("application/vnd.schemaregistry.v1+json"),
            3
        ));
        assert!(!check.refuses(&Method::PUT, Some("application/json"), 3));
    }
}
