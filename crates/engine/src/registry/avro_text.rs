//! The text the Schema Registry stores and returns for an Avro schema:
//! Java's `Schema.toString()` (Confluent's `AvroSchema.canonicalString()`),
//! which is also what decides whether two registrations are "the same
//! schema" and share one id.
//!
//! Java parses the schema and prints it back compactly: a primitive without
//! properties becomes its bare name (`{"type":"string"}` → `"string"`), a
//! named type is written in full the first time and by name afterwards, a
//! namespace is written only where it differs from the enclosing one, and
//! members come in Java's order (`type`, `name`, `namespace`, `doc`,
//! `fields`/`symbols`/`size`/`items`/`values`, the other properties in the
//! order they were given, `aliases`; a field's `name`, `type`, `doc`,
//! `default`, `order`, `aliases`, properties). Whitespace, member order and
//! redundant namespaces therefore do not make a new schema id, while a
//! changed `doc` or default does, as in Confluent. Types defined by the
//! schema's references are written by name only
//! (`Schema.toString(referencedSchemas, false)`).
//!
//! The input has been validated by `apache-avro` already; this module only
//! re-prints it, walking the order-keeping JSON.

use crate::collections::OrdSet;

use super::json::{quote_into, Json};

/// Java's `Schema.SCHEMA_RESERVED`: members that are not properties.
const SCHEMA_RESERVED: [&str; 10] = [
    "doc",
    "fields",
    "items",
    "name",
    "namespace",
    "size",
    "symbols",
    "values",
    "type",
    "aliases",
];
/// Java's `Schema.FIELD_RESERVED`.
const FIELD_RESERVED: [&str; 6] = ["default", "doc", "name", "order", "type", "aliases"];
/// The primitive type names.
const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];
/// Nesting beyond this is refused (the JSON reader stops earlier anyway).
const MAX_DEPTH: usize = 300;

/// Java's `Schema.toString()` of the schema `json`, the full names in
/// `known` (the types its references define) being written by name.
pub(crate) fn java_schema_string(json: &Json, known: &OrdSet<String>) -> Result<String, String> {
    let mut writer = Writer {
        known: known.clone(),
        out: String::new(),
    };
    writer.write(json, None, 0)?;
    Ok(writer.out)
}

/// Full names of the named types `json` defines.
pub(crate) fn defined_names(
    json: &Json,
    space: Option<&str>,
    out: &mut OrdSet<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match json {
        Json::Array(branches) => {
            for branch in branches {
                defined_names(branch, space, out, depth + 1);
            }
        }
        Json::Object(_) => {
            let kind = json.get("type");
            match kind.and_then(Json::as_str) {
                Some("record" | "error" | "enum" | "fixed") => {
                    let (full, own_space) = name_of(json, space);
                    if let Some(full) = full {
                        out.insert(full);
                    }
                    if let Some(Json::Array(fields)) = json.get("fields") {
                        for field in fields {
                            if let Some(t) = field.get("type") {
                                defined_names(t, own_space.as_deref(), out, depth + 1);
                            }
                        }
                    }
                }
                Some("array") => {
                    if let Some(items) = json.get("items") {
                        defined_names(items, space, out, depth + 1);
                    }
                }
                Some("map") => {
                    if let Some(values) = json.get("values") {
                        defined_names(values, space, out, depth + 1);
                    }
                }
                Some(_) => {}
                None => {
                    if let Some(inner) = kind {
                        defined_names(inner, space, out, depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}

/// A named type's full name and namespace, resolved as Java's `Name`
/// constructor does (a dotted name carries its namespace; an empty
/// namespace is the null namespace; no namespace inherits the enclosing).
fn name_of(json: &Json, enclosing: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(name) = json.get("name").and_then(Json::as_str) else {
        return (None, enclosing.map(str::to_owned));
    };
    let space = match name.rfind('.') {
        Some(dot) => Some(name[..dot].to_owned()),
        None => match json.get("namespace") {
            Some(Json::String(ns)) => Some(ns.clone()),
            Some(Json::Null) => None,
            _ => enclosing.map(str::to_owned),
        },
    }
    .filter(|s| !s.is_empty());
    let local = name.rsplit('.').next().unwrap_or(name);
    let full = match &space {
        Some(s) => format!("{s}.{local}"),
        None => local.to_owned(),
    };
    (Some(full), space)
}

/// Java's `Name.getQualified(defaultSpace)`.
fn qualified(full: &str, default_space: Option<&str>) -> String {
    match full.rfind('.') {
        Some(dot) if Some(&full[..dot]) == default_space => full[dot + 1..].to_owned(),
        _ => full.to_owned(),
    }
}

struct Writer {
    known: OrdSet<String>,
    out: String,
}

impl Writer {
    fn write(&mut self, json: &Json, space: Option<&str>, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("the schema nests too deeply".to_owned());
        }
        match json {
            Json::String(name) => {
                if PRIMITIVES.contains(&name.as_str()) {
                    quote_into(&mut self.out, name);
                } else {
                    let full = self.resolve(name, space);
                    quote_into(&mut self.out, &qualified(&full, space));
                }
                Ok(())
            }
            Json::Array(branches) => {
                self.out.push('[');
                for (i, branch) in branches.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.write(branch, space, depth + 1)?;
                }
                self.out.push(']');
                Ok(())
            }
            Json::Object(members) => match json.get("type") {
                Some(Json::String(kind)) => match kind.as_str() {
                    "record" | "error" | "enum" | "fixed" => self.named(json, kind, space, depth),
                    "array" | "map" => {
                        let (member, child) = if kind == "array" {
                            ("items", "items")
                        } else {
                            ("values", "values")
                        };
                        self.out.push_str("{\"type\":");
                        quote_into(&mut self.out, kind);
                        self.out.push(',');
                        quote_into(&mut self.out, member);
                        self.out.push(':');
                        let inner = json
                            .get(child)
                            .ok_or_else(|| format!("{kind} without {child}"))?;
                        self.write(inner, space, depth + 1)?;
                        self.props(members, &SCHEMA_RESERVED);
                        self.out.push('}');
                        Ok(())
                    }
                    primitive if PRIMITIVES.contains(&primitive) => {
                        let has_props = members
                            .iter()
                            .any(|(k, _)| !SCHEMA_RESERVED.contains(&k.as_str()));
                        if has_props {
                            self.out.push_str("{\"type\":");
                            quote_into(&mut self.out, primitive);
                            self.props(members, &SCHEMA_RESERVED);
                            self.out.push('}');
                        } else {
                            quote_into(&mut self.out, primitive);
                        }
                        Ok(())
                    }
                    // `{"type":"com.example.Name"}`: a reference.
                    other => {
                        let full = self.resolve(other, space);
                        quote_into(&mut self.out, &qualified(&full, space));
                        Ok(())
                    }
                },
                Some(inner @ (Json::Object(_) | Json::Array(_))) => {
                    self.write(inner, space, depth + 1)
                }
                _ => Err("a schema object without a type".to_owned()),
            },
            _ => Err("not a schema".to_owned()),
        }
    }

    /// Java's `Names.get`: the name in the enclosing namespace if that is
    /// defined, else as written.
    fn resolve(&self, name: &str, space: Option<&str>) -> String {
        if name.contains('.') {
            return name.to_owned();
        }
        if let Some(space) = space {
            let full = format!("{space}.{name}");
            if self.known.contains(&full) || !self.known.contains(name) {
                return full;
            }
        }
        name.to_owned()
    }

    fn named(
        &mut self,
        json: &Json,
        kind: &str,
        enclosing: Option<&str>,
        depth: usize,
    ) -> Result<(), String> {
        let (full, space) = name_of(json, enclosing);
        let full = full.ok_or_else(|| format!("{kind} without a name"))?;
        if self.known.contains(&full) {
            // writeNameRef: a type already written is referred to by name.
            quote_into(&mut self.out, &qualified(&full, enclosing));
            return Ok(());
        }
        self.known.insert(full.clone());
        let Json::Object(members) = json else {
            return Err("not an object".to_owned());
        };
        self.out.push_str("{\"type\":");
        quote_into(&mut self.out, kind);
        self.out.push_str(",\"name\":");
        quote_into(&mut self.out, full.rsplit('.').next().unwrap_or(&full));
        match (&space, enclosing) {
            (Some(s), e) if Some(s.as_str()) != e => {
                self.out.push_str(",\"namespace\":");
                quote_into(&mut self.out, s);
            }
            (None, Some(_)) => self.out.push_str(",\"namespace\":\"\""),
            _ => {}
        }
        if let Some(doc) = json.get("doc").and_then(Json::as_str) {
            self.out.push_str(",\"doc\":");
            quote_into(&mut self.out, doc);
        }
        let mut reserved: Vec<&str> = SCHEMA_RESERVED.to_vec();
        match kind {
            "enum" => {
                self.out.push_str(",\"symbols\":");
                json.get("symbols")
                    .unwrap_or(&Json::Array(vec![]))
                    .write_to(&mut self.out);
                if let Some(default) = json.get("default").and_then(Json::as_str) {
                    self.out.push_str(",\"default\":");
                    quote_into(&mut self.out, default);
                }
                reserved.push("default");
            }
            "fixed" => {
                self.out.push_str(",\"size\":");
                json.get("size")
                    .unwrap_or(&Json::Number("0".to_owned()))
                    .write_to(&mut self.out);
            }
            _ => {
                self.out.push_str(",\"fields\":[");
                if let Some(Json::Array(fields)) = json.get("fields") {
                    for (i, field) in fields.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        self.field(field, space.as_deref(), depth)?;
                    }
                }
                self.out.push(']');
            }
        }
        self.props(members, &reserved);
        if let Some(Json::Array(aliases)) = json.get("aliases") {
            if !aliases.is_empty() {
                self.out.push_str(",\"aliases\":[");
                for (i, alias) in aliases.iter().filter_map(Json::as_str).enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    let alias_full = match (&space, alias.contains('.')) {
                        (Some(s), false) => format!("{s}.{alias}"),
                        _ => alias.to_owned(),
                    };
                    quote_into(&mut self.out, &qualified(&alias_full, space.as_deref()));
                }
                self.out.push(']');
            }
        }
        self.out.push('}');
        Ok(())
    }

    fn field(&mut self, field: &Json, space: Option<&str>, depth: usize) -> Result<(), String> {
        let Json::Object(members) = field else {
            return Err("a field that is not an object".to_owned());
        };
        self.out.push_str("{\"name\":");
        quote_into(
            &mut self.out,
            field.get("name").and_then(Json::as_str).unwrap_or_default(),
        );
        self.out.push_str(",\"type\":");
        let kind = field.get("type").ok_or("a field without a type")?;
        self.write(kind, space, depth + 1)?;
        if let Some(doc) = field.get("doc").and_then(Json::as_str) {
            self.out.push_str(",\"doc\":");
            quote_into(&mut self.out, doc);
        }
        if let Some(default) = field.get("default") {
            self.out.push_str(",\"default\":");
            default.write_to(&mut self.out);
        }
        if let Some(order) = field.get("order").and_then(Json::as_str) {
            let order = order.to_ascii_lowercase();
            if order != "ascending" {
                self.out.push_str(",\"order\":");
                quote_into(&mut self.out, &order);
            }
        }
        if let Some(Json::Array(aliases)) = field.get("aliases") {
            if !aliases.is_empty() {
                self.out.push_str(",\"aliases\":");
                Json::Array(aliases.clone()).write_to(&mut self.out);
            }
        }
        self.props(members, &FIELD_RESERVED);
        self.out.push('}');
        Ok(())
    }

    /// `writeProps`: every non-reserved member, in the order given.
    fn props(&mut self, members: &[(String, Json)], reserved: &[&str]) {
        for (key, value) in members {
            if !reserved.contains(&key.as_str()) {
                self.out.push(',');
                quote_into(&mut self.out, key);
                self.out.push(':');
                value.write_to(&mut self.out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::json::parse;

    fn java(text: &str) -> String {
        java_schema_string(&parse(text).unwrap(), &OrdSet::new()).unwrap()
    }

    #[test]
    fn primitives_lose_their_object_form_unless_they_carry_properties() {
        assert_eq!(java(r#"{"type": "string"}"#), r#""string""#);
        assert_eq!(java(r#" "long" "#), r#""long""#);
        assert_eq!(
            java(r#"{"type":"int","logicalType":"date"}"#),
            r#"{"type":"int","logicalType":"date"}"#
        );
        assert_eq!(
            java(r#"["null", {"type":"string"}]"#),
            r#"["null","string"]"#
        );
    }

    #[test]
    fn records_are_printed_in_javas_member_order() {
        let text = r#"{"fields":[{"default":0,"type":"int","name":"a","doc":"A"},
            {"name":"b","type":{"type":"array","items":"string"},"order":"descending"}],
            "namespace":"com.acme","name":"User","doc":"d","type":"record","aliases":["Person"],"x":1}"#;
        assert_eq!(
            java(text),
            r#"{"type":"record","name":"User","namespace":"com.acme","doc":"d","fields":[{"name":"a","type":"int","doc":"A","default":0},{"name":"b","type":{"type":"array","items":"string"},"order":"descending"}],"x":1,"aliases":["Person"]}"#
        );
    }

    #[test]
    fn names_are_written_once_and_namespaces_only_where_they_change() {
        let text = r#"{"type":"record","name":"a.b.Outer","fields":[
            {"name":"x","type":{"type":"enum","name":"Color","namespace":"a.b","symbols":["RED"]}},
            {"name":"y","type":"a.b.Color"},
            {"name":"z","type":{"type":"fixed","name":"other.Hash","size":4}},
            {"name":"w","type":{"type":"record","name":"Plain","namespace":"","fields":[]}}]}"#;
        assert_eq!(
            java(text),
            r#"{"type":"record","name":"Outer","namespace":"a.b","fields":[{"name":"x","type":{"type":"enum","name":"Color","symbols":["RED"]}},{"name":"y","type":"Color"},{"name":"z","type":{"type":"fixed","name":"Hash","namespace":"other","size":4}},{"name":"w","type":{"type":"record","name":"Plain","namespace":"","fields":[]}}]}"#
        );
    }

    #[test]
    fn referenced_types_are_written_by_name() {
        let known: OrdSet<String> = ["com.acme.Address".to_owned()].into();
        let json = parse(r#"{"type":"record","name":"com.acme.User","fields":[{"name":"home","type":"com.acme.Address"}]}"#).unwrap();
        assert_eq!(
            java_schema_string(&json, &known).unwrap(),
            r#"{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"home","type":"Address"}]}"#
        );
    }
}
