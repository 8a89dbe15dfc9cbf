//! Scenario links: a local scenario compressed into the page's URL
//! fragment (`#/cluster?scenario=…`), so a learner or teacher can send the
//! state they built as one link.
//!
//! The text is the engine's own scenario file, compressed with the
//! browser's `CompressionStream("deflate-raw")` (no codec in the wasm) and
//! written as unpadded base64url, which survives chat apps and e-mail. A
//! link is only made while it stays under [`MAX_LINK_CHARS`]; a larger
//! scenario is saved as a file. Opening a link undoes both steps with
//! limits (at most [`MAX_LINK_CHARS`] in, at most
//! [`MAX_SCENARIO_BYTES`] out) and hands the text to the engine, which
//! refuses anything malformed with a reason and keeps its state.

use wasm_bindgen::{closure::Closure, prelude::wasm_bindgen, JsCast, JsValue};

// The Compression Streams API (web-sys has it only behind its unstable
// flag): the two codecs share the readable / writable pair.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = CompressionStream)]
    type Compressor;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<Compressor, JsValue>;
    #[wasm_bindgen(method, getter, js_class = "CompressionStream")]
    fn readable(this: &Compressor) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter, js_class = "CompressionStream")]
    fn writable(this: &Compressor) -> web_sys::WritableStream;

    #[wasm_bindgen(js_name = DecompressionStream)]
    type Decompressor;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Decompressor, JsValue>;
    #[wasm_bindgen(method, getter, js_class = "DecompressionStream")]
    fn readable(this: &Decompressor) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter, js_class = "DecompressionStream")]
    fn writable(this: &Decompressor) -> web_sys::WritableStream;
}

/// The longest link the page makes or opens: what chat apps, mail clients
/// and browsers' address bars carry without cutting.
pub const MAX_LINK_CHARS: usize = 32_000;

/// The most text a link may expand to: a scenario file's own limit.
pub const MAX_SCENARIO_BYTES: usize = 700_000;

/// The fragment parameter that carries a scenario.
pub const PARAMETER: &str = "scenario=";

/// A callback given the outcome: the text, or a sentence saying why not.
type Done = Box<dyn FnOnce(Result<String, String>)>;

/// The fragment `hash` with `encoded` as its scenario (the view's slug is
/// kept, other parameters dropped).
#[must_use]
pub fn fragment_with(hash: &str, encoded: &str) -> String {
    format!("{}?{PARAMETER}{encoded}", view_part(hash))
}

/// The fragment without its parameters (`#/cluster?scenario=…` →
/// `#/cluster`).
#[must_use]
pub fn view_part(hash: &str) -> &str {
    hash.split('?').next().unwrap_or_default()
}

/// The scenario parameter of a fragment, if it has one.
#[must_use]
pub fn scenario_in(hash: &str) -> Option<&str> {
    let (_, query) = hash.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(PARAMETER))
}

/// Compresses `text` into a link parameter; `done` gets it, or why not.
pub fn encode(text: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = match web_sys::Blob::new_with_str_sequence(&parts) {
        Ok(blob) => blob,
        Err(_) => return done(Err("the browser would not read the scenario".into())),
    };
    let stream = match Compressor::new("deflate-raw") {
        Ok(codec) => blob
            .stream()
            .pipe_through(&web_sys::ReadableWritablePair::new(
                &codec.readable(),
                &codec.writable(),
            )),
        Err(_) => {
            return done(Err(
                "this browser cannot compress (CompressionStream)".into()
            ))
        }
    };
    let finish: Done = Box::new(move |result| {
        done(result.and_then(|binary| {
            let encoded = base64url(&binary);
            if encoded.len() > MAX_LINK_CHARS {
                Err(format!(
                    "the scenario is too large for a link ({} characters, at most {MAX_LINK_CHARS}): save it as a file instead",
                    encoded.len()
                ))
            } else {
                Ok(encoded)
            }
        }));
    });
    read_stream(&stream, true, finish);
}

/// Expands a link parameter back into scenario text; `done` gets it, or
/// why it is not a scenario link.
pub fn decode(encoded: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    if encoded.len() > MAX_LINK_CHARS {
        return done(Err(format!(
            "the link's scenario is {} characters long, at most {MAX_LINK_CHARS}",
            encoded.len()
        )));
    }
    let bytes = match unbase64url(encoded) {
        Ok(bytes) => bytes,
        Err(e) => return done(Err(e)),
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let blob = match web_sys::Blob::new_with_u8_array_sequence(&parts) {
        Ok(blob) => blob,
        Err(_) => return done(Err("the browser would not read the link".into())),
    };
    let stream = match Decompressor::new("deflate-raw") {
        Ok(codec) => blob
            .stream()
            .pipe_through(&web_sys::ReadableWritablePair::new(
                &codec.readable(),
                &codec.writable(),
            )),
        Err(_) => {
            return done(Err(
                "this browser cannot decompress (DecompressionStream)".into()
            ))
        }
    };
    let finish: Done = Box::new(move |result| {
        done(result.and_then(|text| {
            if text.len() > MAX_SCENARIO_BYTES {
                Err(format!(
                    "the link expands to {} KB, more than a scenario may hold ({} KB)",
                    text.len() / 1_000,
                    MAX_SCENARIO_BYTES / 1_000
                ))
            } else {
                Ok(text)
            }
        }));
    });
    read_stream(&stream, false, finish);
}

/// Reads a whole stream through `Response`: as a binary string (one char
/// per byte) when `binary`, else as UTF-8 text.
fn read_stream(stream: &web_sys::ReadableStream, binary: bool, done: Done) {
    let response = match web_sys::Response::new_with_opt_readable_stream(Some(stream)) {
        Ok(response) => response,
        Err(_) => return done(Err("the browser would not read the stream".into())),
    };
    let promise = if binary {
        response.array_buffer()
    } else {
        response.text()
    };
    let Ok(promise) = promise else {
        return done(Err("the browser would not read the stream".into()));
    };
    // One of the two callbacks runs; both own the one `done`.
    let slot = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let on_ok = {
        let slot = slot.clone();
        Closure::once(move |value: JsValue| {
            let Some(done) = slot.borrow_mut().take() else {
                return;
            };
            let result = if binary {
                value
                    .dyn_into::<js_sys::ArrayBuffer>()
                    .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
                    .map(|bytes| bytes.into_iter().map(char::from).collect::<String>())
                    .map_err(|_| "the stream gave no bytes".to_owned())
            } else {
                value
                    .as_string()
                    .ok_or_else(|| "the stream gave no text".to_owned())
            };
            done(result);
        })
    };
    let on_err = Closure::once(move |_: JsValue| {
        if let Some(done) = slot.borrow_mut().take() {
            done(Err(
                "it is not a compressed scenario (the data is damaged or cut short)".into(),
            ));
        }
    });
    let _ = promise.then2(&on_ok, &on_err);
    on_ok.forget();
    on_err.forget();
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5) of a binary string's bytes (each char
/// is one byte, 0..=255).
#[must_use]
pub fn base64url(binary: &str) -> String {
    let bytes: Vec<u8> = binary.chars().map(|c| c as u8).collect();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The bytes of unpadded (or padded) base64url text.
///
/// # Errors
///
/// A sentence naming the first character that does not belong.
pub fn unbase64url(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut n = 0u32;
    let mut bits = 0;
    for (at, c) in text.char_indices() {
        let value = ALPHABET
            .iter()
            .position(|&a| char::from(a) == c)
            .ok_or_else(|| {
                format!(
                    "the link holds {c:?} at character {}, which base64url does not use",
                    at + 1
                )
            })?;
        n = n << 6 | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((n >> bits & 0xff) as u8);
        }
    }
    if text.len() % 4 == 1 {
        return Err("the link's scenario is cut short".into());
    }
    Ok(out)
}
