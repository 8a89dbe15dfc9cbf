//! What the engine's REST services share: the HTTP answer they return
//! ([`RestResponse`], served as-is by the native backend and shown by the
//! browser's `curl` console) and the JAX-RS-style reading of a path and
//! query that both the Schema Registry and Kafka Connect need.

/// An HTTP answer: status and JSON body (empty for 202/204 answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestResponse {
    /// HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
}

impl RestResponse {
    /// `200 OK` with `body`.
    #[must_use]
    pub fn ok(body: String) -> Self {
        Self { status: 200, body }
    }

    /// Any status with `body`.
    #[must_use]
    pub fn new(status: u16, body: String) -> Self {
        Self { status, body }
    }
}

/// A path split into percent-decoded segments and its query into
/// decoded `(name, value)` pairs: how the registry and Connect read a
/// request's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathAndQuery {
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
}

impl PathAndQuery {
    /// Splits `/a/b%20c?x=1&y` (empty segments dropped).
    pub(crate) fn parse(path_and_query: &str) -> Self {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        Self {
            segments: path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| percent_decode(s, false))
                .collect(),
            query: query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (percent_decode(k, true), percent_decode(v, true))
                })
                .collect(),
        }
    }

    /// The first value of a query parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated query parameter (`?expand=a&expand=b`).
    #[cfg_attr(not(feature = "connect"), allow(dead_code))]
    pub(crate) fn params<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.query
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `%XX` decoding of a path segment or query part (`+` is a space in a
/// query, as in forms).
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
