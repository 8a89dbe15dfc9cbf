//! The little JSON the registry needs: reading request bodies and
//! `_schemas` records with the order-keeping reader of
//! [`crate::avro::canonical`], and writing compact JSON with members in the
//! order Confluent's Jackson annotations give them.
//!
//! The engine carries no JSON library of its own; Confluent's shapes depend
//! on member order (`{"keytype":"SCHEMA","subject":…,"version":…,"magic":1}`),
//! so the writer below is an explicit builder rather than a serialiser.

pub(crate) use crate::avro::canonical::Json;

/// Parses a JSON document.
pub(crate) fn parse(text: &str) -> Result<Json, String> {
    crate::avro::canonical::read_json(text).map_err(|e| e.to_string())
}

impl Json {
    /// The member `key` of an object (the last one if repeated, as
    /// Jackson's data binding keeps the last).
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a JSON string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A JSON number that is a Java `int`.
    pub(crate) fn as_i32(&self) -> Option<i32> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// Writes the value as compact JSON.
    pub(crate) fn write_to(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(text) => out.push_str(text),
            Json::String(s) => quote_into(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_to(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote_into(out, key);
                    out.push(':');
                    value.write_to(out);
                }
                out.push('}');
            }
        }
    }
}

/// `s` as a JSON string literal, escaped as Jackson escapes it: `"` and `\`,
/// the short forms for backspace, form feed, newline, carriage return and
/// tab, `\u00XX` for the other control characters.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    quote_into(&mut out, s);
    out
}

/// [`quote`] appended to `out`.
pub(crate) fn quote_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An object written member by member, in the order they are added.
#[derive(Debug, Default)]
pub(crate) struct ObjectWriter {
    out: String,
}

impl ObjectWriter {
    pub(crate) fn new() -> Self {
        Self {
            out: String::from("{"),
        }
    }

    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        quote_into(&mut self.out, key);
        self.out.push(':');
    }

    /// A string member.
    pub(crate) fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        quote_into(&mut self.out, value);
        self
    }

    /// A string member, or `null`.
    pub(crate) fn string_or_null(mut self, key: &str, value: Option<&str>) -> Self {
        self.key(key);
        match value {
            Some(v) => quote_into(&mut self.out, v),
            None => self.out.push_str("null"),
        }
        self
    }

    /// A number member.
    pub(crate) fn number(mut self, key: &str, value: i64) -> Self {
        self.key(key);
        self.out.push_str(&value.to_string());
        self
    }

    /// A boolean member.
    pub(crate) fn boolean(mut self, key: &str, value: bool) -> Self {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
        self
    }

    /// A member whose value is already JSON text.
    pub(crate) fn raw(mut self, key: &str, json: &str) -> Self {
        self.key(key);
        self.out.push_str(json);
        self
    }

    /// The finished object.
    pub(crate) fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// A JSON array of already-written JSON values.
pub(crate) fn array<I: IntoIterator<Item = String>>(items: I) -> String {
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&item);
    }
    out.push(']');
    out
}
