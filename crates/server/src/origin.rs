//! Which web pages may open the feed listener's WebSockets (`/port`,
//! `/events`). A browser sends every cross-site WebSocket handshake
//! unasked, with the page's `Origin`; the port can create topics and
//! connectors (which write files), so an upgrade is accepted only
//!
//! - without an `Origin` header (kcat scripts, Python, tests: not a
//!   browser page),
//! - from the server's own page (`Origin`'s `host:port` equals the
//!   request's `Host`) when that host is `localhost` or an IP address —
//!   a page served under a DNS name could be a rebinding attack (a
//!   foreign site whose name now resolves to 127.0.0.1), or
//! - from an origin named with `--allow-origin` (a page hosted elsewhere,
//!   e.g. `https://play.example.org`).
//!
//! Anything else gets 403 with a sentence naming the origin and the flag.
//! Before any of that, the request's `Host` must be `localhost`, an IP
//! address or an allowed origin's host, which keeps out pages whose DNS
//! name was rebound to this machine. The REST services apply the same
//! rule (`rest_http`).

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The longest origin a refusal repeats.
const MAX_SHOWN: usize = 200;

/// `scheme://host[:port]` without a trailing slash, lower case: how an
/// origin given to `--allow-origin` is compared.
#[must_use]
pub fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// The `host[:port]` of an `http`/`https` origin.
fn authority(origin: &str) -> Option<&str> {
    let (scheme, rest) = origin.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let rest = rest.trim_end_matches('/');
    (!rest.is_empty() && !rest.contains('/')).then_some(rest)
}

/// Whether a request with these headers may proceed (a WebSocket upgrade,
/// or a REST call); `allowed` holds [`normalize`]d origins.
///
/// Its `Host` must name this machine in a way DNS cannot rebind
/// (`localhost` or an IP address) or be the host of an allowed origin:
/// browsers send no `Origin` on a same-origin `GET`, so a page whose name
/// was rebound to 127.0.0.1 could otherwise read the services. Then a
/// browser page (an `Origin`) must be this server's own or an allowed one.
#[must_use]
pub fn allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim);
    let host_ok = host.is_none_or(|host| {
        not_rebindable(host)
            || allowed
                .iter()
                .any(|a| authority(a).is_some_and(|a| a.eq_ignore_ascii_case(host)))
    });
    if !host_ok {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let same_origin = match (authority(origin), host) {
        (Some(authority), Some(host)) => authority.eq_ignore_ascii_case(host),
        _ => false,
    };
    same_origin || allowed.iter().any(|a| *a == normalize(origin))
}

/// Whether a `Host` header names this machine in a way DNS cannot
/// rebind: `localhost` (and `*.localhost`, which browsers resolve to
/// loopback themselves) or an IP literal.
fn not_rebindable(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // `[::1]:8080`
        Some(rest) => {
            return rest
                .split_once(']')
                .is_some_and(|(ip, _)| ip.parse::<std::net::Ipv6Addr>().is_ok())
        }
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The 403 to answer (a sentence naming the origin and the flag), or
/// `None` if the upgrade is [`allowed`].
#[must_use]
pub fn refusal(headers: &HeaderMap, allowed_origins: &[String]) -> Option<Response> {
    if allowed(headers, allowed_origins) {
        return None;
    }
    let origin = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::HOST))
        .map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned())
        .unwrap_or_default();
    let origin = if headers.contains_key(header::ORIGIN) {
        origin
    } else {
        format!("http://{origin}")
    };
    let shown: String = origin.chars().take(MAX_SHOWN).collect();
    let body = format!(
        "Origin {shown} may not use this server: only its own page, served from localhost or an IP address, may. \
         Start the server with --allow-origin {shown} to let that page connect.\n"
    );
    Some(
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&str>, host: Option<&str>) -> HeaderMap {
        let mut map = HeaderMap::new();
        if let Some(o) = origin {
            map.insert(header::ORIGIN, HeaderValue::from_str(o).expect("ascii"));
        }
        if let Some(h) = host {
            map.insert(header::HOST, HeaderValue::from_str(h).expect("ascii"));
        }
        map
    }

    #[test]
    fn same_origin_listed_and_absent_are_allowed_others_not() {
        let list = vec![normalize("https://play.example.org/")];
        assert!(allowed(&headers(None, Some("127.0.0.1:8080")), &list));
        assert!(allowed(
            &headers(Some("http://127.0.0.1:8080"), Some("127.0.0.1:8080")),
            &list
        ));
        assert!(allowed(
            &headers(Some("http://LOCALHOST:8080"), Some("localhost:8080")),
            &list
        ));
        assert!(allowed(
            &headers(Some("https://play.example.org"), Some("127.0.0.1:8080")),
            &list
        ));
        assert!(!allowed(
            &headers(Some("http://evil.example"), Some("127.0.0.1:8080")),
            &list
        ));
        assert!(!allowed(
            &headers(Some("http://127.0.0.1:8081"), Some("127.0.0.1:8080")),
            &list
        ));
        assert!(!allowed(
            &headers(Some("null"), Some("127.0.0.1:8080")),
            &list
        ));
        assert!(!allowed(
            &headers(Some("file://127.0.0.1:8080"), Some("127.0.0.1:8080")),
            &list
        ));
        assert!(!allowed(
            &headers(Some("http://127.0.0.1:8080"), None),
            &list
        ));
        assert!(!allowed(
            &headers(Some("https://play.example.org.evil.example"), Some("x")),
            &list
        ));
    }

    #[test]
    fn a_same_origin_page_under_a_dns_name_is_refused_as_a_possible_rebinding() {
        let none: Vec<String> = Vec::new();
        assert!(!allowed(
            &headers(Some("http://evil.example:8080"), Some("evil.example:8080")),
            &none
        ));
        assert!(!allowed(
            &headers(Some("http://evil.example"), Some("evil.example")),
            &none
        ));
        assert!(allowed(
            &headers(Some("http://[::1]:8080"), Some("[::1]:8080")),
            &none
        ));
        assert!(allowed(
            &headers(Some("http://192.168.1.20:8080"), Some("192.168.1.20:8080")),
            &none
        ));
        assert!(allowed(
            &headers(
                Some("http://play.localhost:8080"),
                Some("play.localhost:8080")
            ),
            &none
        ));
        // Named explicitly, a DNS name is the learner's choice.
        let listed = vec![normalize("http://laptop.lan:8080")];
        assert!(allowed(
            &headers(Some("http://laptop.lan:8080"), Some("laptop.lan:8080")),
            &listed
        ));
        // A rebound name is refused even without an Origin (a same-origin GET).
        assert!(!allowed(&headers(None, Some("evil.example:8081")), &none));
        assert!(allowed(&headers(None, Some("laptop.lan:8080")), &listed));
        assert!(allowed(&headers(None, Some("localhost:8081")), &none));
    }
}
