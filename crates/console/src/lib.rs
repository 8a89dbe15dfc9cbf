//! The Console's shell: Kafka's command-line tools (`kafka-topics`,
//! `kafka-console-producer`, `kafka-console-consumer`) and `curl` against
//! the Schema Registry and Kafka Connect, with their real flags and output.
//!
//! The tools are clients of the port, as Kafka's are clients of a broker:
//! they send the port's commands to whichever engine answers (local mode's
//! worker, or the live server) and print what comes back. Like the engine,
//! this crate does no I/O. A [`Shell`] takes a typed line, a reply or a
//! timer in and gives [`Effect`]s out (lines to print, commands to send, a
//! timer to set); the page's terminal (`main.rs`) carries them out.

pub mod args;
mod clients;
mod configs;
mod curl;
mod groups;
mod offsets;
mod records;
mod topics;

use port::{Command, CommandError, Reply};

/// Where a line of output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// The tool's standard output.
    Stdout,
    /// The tool's standard error (errors, warnings, the console consumer's
    /// count).
    Stderr,
    /// What the learner typed, echoed after its prompt.
    Echo,
    /// A line a tool logs to standard error through log4j (`[time] LEVEL
    /// message (logger)`): the terminal puts the time in front.
    Log,
    /// The playground's own explanation, not the real tool's output.
    Note,
}

/// Something the terminal does for the shell.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Prints a line.
    Print(Stream, String),
    /// Sends a command; its answer comes back to [`Shell::on_reply`] with
    /// this id.
    Send(u64, Command),
    /// Calls [`Shell::on_wake`] after this many milliseconds.
    Wake(u32),
    /// Clears the screen.
    Clear,
}

/// A tool's exit status (`$?`).
pub type Status = i32;

/// The addresses the tools accept for the cluster, the Schema Registry and
/// Kafka Connect: the usual local ones, and the live server's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// `bootstrap.servers`.
    pub bootstrap: String,
    /// The Schema Registry's URL.
    pub schema_registry: String,
    /// Kafka Connect's REST URL.
    pub connect: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Self {
            bootstrap: "localhost:9092".to_owned(),
            schema_registry: "http://localhost:8081".to_owned(),
            connect: "http://localhost:8083".to_owned(),
        }
    }
}

/// What runs in the foreground.
#[derive(Debug)]
enum Job {
    /// A tool that sends commands one at a time and prints what comes
    /// back.
    Request { id: u64, tool: Box<dyn Tool> },
    /// `curl`: one HTTP call.
    Curl { id: u64, include: bool },
    /// `kafka-console-producer`, reading lines.
    Producer(Box<clients::ProducerJob>),
    /// `kafka-console-consumer`, printing records.
    Consumer(Box<clients::ConsumerJob>),
    /// `cat > file`: lines typed until Ctrl-D.
    Writing {
        file: String,
        text: String,
        append: bool,
    },
}

/// The commands `help` lists and Tab completes.
pub const COMMANDS: &[(&str, &str)] = &[
    (
        "kafka-topics",
        "create, list, describe, alter and delete topics",
    ),
    (
        "kafka-console-producer",
        "write lines typed here as records to a topic",
    ),
    ("kafka-console-consumer", "print a topic's records"),
    (
        "kafka-get-offsets",
        "each partition's earliest, latest or by-time offset",
    ),
    ("kafka-configs", "describe and alter a topic's configs"),
    (
        "kafka-consumer-groups",
        "list, describe, reset the offsets of and delete consumer groups",
    ),
    (
        "kafka-delete-records",
        "move partitions' log-start offsets up (reads --offset-json-file)",
    ),
    (
        "curl",
        "HTTP calls to the Schema Registry (:8081) and Kafka Connect (:8083)",
    ),
    (
        "echo",
        "print words (echo '{...}' > offsets.json writes a file)",
    ),
    (
        "cat",
        "print files; cat > file writes what you type until Ctrl-D",
    ),
    ("ls", "this terminal's files"),
    ("rm", "remove files"),
    ("clear", "clear the screen (Ctrl-L)"),
    ("help", "this list"),
];

/// The shell: the foreground job, the last exit status, and what it knows
/// of the cluster for Tab completion.
#[derive(Debug)]
pub struct Shell {
    endpoints: Endpoints,
    job: Option<Job>,
    next_id: u64,
    status: Status,
    /// Topic names from the last description, for completion.
    topics: Vec<String>,
    /// The id of a description asked for completion's sake.
    refreshing: Option<u64>,
    /// The terminal's files (`echo … > f`, `cat > f`), by name: what
    /// `--offset-json-file` and the like read.
    files: Vec<(String, String)>,
    /// The files changed since the terminal last saved them.
    files_changed: bool,
}

impl Shell {
    /// A shell whose tools accept `endpoints`.
    #[must_use]
    pub fn new(endpoints: Endpoints) -> Self {
        Self {
            endpoints,
            job: None,
            next_id: 0,
            status: 0,
            topics: Vec::new(),
            refreshing: None,
            files: Vec::new(),
            files_changed: false,
        }
    }

    /// The terminal's files, as saved earlier.
    pub fn load_files(&mut self, files: Vec<(String, String)>) {
        self.files = files;
        self.files.sort();
    }

    /// The files, if they changed since the last call (for the terminal to
    /// save).
    pub fn changed_files(&mut self) -> Option<&[(String, String)]> {
        std::mem::take(&mut self.files_changed).then_some(self.files.as_slice())
    }

    fn file(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.as_str())
    }

    fn write_file(&mut self, name: &str, text: &str, append: bool) {
        match self.files.iter_mut().find(|(n, _)| n == name) {
            Some((_, old)) if append => old.push_str(text),
            Some((_, old)) => *old = text.to_owned(),
            None => {
                self.files.push((name.to_owned(), text.to_owned()));
                self.files.sort();
            }
        }
        self.files_changed = true;
    }

    /// The addresses the tools accept.
    #[must_use]
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The addresses the tools accept from now on (the live server's, once
    /// it has said them).
    pub fn set_endpoints(&mut self, endpoints: Endpoints) {
        self.endpoints = endpoints;
    }

    /// What the terminal shows before the input: `$ ` at the shell, `>` in
    /// the console producer, nothing while a consumer prints.
    #[must_use]
    pub fn prompt(&self) -> &'static str {
        match &self.job {
            None => "$ ",
            Some(Job::Producer(_)) => ">",
            Some(_) => "",
        }
    }

    /// Whether a tool runs in the foreground.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The last tool's exit status.
    #[must_use]
    pub fn status(&self) -> Status {
        self.status
    }

    /// Asks for the topics' names, for Tab completion.
    pub fn refresh(&mut self) -> Vec<Effect> {
        let id = self.id();
        self.refreshing = Some(id);
        vec![Effect::Send(
            id,
            Command::DescribeTopics { topics: Vec::new() },
        )]
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Runs a line the learner typed.
    pub fn run(&mut self, line: &str) -> Vec<Effect> {
        let mut out = vec![Effect::Print(
            Stream::Echo,
            format!("{}{line}", self.prompt()),
        )];
        if let Some(Job::Producer(producer)) = &mut self.job {
            out.extend(producer.line(line, &mut self.next_id));
            if producer.finished() {
                let status = producer.status();
                self.finish(status);
            }
            return out;
        }
        if let Some(Job::Writing { text, .. }) = &mut self.job {
            text.push_str(line);
            text.push('\n');
            return out;
        }
        if self.job.is_some() {
            // Typed while a tool prints: a terminal keeps it for the tool,
            // which does not read it.
            return out;
        }
        let words = match args::split(line) {
            Ok(words) => words,
            Err(e) => {
                out.push(err(format!("bash: {e}")));
                self.status = 2;
                return out;
            }
        };
        let (words, redirect) = match redirection(words) {
            Ok(split) => split,
            Err(message) => {
                out.push(err(message));
                self.status = 2;
                return out;
            }
        };
        let Some((program, rest)) = words.split_first() else {
            return out;
        };
        let name = program.strip_suffix(".sh").unwrap_or(program);
        let name = name.rsplit('/').next().unwrap_or(name);
        let id = self.id();
        let started = match name {
            "help" => Started::Done(help(), 0),
            "clear" => Started::Clear,
            "echo" => Started::Done(vec![out_line(echo(rest, self.status))], 0),
            "cat" if rest.is_empty() => match &redirect {
                Some((file, append)) => {
                    self.job = Some(Job::Writing {
                        file: file.clone(),
                        text: String::new(),
                        append: *append,
                    });
                    return out;
                }
                None => Started::Done(vec![note("cat reads what you type until Ctrl-D only into a file here: cat > offsets.json")], 1),
            },
            "cat" => self.cat(rest),
            "ls" => Started::Done(self.files.iter().map(|(n, _)| out_line(n.clone())).collect(), 0),
            "rm" => self.rm(rest),
            "kafka-delete-records" => records::start(rest, &self.endpoints, &self.files),
            "kafka-topics" => topics::start(rest, &self.endpoints),
            "kafka-console-producer" => clients::start_producer(rest, &self.endpoints),
            "kafka-console-consumer" => clients::start_consumer(rest, &self.endpoints, id),
            "kafka-get-offsets" => offsets::start(rest, &self.endpoints),
            "kafka-configs" => configs::start(rest, &self.endpoints),
            "kafka-consumer-groups" => groups::start(rest, &self.endpoints),
            "curl" => curl::start(rest, &self.endpoints, id),
            _ => Started::Done(
                vec![err(format!("bash: {program}: command not found"))],
                127,
            ),
        };
        let started = match (redirect, started) {
            (Some((file, append)), Started::Done(lines, status)) => {
                // Standard output goes to the file; the rest is printed.
                let mut text = String::new();
                for effect in lines {
                    match effect {
                        Effect::Print(Stream::Stdout, line) => {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        other => out.push(other),
                    }
                }
                self.write_file(&file, &text, append);
                Started::Done(Vec::new(), status)
            }
            (Some(_), other) => {
                out.push(note("Here > writes the output of echo, cat, ls and finished commands to a file; this tool prints to the screen."));
                other
            }
            (None, started) => started,
        };
        match started {
            Started::Done(lines, status) => {
                out.extend(lines);
                self.status = status;
            }
            Started::Clear => {
                out = vec![Effect::Clear];
                self.status = 0;
            }
            Started::Request(notes, command, tool) => {
                out.extend(notes);
                out.push(Effect::Send(id, command));
                self.job = Some(Job::Request { id, tool });
            }
            Started::Curl(command, include) => {
                out.push(Effect::Send(id, command));
                self.job = Some(Job::Curl { id, include });
            }
            Started::Producer(job) => self.job = Some(Job::Producer(job)),
            Started::Consumer(job, effects) => {
                out.extend(effects);
                self.job = Some(Job::Consumer(job));
            }
        }
        out
    }

    /// A reply to a command sent with `id`.
    pub fn on_reply(&mut self, id: u64, result: Result<Reply, CommandError>) -> Vec<Effect> {
        if self.refreshing == Some(id) {
            self.refreshing = None;
            if let Ok(Reply::TopicsDescribed { topics }) = &result {
                self.topics = topics.iter().map(|t| t.name.clone()).collect();
            }
            return Vec::new();
        }
        match &mut self.job {
            Some(Job::Request { id: waiting, tool }) if *waiting == id => {
                match tool.on_reply(result) {
                    Next::Send(command) => {
                        self.next_id += 1;
                        *waiting = self.next_id;
                        vec![Effect::Send(self.next_id, command)]
                    }
                    Next::Done(mut lines, status, names) => {
                        self.finish(status);
                        match names {
                            Some(names) => self.topics = names,
                            None => lines.extend(self.refresh()),
                        }
                        lines
                    }
                }
            }
            Some(Job::Curl {
                id: waiting,
                include,
            }) if *waiting == id => {
                let lines = curl::finish(*include, result);
                self.finish(0);
                lines
            }
            Some(Job::Producer(producer)) => {
                let out = producer.on_reply(id, result);
                if producer.finished() {
                    let status = producer.status();
                    self.finish(status);
                }
                out
            }
            Some(Job::Consumer(consumer)) => {
                let (out, done) = consumer.on_reply(id, result, &mut self.next_id);
                if let Some(status) = done {
                    self.finish(status);
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// A timer the shell set ([`Effect::Wake`]) went off, `elapsed_ms`
    /// after it was set.
    pub fn on_wake(&mut self, elapsed_ms: u32) -> Vec<Effect> {
        match &mut self.job {
            Some(Job::Consumer(consumer)) => {
                let (out, done) = consumer.on_wake(elapsed_ms, &mut self.next_id);
                if let Some(status) = done {
                    self.finish(status);
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// Ctrl-C: stops the foreground tool as SIGINT would (the console
    /// consumer still prints its count, as its shutdown hook does).
    pub fn interrupt(&mut self) -> Vec<Effect> {
        let mut out = vec![Effect::Print(Stream::Echo, format!("{}^C", self.prompt()))];
        if let Some(Job::Consumer(consumer)) = self.job.take() {
            out.extend(consumer.summary());
            out.extend(consumer.close(&mut self.next_id));
        }
        self.status = 130;
        out
    }

    /// Ctrl-D: the end of input (ends the console producer once what it
    /// sent is acknowledged).
    pub fn end_of_input(&mut self) -> Vec<Effect> {
        if let Some(Job::Writing { .. }) = &self.job {
            if let Some(Job::Writing { file, text, append }) = self.job.take() {
                self.write_file(&file, &text, append);
            }
            self.status = 0;
            return Vec::new();
        }
        match &mut self.job {
            Some(Job::Producer(producer)) => {
                producer.end();
                if producer.finished() {
                    let status = producer.status();
                    self.finish(status);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// `cat FILE…`.
    fn cat(&self, names: &[String]) -> Started {
        let mut lines = Vec::new();
        let mut status = 0;
        for name in names {
            match self.file(name) {
                Some(text) => lines.extend(text.lines().map(|l| out_line(l.to_owned()))),
                None => {
                    lines.push(err(format!("cat: {name}: No such file or directory")));
                    status = 1;
                }
            }
        }
        Started::Done(lines, status)
    }

    /// `rm FILE…`.
    fn rm(&mut self, names: &[String]) -> Started {
        let mut lines = Vec::new();
        let mut status = 0;
        for name in names.iter().filter(|n| !n.starts_with('-')) {
            let before = self.files.len();
            self.files.retain(|(n, _)| n != name);
            if self.files.len() == before {
                lines.push(err(format!(
                    "rm: cannot remove '{name}': No such file or directory"
                )));
                status = 1;
            } else {
                self.files_changed = true;
            }
        }
        Started::Done(lines, status)
    }

    fn finish(&mut self, status: Status) {
        self.job = None;
        self.status = status;
    }

    /// Tab: the completions of the word before the cursor at the end of
    /// `line` (commands, the tool's options, topic names after `--topic`).
    #[must_use]
    pub fn complete(&self, line: &str) -> Vec<String> {
        let words = args::split(line).unwrap_or_default();
        let ends_with_blank = line.ends_with(' ') || line.is_empty();
        let (done, partial) = if ends_with_blank {
            (&words[..], "")
        } else {
            match words.split_last() {
                Some((last, done)) => (done, last.as_str()),
                None => (&words[..], ""),
            }
        };
        let candidates: Vec<String> = match done.first() {
            None => COMMANDS.iter().map(|(c, _)| (*c).to_owned()).collect(),
            Some(program) => {
                let name = program.strip_suffix(".sh").unwrap_or(program);
                let previous = done.last().map(String::as_str).unwrap_or_default();
                if done.len() > 1 && matches!(previous, "--topic" | "--entity-name") {
                    self.topics.clone()
                } else if previous == "--offset-json-file" || matches!(name, "cat" | "rm") {
                    self.files.iter().map(|(n, _)| n.clone()).collect()
                } else if partial.starts_with('-') || partial.is_empty() {
                    let spec = match name {
                        "kafka-topics" => topics::OPTIONS,
                        "kafka-console-producer" => clients::PRODUCER_OPTIONS,
                        "kafka-console-consumer" => clients::CONSUMER_OPTIONS,
                        "kafka-get-offsets" => offsets::OPTIONS,
                        "kafka-configs" => configs::OPTIONS,
                        "kafka-consumer-groups" => groups::OPTIONS,
                        "kafka-delete-records" => records::OPTIONS,
                        _ => &[],
                    };
                    spec.iter().map(|o| format!("--{}", o.name)).collect()
                } else {
                    Vec::new()
                }
            }
        };
        let mut matching: Vec<String> = candidates
            .into_iter()
            .filter(|c| c.starts_with(partial))
            .collect();
        matching.sort();
        matching.dedup();
        matching
    }
}

/// A tool that talks to the engine: each reply leads to the next command
/// or to the end.
trait Tool: std::fmt::Debug {
    /// The reply to the last command sent.
    fn on_reply(&mut self, result: Result<Reply, CommandError>) -> Next;
}

/// What a reply leads to.
#[derive(Debug)]
enum Next {
    /// The tool is done: its output, its exit status, and the topics it
    /// saw (for completion; `None` if it saw none and may have changed
    /// them).
    Done(Vec<Effect>, Status, Option<Vec<String>>),
    /// Another command for the same tool.
    Send(Command),
}

/// How a tool started.
#[derive(Debug)]
enum Started {
    /// It finished at once: its output and exit status.
    Done(Vec<Effect>, Status),
    /// `clear`.
    Clear,
    /// It printed `notes` and sent a command; the tool takes the reply.
    Request(Vec<Effect>, Command, Box<dyn Tool>),
    /// `curl`: one HTTP call; whether to print the status line (`-i`).
    Curl(Command, bool),
    /// The console producer reads lines.
    Producer(Box<clients::ProducerJob>),
    /// The console consumer prints records; what it sends first.
    Consumer(Box<clients::ConsumerJob>, Vec<Effect>),
}

fn out_line(text: impl Into<String>) -> Effect {
    Effect::Print(Stream::Stdout, text.into())
}

fn err(text: impl Into<String>) -> Effect {
    Effect::Print(Stream::Stderr, text.into())
}

/// `printUsageAndExit`: the reason, then the tool's option table, on
/// stderr; status 1 (for `--help` too, as Kafka's tools do).
fn usage_error(reason: &str, spec: &[args::OptionSpec]) -> Started {
    let mut lines = vec![err(reason)];
    lines.extend(args::usage_table(spec).into_iter().map(err));
    Started::Done(lines, 1)
}

/// What a tool does first, as Kafka's `CommandLineUtils` has it: parses
/// the options (an unknown one is joptsimple's exception); no arguments or
/// `--help` print `about` and the usage; `--version` the version. `Err` is
/// the tool's whole answer.
fn preamble(
    words: &[String],
    spec: &[args::OptionSpec],
    about: &str,
) -> Result<args::Parsed, Box<Started>> {
    let parsed = args::parse(words, spec)
        .map_err(|e| Box::new(Started::Done(thrown(&e.to_string(), e.exception()), 1)))?;
    if words.is_empty() || parsed.has("help") {
        return Err(Box::new(usage_error(about, spec)));
    }
    if parsed.has("version") {
        return Err(Box::new(Started::Done(
            vec![out_line(topics::KAFKA_VERSION)],
            0,
        )));
    }
    Ok(parsed)
}

/// `--bootstrap-server`: required, and an address this playground's
/// cluster answers on. `Err` is the tool's whole answer.
fn bootstrap(
    parsed: &args::Parsed,
    spec: &[args::OptionSpec],
    endpoints: &Endpoints,
) -> Result<(), Box<Started>> {
    let Some(server) = parsed.value("bootstrap-server") else {
        return Err(Box::new(usage_error(
            "Missing required argument \"[bootstrap-server]\"",
            spec,
        )));
    };
    match topics::unreachable(server, endpoints) {
        Some(refused) => Err(Box::new(refused)),
        None => Ok(()),
    }
}

/// A log4j line on stderr: `LEVEL message (logger)`; the terminal adds the
/// time in front.
fn log(level: &str, message: &str, logger: &str) -> Effect {
    Effect::Print(Stream::Log, format!("{level} {message} ({logger})"))
}

/// The playground's explanation beside a tool's output.
fn note(text: &str) -> Effect {
    Effect::Print(Stream::Note, text.to_owned())
}

/// An exception that ends a tool before it reaches the cluster: its
/// message, then the exception as the stack trace's first line.
fn thrown(message: &str, exception: &str) -> Vec<Effect> {
    vec![
        err(message),
        err(format!("{exception}: {message}")),
        err(""),
    ]
}

/// Where `>` sends standard output: the file, and whether to append.
type Redirect = (String, bool);

/// The words without a redirection (`> file`, `>> file`, `>file`) and
/// where it writes, with whether it appends.
fn redirection(words: Vec<String>) -> Result<(Vec<String>, Option<Redirect>), String> {
    let mut kept = Vec::new();
    let mut target = None;
    let mut rest = words.into_iter();
    while let Some(word) = rest.next() {
        let (append, attached) = if let Some(name) = word.strip_prefix(">>") {
            (true, name.to_owned())
        } else if let Some(name) = word.strip_prefix('>') {
            (false, name.to_owned())
        } else {
            kept.push(word);
            continue;
        };
        let name = if attached.is_empty() {
            rest.next()
                .ok_or_else(|| "bash: syntax error near unexpected token `newline'".to_owned())?
        } else {
            attached
        };
        target = Some((name, append));
    }
    Ok((kept, target))
}

/// `echo`: its words, with `$?` as the last status.
fn echo(words: &[String], status: Status) -> String {
    words
        .iter()
        .map(|w| w.replace("$?", &status.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn help() -> Vec<Effect> {
    let mut lines = vec![out_line(
        "Kafka's command-line tools, run against the engine this page talks to:",
    )];
    for (name, what) in COMMANDS {
        lines.push(out_line(format!("  {name:<24}{what}")));
    }
    lines.push(out_line(
        "Each tool's --help prints its options. Up/Down: history; Tab: complete; Ctrl-C: stop; Ctrl-D: end input; Ctrl-L: clear.",
    ));
    lines
}

#[cfg(test)]
mod tests;
