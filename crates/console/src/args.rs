//! A command line split into words as a POSIX shell splits it (quotes,
//! backslashes) and options parsed as Kafka's tools parse them (joptsimple:
//! `--name value` or `--name=value`, a unique prefix of a name stands for
//! it, and joptsimple's own messages when something is wrong).

use std::fmt;

/// Why a line could not be split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A quote was opened and never closed.
    UnclosedQuote(char),
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::UnclosedQuote(q) => {
                write!(f, "unexpected EOF while looking for matching `{q}'")
            }
        }
    }
}

/// Splits `line` into words: blanks separate words; `'…'` keeps everything
/// as it is; `"…"` keeps everything but `\"`, `\\` and `\$`; a backslash
/// outside quotes keeps the next character.
///
/// # Errors
///
/// An unclosed quote.
pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(SplitError::UnclosedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(SplitError::UnclosedQuote('"')),
                        },
                        Some(c) => word.push(c),
                        None => return Err(SplitError::UnclosedQuote('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// One option a tool accepts.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    /// Its name, without the dashes.
    pub name: &'static str,
    /// What its argument is, if it takes one (e.g. `String: topic`).
    pub argument: Option<&'static str>,
    /// The description the tool's `--help` prints.
    pub description: &'static str,
}

/// Options as parsed: each given option with its arguments, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    given: Vec<(&'static str, Option<String>)>,
    /// Words that are not options.
    pub positional: Vec<String>,
}

impl Parsed {
    /// Whether the option was given.
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.given.iter().any(|(n, _)| *n == name)
    }

    /// The option's last argument.
    #[must_use]
    pub fn value(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every argument the option was given, in order.
    #[must_use]
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.given
            .iter()
            .filter(|(n, _)| *n == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }
}

/// Why options could not be parsed, in joptsimple's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionError {
    /// `zookeeper is not a recognized option`.
    Unrecognized(String),
    /// `Option topic requires an argument`.
    MissingArgument(&'static str),
    /// A prefix that more than one option starts with.
    Ambiguous(String),
}

impl OptionError {
    /// The joptsimple exception it is thrown as.
    #[must_use]
    pub fn exception(&self) -> &'static str {
        match self {
            OptionError::Unrecognized(_) => "joptsimple.UnrecognizedOptionException",
            OptionError::MissingArgument(_) => "joptsimple.OptionMissingRequiredArgumentException",
            OptionError::Ambiguous(_) => "joptsimple.UnrecognizedOptionException",
        }
    }
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionError::Unrecognized(name) => write!(f, "{name} is not a recognized option"),
            OptionError::MissingArgument(name) => write!(f, "Option {name} requires an argument"),
            OptionError::Ambiguous(name) => write!(f, "Option {name} is ambiguous"),
        }
    }
}

/// Parses `words` (the tool's name excluded) against `spec`.
///
/// # Errors
///
/// An unknown or ambiguous option, or one without its argument.
pub fn parse(words: &[String], spec: &[OptionSpec]) -> Result<Parsed, OptionError> {
    let mut parsed = Parsed::default();
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        let Some(option) = word.strip_prefix("--").or_else(|| {
            word.strip_prefix('-')
                .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
        }) else {
            parsed.positional.push(word.clone());
            continue;
        };
        let (name, inline) = match option.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (option, None),
        };
        let found = lookup(name, spec)?;
        let value = match (found.argument, inline) {
            (None, _) => None,
            (Some(_), Some(value)) => Some(value),
            (Some(_), None) => Some(
                rest.next()
                    .cloned()
                    .ok_or(OptionError::MissingArgument(found.name))?,
            ),
        };
        parsed.given.push((found.name, value));
    }
    Ok(parsed)
}

/// The option `name` names: exactly, or as the one option it is a prefix of.
fn lookup<'a>(name: &str, spec: &'a [OptionSpec]) -> Result<&'a OptionSpec, OptionError> {
    if let Some(exact) = spec.iter().find(|o| o.name == name) {
        return Ok(exact);
    }
    let mut matching = spec
        .iter()
        .filter(|o| !name.is_empty() && o.name.starts_with(name));
    match (matching.next(), matching.next()) {
        (Some(one), None) => Ok(one),
        (Some(_), Some(_)) => Err(OptionError::Ambiguous(name.to_owned())),
        _ => Err(OptionError::Unrecognized(name.to_owned())),
    }
}

/// The option table joptsimple prints for `--help`: `Option` and
/// `Description` columns, an argument in angle brackets after its option,
/// descriptions wrapped at 80 columns.
#[must_use]
pub fn usage_table(spec: &[OptionSpec]) -> Vec<String> {
    let mut rows: Vec<(String, &str)> = spec
        .iter()
        .map(|o| {
            let left = match o.argument {
                Some(arg) => format!("--{} <{arg}>", o.name),
                None => format!("--{}", o.name),
            };
            (left, o.description)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let width = rows
        .iter()
        .map(|(left, _)| left.len())
        .max()
        .unwrap_or(6)
        .clamp(6, 39);
    let mut lines = vec![
        format!("{:<width$}  Description", "Option"),
        format!("{:<width$}  -----------", "------"),
    ];
    for (left, description) in rows {
        let wrapped = wrap(description, 78usize.saturating_sub(width).max(30));
        let mut first = true;
        if left.len() > width {
            lines.push(left.clone());
            first = false;
        }
        for part in wrapped {
            if first {
                lines.push(format!("{left:<width$}  {part}"));
                first = false;
            } else {
                lines.push(format!("{:<width$}    {part}", ""));
            }
        }
        if first {
            lines.push(left);
        }
    }
    lines
}

/// Words of `text` in lines of at most `width` characters (a longer word
/// gets a line of its own); newlines in `text` are kept.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[OptionSpec] = &[
        OptionSpec {
            name: "bootstrap-server",
            argument: Some("String: server to connect to"),
            description: "REQUIRED: The Kafka server to connect to.",
        },
        OptionSpec {
            name: "topic",
            argument: Some("String: topic"),
            description: "The topic.",
        },
        OptionSpec {
            name: "topic-id",
            argument: Some("String: topic-id"),
            description: "The topic id.",
        },
        OptionSpec {
            name: "create",
            argument: None,
            description: "Create a new topic.",
        },
    ];

    fn words(line: &str) -> Vec<String> {
        split(line).unwrap_or_default()
    }

    #[test]
    fn a_line_splits_as_a_shell_splits_it() {
        assert_eq!(
            words(r#"curl -d '{"a": "b c"}' "x\"y" z\ w"#),
            ["curl", "-d", r#"{"a": "b c"}"#, "x\"y", "z w"]
        );
        assert_eq!(words("  a   b  "), ["a", "b"]);
        assert_eq!(words("''"), [""]);
        assert_eq!(split("echo 'x"), Err(SplitError::UnclosedQuote('\'')));
    }

    #[test]
    fn options_parse_as_joptsimple_parses_them() {
        let parsed = parse(
            &words("--create --topic=orders --bootstrap localhost:9092 x"),
            SPEC,
        )
        .unwrap_or_default();
        assert!(parsed.has("create"));
        assert_eq!(parsed.value("topic"), Some("orders"));
        assert_eq!(parsed.value("bootstrap-server"), Some("localhost:9092"));
        assert_eq!(parsed.positional, ["x"]);
        // "topic" is an exact name, though "topic-id" starts with it.
        assert_eq!(
            parse(&words("--topic"), SPEC),
            Err(OptionError::MissingArgument("topic"))
        );
        assert_eq!(
            parse(&words("--zookeeper localhost:2181"), SPEC).map_err(|e| e.to_string()),
            Err("zookeeper is not a recognized option".to_owned())
        );
        assert_eq!(
            parse(&words("--topi x"), SPEC),
            Err(OptionError::Ambiguous("topi".to_owned()))
        );
    }

    #[test]
    fn usage_is_a_table_sorted_by_option() {
        let table = usage_table(SPEC);
        assert!(table[0].starts_with("Option") && table[0].ends_with("Description"));
        let options: Vec<&str> = table[2..]
            .iter()
            .filter(|l| l.starts_with("--"))
            .map(|l| l.split(' ').next().unwrap_or_default())
            .collect();
        assert_eq!(
            options,
            ["--bootstrap-server", "--create", "--topic", "--topic-id"]
        );
    }
}
