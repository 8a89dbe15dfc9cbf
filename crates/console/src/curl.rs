//! `curl` against the Schema Registry (`:8081`) and Kafka Connect
//! (`:8083`): the HTTP calls the course makes, sent as the port's
//! [`Command::Registry`] and [`Command::Connect`] and answered by the same
//! REST services real clients use in live mode.

use port::{Command, CommandError, Reply};

use crate::{err, out_line, Effect, Endpoints, Started};

/// Which REST service a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Registry,
    Connect,
}

/// Starts `curl` with `words`.
pub(crate) fn start(words: &[String], endpoints: &Endpoints, _id: u64) -> Started {
    let mut method: Option<String> = None;
    let mut body: Option<String> = None;
    let mut url: Option<String> = None;
    let mut include = false;
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        let missing = |name: &str| {
            Started::Done(
                vec![
                    err(format!("curl: option {name}: requires parameter")),
                    err("curl: try 'curl --help' or 'curl --manual' for more information"),
                ],
                2,
            )
        };
        let mut value = || rest.next().cloned().ok_or(());
        let taken = match word.as_str() {
            "-X" | "--request" => value().map(|v| method = Some(v)),
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--json" => {
                value().map(|v| {
                    body = Some(match body.take() {
                        // Several -d are joined with '&', as curl does.
                        Some(earlier) => format!("{earlier}&{v}"),
                        None => v,
                    });
                })
            }
            "-H" | "--header" | "-u" | "--user" | "-o" | "--output" => value().map(|_| ()),
            "-i" | "--include" => {
                include = true;
                Ok(())
            }
            "-s" | "--silent" | "-S" | "--show-error" | "-f" | "--fail" | "-L" | "--location"
            | "-v" | "--verbose" | "-k" | "--insecure" | "-sS" | "-fsS" | "-fs" => Ok(()),
            "--help" | "-h" => {
                return Started::Done(
                    vec![
                        out_line("Usage: curl [options...] <url>"),
                        out_line(" -d, --data <data>          HTTP POST data"),
                        out_line(" -H, --header <header/@file> Pass custom header(s) to server"),
                        out_line(" -i, --include              Include protocol response headers in the output"),
                        out_line(" -s, --silent               Silent mode"),
                        out_line(" -X, --request <method>     Specify request method to use"),
                        out_line("This console's curl reaches the Schema Registry (:8081) and Kafka Connect (:8083)."),
                    ],
                    0,
                )
            }
            other if other.starts_with('-') && other.len() > 1 => {
                return Started::Done(
                    vec![
                        err(format!("curl: option {other}: is unknown")),
                        err("curl: try 'curl --help' or 'curl --manual' for more information"),
                    ],
                    2,
                )
            }
            other => {
                url = Some(other.to_owned());
                Ok(())
            }
        };
        if taken.is_err() {
            return missing(word);
        }
    }
    let Some(url) = url else {
        return Started::Done(
            vec![
                err("curl: no URL specified"),
                err("curl: try 'curl --help' or 'curl --manual' for more information"),
            ],
            2,
        );
    };
    let Some((service, path)) = route(&url, endpoints) else {
        let (host, port) = host_port(&url);
        return Started::Done(
            vec![err(format!(
                "curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
            ))],
            7,
        );
    };
    let method = method.unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_owned());
    let body = body.unwrap_or_default();
    let command = match service {
        Service::Registry => Command::Registry { method, path, body },
        Service::Connect => Command::Connect { method, path, body },
    };
    Started::Curl(command, include)
}

/// The service and path (with its query) a URL names, if it is one of
/// this playground's.
fn route(url: &str, endpoints: &Endpoints) -> Option<(Service, String)> {
    let (host, port) = host_port(url);
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("/".to_owned(), |at| after_scheme[at..].to_owned());
    let local = matches!(
        host.as_str(),
        "localhost" | "127.0.0.1" | "schema-registry" | "connect"
    );
    let named = |base: &str| {
        let (h, p) = host_port(base);
        h == host && p == port
    };
    if named(&endpoints.schema_registry) || (local && port == 8081) {
        Some((Service::Registry, path))
    } else if named(&endpoints.connect) || (local && port == 8083) {
        Some((Service::Connect, path))
    } else {
        None
    }
}

/// A URL's host and port (80 by default, 443 for https).
fn host_port(url: &str) -> (String, u16) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    match authority.rsplit_once(':') {
        Some((host, port)) => (host.to_owned(), port.parse().unwrap_or(0)),
        None => (
            authority.to_owned(),
            if scheme == "https" { 443 } else { 80 },
        ),
    }
}

/// The answer, as curl prints it (with `-i`, the status line and content
/// type first).
pub(crate) fn finish(include: bool, result: Result<Reply, CommandError>) -> Vec<Effect> {
    match result {
        Ok(Reply::Rest { status, body }) => {
            let mut lines = Vec::new();
            if include {
                lines.push(out_line(format!("HTTP/1.1 {status} {}", reason(status))));
                lines.push(out_line("Content-Type: application/json"));
                lines.push(out_line(""));
            }
            lines.extend(body.lines().map(|l| out_line(l.to_owned())));
            lines
        }
        Ok(other) => vec![err(format!("curl: unexpected answer: {other:?}"))],
        Err(e) => vec![err(format!("curl: (7) {}", e.message))],
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        _ => "",
    }
}
