//! The Kafka wire protocol listener: real clients (librdkafka, kcat,
//! kafka-python, the Java client) talk to the engine through it.
//!
//! **Framing.** Every request is a 4-byte big-endian size and that many
//! bytes: a request header (v1, or v2 with tagged fields for flexible
//! versions, as `ApiKey::request_header_version` says) and the body,
//! decoded with the `kafka-protocol` crate. Responses go back in the same
//! framing, one at a time and in order: like a Kafka broker, a connection's
//! next request is read only once the previous one is answered, so one
//! connection never holds more than one request (at most
//! `socket.request.max.bytes`, 104857600, read as it arrives, never
//! allocated from the size field) and one response (Fetch is capped at the
//! broker's `fetch.max.bytes`, 57671680).
//!
//! **Bad input.** A negative or oversized frame, an unknown API key, a
//! version outside what [`versions`] advertises, or bytes that do not
//! decode close that connection with a log line; the other connections
//! are served on. ApiVersions with a version this broker does not know is
//! answered as Kafka does: a v0 response with `UNSUPPORTED_VERSION` and
//! the supported ranges, so the client can retry with one it has.
//!
//! **Advertised listeners.** Each broker of the engine's cluster has its
//! own port (broker 1 on `--kafka-port`, 9092, broker 2 on the next port,
//! and so on), because librdkafka keys brokers by host and port and would
//! merge brokers sharing one. Metadata and FindCoordinator name each broker
//! at the host the client connected to (the connection's local address)
//! and that broker's port. Any listener serves any partition: the engine
//! has one process behind all its brokers.
//!
//! **Stopped brokers.** A broker stopped in the engine (from the UI, the
//! feed's `stop_broker`) stops serving like a real one that went down: its
//! port resets new connections at once and its open connections are closed
//! before their next request, so clients see it disconnect, refresh their
//! metadata and move to the new leaders. Starting it again serves again.

pub mod handlers;
pub mod versions;

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use kafka_protocol::messages::{ApiKey, RequestHeader, RequestKind, ResponseHeader, ResponseKind};
use kafka_protocol::protocol::{Decodable, Encodable};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::hub::Hub;

/// Kafka's `socket.request.max.bytes` default: the largest request frame.
pub const SOCKET_REQUEST_MAX_BYTES: usize =
    engine::broker_config::SOCKET_REQUEST_MAX_BYTES as usize;

/// Why a connection is closed.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The size field is negative or above `socket.request.max.bytes`.
    #[error("frame size {0} is outside 0..={SOCKET_REQUEST_MAX_BYTES} (socket.request.max.bytes)")]
    BadSize(i64),
    /// Shorter than a request header's fixed part.
    #[error("frame of {0} bytes is too short for a request header")]
    TooShort(usize),
    /// An API key Kafka does not define.
    #[error("unknown API key {0}")]
    UnknownApiKey(i16),
    /// An API this broker does not implement, or a version outside its range.
    #[error("{api:?} v{version} is not supported by this broker")]
    UnsupportedVersion {
        /// The API.
        api: ApiKey,
        /// The version asked for.
        version: i16,
    },
    /// The header or body does not decode.
    #[error("{api:?} v{version} does not decode: {message}")]
    Malformed {
        /// The API.
        api: ApiKey,
        /// The version.
        version: i16,
        /// The decoder's complaint.
        message: String,
    },
    /// The response could not be encoded (a bug, or a value the version
    /// cannot carry).
    #[error("{api:?} v{version} response does not encode: {message}")]
    Encode {
        /// The API.
        api: ApiKey,
        /// The version.
        version: i16,
        /// The encoder's complaint.
        message: String,
    },
}

/// Where a request came in: what Metadata advertises.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionInfo {
    /// The address the client connected to.
    pub local: SocketAddr,
    /// The client's address.
    pub peer: SocketAddr,
}

/// Accepts connections for broker `broker` until the task is dropped.
pub async fn serve(hub: Arc<Hub>, listener: TcpListener, broker: i32) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                if !hub.broker_online(broker) {
                    // A zero linger makes the close a reset, the nearest a
                    // bound port gets to "connection refused".
                    let _ = stream.set_zero_linger();
                    drop(stream);
                    continue;
                }
                let hub = Arc::clone(&hub);
                tokio::spawn(async move {
                    match serve_connection(hub, stream, peer, broker).await {
                        Ok(()) => {}
                        // The client went away mid-answer: nothing to report.
                        Err(ConnectionError::Io(err))
                            if matches!(
                                err.kind(),
                                std::io::ErrorKind::BrokenPipe
                                    | std::io::ErrorKind::ConnectionReset
                            ) => {}
                        Err(err) => eprintln!("[kafka] closing connection from {peer}: {err}"),
                    }
                });
            }
            Err(err) => {
                eprintln!("[kafka] accept failed: {err}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

/// What ends a connection: I/O or a bad frame.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    /// The socket failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The client sent something this broker will not serve.
    #[error("{0}")]
    Frame(#[from] FrameError),
    /// The broker was stopped in the engine.
    #[error("broker {0} was stopped")]
    BrokerStopped(i32),
}

async fn serve_connection(
    hub: Arc<Hub>,
    mut stream: TcpStream,
    peer: SocketAddr,
    broker: i32,
) -> Result<(), ConnectionError> {
    stream.set_nodelay(true)?;
    let info = ConnectionInfo {
        local: stream.local_addr()?,
        peer,
    };
    let mut frame = BytesMut::new();
    loop {
        let size = match stream.read_i32().await {
            Ok(size) => size,
            Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(err) => return Err(err.into()),
        };
        let size = usize::try_from(size)
            .ok()
            .filter(|s| *s <= SOCKET_REQUEST_MAX_BYTES)
            .ok_or(FrameError::BadSize(i64::from(size)))?;
        frame.clear();
        read_exact_growing(&mut stream, &mut frame, size).await?;
        if !hub.broker_online(broker) {
            return Err(ConnectionError::BrokerStopped(broker));
        }
        if let Some(response) = handle_frame(&hub, info, frame.split().freeze()).await? {
            stream.write_all(&response).await?;
        }
    }
}

/// Reads `size` bytes, growing the buffer only as bytes arrive (a client
/// that announces 100 MB and sends nothing costs nothing).
async fn read_exact_growing(
    stream: &mut TcpStream,
    buf: &mut BytesMut,
    size: usize,
) -> std::io::Result<()> {
    const CHUNK: usize = 64 * 1024;
    while buf.len() < size {
        let want = (size - buf.len()).min(CHUNK);
        buf.reserve(want);
        let read = (&mut *stream).take(want as u64).read_buf(buf).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
    }
    Ok(())
}

/// A request frame decoded: the header, the body, and which API and
/// version they are.
// Built once per frame and taken apart at once: the small variant's unused
// bytes cost nothing, a box would cost an allocation per request.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum DecodedFrame {
    /// A request this broker serves.
    Request {
        /// The API.
        api: ApiKey,
        /// Its version, inside what [`versions`] advertises.
        version: i16,
        /// The request header.
        header: RequestHeader,
        /// The request body.
        request: RequestKind,
    },
    /// ApiVersions at a version this broker does not know: answered with
    /// v0 and `UNSUPPORTED_VERSION` (Kafka's way), not refused.
    ApiVersionsUnsupported {
        /// The correlation id to echo.
        correlation_id: i32,
    },
}

/// Decodes one request frame (without its size prefix) and nothing more:
/// no engine, no I/O. Every byte is untrusted; every failure is a
/// [`FrameError`] (the fuzz target `request_decoder` drives this).
///
/// # Errors
///
/// Short frames, unknown API keys, unsupported versions and bytes that
/// do not decode.
pub fn decode_request(mut frame: Bytes) -> Result<DecodedFrame, FrameError> {
    if frame.len() < 8 {
        return Err(FrameError::TooShort(frame.len()));
    }
    let key = i16::from_be_bytes([frame[0], frame[1]]);
    let version = i16::from_be_bytes([frame[2], frame[3]]);
    let api = ApiKey::try_from(key).map_err(|()| FrameError::UnknownApiKey(key))?;
    let supported = versions::supported(api);
    let in_range = supported.is_some_and(|(min, max)| (min..=max).contains(&version));
    if !in_range {
        if api == ApiKey::ApiVersions {
            let correlation_id = i32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]);
            return Ok(DecodedFrame::ApiVersionsUnsupported { correlation_id });
        }
        return Err(FrameError::UnsupportedVersion { api, version });
    }
    let malformed = |e: anyhow::Error| FrameError::Malformed {
        api,
        version,
        message: e.to_string(),
    };
    let header = RequestHeader::decode(&mut frame, api.request_header_version(version))
        .map_err(malformed)?;
    let request = RequestKind::decode(api, &mut frame, version).map_err(malformed)?;
    Ok(DecodedFrame::Request {
        api,
        version,
        header,
        request,
    })
}

/// Handles one request frame (without its size prefix): the framed
/// response, or `None` when none is due (`acks=0`).
///
/// # Errors
///
/// What [`decode_request`] refuses, and responses that do not encode.
pub async fn handle_frame(
    hub: &Arc<Hub>,
    info: ConnectionInfo,
    frame: Bytes,
) -> Result<Option<Bytes>, FrameError> {
    let (api, version, header, request) = match decode_request(frame)? {
        DecodedFrame::Request {
            api,
            version,
            header,
            request,
        } => (api, version, header, request),
        DecodedFrame::ApiVersionsUnsupported { correlation_id } => {
            let response = handlers::api_versions_unsupported();
            return encode_response(ApiKey::ApiVersions, 0, correlation_id, &response).map(Some);
        }
    };
    let correlation_id = header.correlation_id;
    let client_id = header
        .client_id
        .as_ref()
        .map_or("", |c| c.as_str())
        .to_owned();
    let Some(response) = handlers::handle(hub, info, &client_id, version, request).await else {
        return Ok(None);
    };
    encode_response(api, version, correlation_id, &response).map(Some)
}

fn encode_response(
    api: ApiKey,
    version: i16,
    correlation_id: i32,
    response: &ResponseKind,
) -> Result<Bytes, FrameError> {
    let fail = |e: anyhow::Error| FrameError::Encode {
        api,
        version,
        message: e.to_string(),
    };
    let mut out = BytesMut::with_capacity(64);
    out.put_i32(0);
    let header = ResponseHeader::default().with_correlation_id(correlation_id);
    header
        .encode(&mut out, api.response_header_version(version))
        .map_err(fail)?;
    response.encode(&mut out, version).map_err(fail)?;
    let size =
        i32::try_from(out.len() - 4).map_err(|_| fail(anyhow::anyhow!("response over 2 GiB")))?;
    out[..4].copy_from_slice(&size.to_be_bytes());
    Ok(out.freeze())
}
