//! `kafka-consumer-groups`: Kafka 4.0's `ConsumerGroupCommand` — `--list`
//! (with `--state`), `--describe` (offsets, `--members`, `--state`),
//! `--reset-offsets` (`--to-earliest`, `--to-latest`, `--to-offset`,
//! `--shift-by`, `--to-datetime`, `--to-current`; `--dry-run` /
//! `--execute`) and `--delete`, with its tables and messages.

use port::{Command, CommandError, ErrorCode, GroupModel, Reply, TopicDescription};

use crate::args::{OptionSpec, Parsed};
use crate::topics::exception_of;
use crate::{err, out_line, Effect, Endpoints, Next, Started, Tool};

/// The options of `kafka-consumer-groups` (Kafka 4.0's
/// `ConsumerGroupCommandOptions`).
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec { name: "all-groups", argument: None, description: "Apply to all consumer groups." },
    OptionSpec { name: "all-topics", argument: None, description: "Consider all topics assigned to a group in the `reset-offsets` process." },
    OptionSpec { name: "bootstrap-server", argument: Some("String: server to connect to"), description: "The server(s) to connect to. REQUIRED for all options except for --validate-regex." },
    OptionSpec { name: "by-duration", argument: Some("String: duration"), description: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'" },
    OptionSpec { name: "command-config", argument: Some("String: command config property file"), description: "Property file containing configs to be passed to Admin Client and Consumer." },
    OptionSpec { name: "delete", argument: None, description: "Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2" },
    OptionSpec { name: "delete-offsets", argument: None, description: "Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics." },
    OptionSpec { name: "describe", argument: None, description: "Describe consumer group and list offset lag (number of messages not yet processed) related to given group." },
    OptionSpec { name: "dry-run", argument: None, description: "Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets." },
    OptionSpec { name: "execute", argument: None, description: "Execute operation. Supported operations: reset-offsets." },
    OptionSpec { name: "export", argument: None, description: "Export operation execution to a CSV file. Supported operations: reset-offsets." },
    OptionSpec { name: "from-file", argument: Some("String: path to CSV file"), description: "Reset offsets to values defined in CSV file." },
    OptionSpec { name: "group", argument: Some("String: consumer group"), description: "The consumer group we wish to act on." },
    OptionSpec { name: "help", argument: None, description: "Print usage information." },
    OptionSpec { name: "list", argument: None, description: "List all consumer groups." },
    OptionSpec { name: "members", argument: None, description: "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only." },
    OptionSpec { name: "offsets", argument: None, description: "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only." },
    OptionSpec { name: "reset-offsets", argument: None, description: "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive." },
    OptionSpec { name: "shift-by", argument: Some("Long: number-of-offsets"), description: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative." },
    OptionSpec { name: "state", argument: None, description: "When specified with '--describe', includes the state of the group. When specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states." },
    OptionSpec { name: "timeout", argument: Some("Long: timeout (ms)"), description: "The timeout that can be set for some use cases. (default: 5000)" },
    OptionSpec { name: "to-current", argument: None, description: "Reset offsets to current offset." },
    OptionSpec { name: "to-datetime", argument: Some("String: datetime"), description: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'" },
    OptionSpec { name: "to-earliest", argument: None, description: "Reset offsets to earliest offset." },
    OptionSpec { name: "to-latest", argument: None, description: "Reset offsets to latest offset." },
    OptionSpec { name: "to-offset", argument: Some("Long: offset"), description: "Reset offsets to a specific offset." },
    OptionSpec { name: "topic", argument: Some("String: topic"), description: "The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process." },
    OptionSpec { name: "verbose", argument: None, description: "Provide additional information, if any, when describing the group." },
    OptionSpec { name: "version", argument: None, description: "Display Kafka version." },
];

const ABOUT: &str = "This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.";

/// The host every member shows: the playground's clients all run on this
/// machine (in this tab, or beside the live server).
const HOST: &str = "/127.0.0.1";

fn usage_error(reason: &str) -> Started {
    crate::usage_error(reason, OPTIONS)
}

/// `printError`: a blank line and `Error: …` on stdout.
fn error(message: &str) -> Vec<Effect> {
    vec![out_line(""), out_line(format!("Error: {message}"))]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Describe {
    Offsets,
    Members,
    State,
}

#[derive(Debug, Clone, PartialEq)]
enum Scenario {
    Earliest,
    Latest,
    Current,
    Offset(i64),
    Shift(i64),
    DateTime(i64),
}

#[derive(Debug)]
enum Action {
    /// `--list`, with `--state` (and its filter).
    List {
        state: Option<Vec<String>>,
    },
    Describe(Describe),
    Reset {
        scenario: Scenario,
        /// `--topic t` or `t:0,1`; empty with `--all-topics`.
        topics: Vec<(String, Option<Vec<i32>>)>,
        execute: bool,
    },
    Delete,
}

/// `kafka-consumer-groups` while it waits for the engine.
#[derive(Debug)]
struct Groups {
    action: Action,
    /// `--group`s; empty with `--all-groups`.
    groups: Vec<String>,
    endpoints: Endpoints,
    /// What the first reply said.
    described: Option<Vec<GroupModel>>,
    topics: Option<Vec<TopicDescription>>,
    /// `--to-datetime`: partitions still to look up, and the answers.
    pending_times: Vec<(String, i32)>,
    asking: Option<(String, i32)>,
    by_time: Vec<((String, i32), Option<i64>)>,
    /// The offsets a reset commits, once computed.
    planned: Vec<(String, i32, i64)>,
    notes: Vec<Effect>,
}

/// Starts `kafka-consumer-groups` with `words`.
pub(crate) fn start(words: &[String], endpoints: &Endpoints) -> Started {
    let parsed = match crate::preamble(words, OPTIONS, ABOUT) {
        Ok(parsed) => parsed,
        Err(answer) => return *answer,
    };
    let actions = [
        "list",
        "describe",
        "delete",
        "reset-offsets",
        "delete-offsets",
        "validate-regex",
    ]
    .iter()
    .filter(|a| parsed.has(a))
    .count();
    if actions != 1 {
        return usage_error("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex");
    }
    if let Err(answer) = crate::bootstrap(&parsed, OPTIONS, endpoints) {
        return *answer;
    }
    let groups: Vec<String> = parsed
        .values("group")
        .into_iter()
        .map(str::to_owned)
        .collect();
    let all_groups = parsed.has("all-groups");
    let action = match action(&parsed, &groups, all_groups) {
        Ok(action) => action,
        Err(refused) => return *refused,
    };
    let mut notes = Vec::new();
    if let Action::Reset { execute: false, .. } = &action {
        if !parsed.has("dry-run") {
            notes.push(err("WARN: No action will be performed as the --execute option is missing. In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting."));
        }
    }
    let first = match &action {
        Action::Delete => Command::DeleteGroups {
            groups: groups.clone(),
        },
        _ => Command::DescribeGroups {
            groups: if all_groups {
                Vec::new()
            } else {
                groups.clone()
            },
        },
    };
    let tool = Groups {
        action,
        groups: if all_groups { Vec::new() } else { groups },
        endpoints: endpoints.clone(),
        described: None,
        topics: None,
        pending_times: Vec::new(),
        asking: None,
        by_time: Vec::new(),
        planned: Vec::new(),
        notes: Vec::new(),
    };
    Started::Request(notes, first, Box::new(tool))
}

/// The action the options ask for, checked as `checkArgs` does.
fn action(parsed: &Parsed, groups: &[String], all_groups: bool) -> Result<Action, Box<Started>> {
    let needs_group = |option: &str| {
        Box::new(usage_error(&format!(
            "Option [{option}] takes one of these options: [group], [all-groups]"
        )))
    };
    if parsed.has("list") {
        let state = parsed.has("state").then(|| {
            parsed
                .positional
                .first()
                .map(|list| list.split(',').map(|s| s.trim().to_owned()).collect())
                .unwrap_or_default()
        });
        return Ok(Action::List { state });
    }
    if parsed.has("describe") {
        if groups.is_empty() && !all_groups {
            return Err(needs_group("describe"));
        }
        let modes = ["members", "offsets", "state"]
            .iter()
            .filter(|m| parsed.has(m))
            .count();
        if modes > 1 {
            return Err(Box::new(usage_error(
                "Option [describe] takes at most one of these options: [members], [offsets], [state]",
            )));
        }
        let mode = if parsed.has("members") {
            Describe::Members
        } else if parsed.has("state") {
            Describe::State
        } else {
            Describe::Offsets
        };
        return Ok(Action::Describe(mode));
    }
    if parsed.has("delete") {
        if parsed.has("topic") {
            return Err(Box::new(usage_error(
                "The consumer does not support topic-specific offset deletion from a consumer group.",
            )));
        }
        if groups.is_empty() {
            return Err(needs_group("delete"));
        }
        return Ok(Action::Delete);
    }
    if parsed.has("reset-offsets") {
        if groups.is_empty() && !all_groups {
            return Err(needs_group("reset-offsets"));
        }
        if parsed.has("dry-run") && parsed.has("execute") {
            return Err(Box::new(usage_error(
                "Option [reset-offsets] only accepts one of [execute] and [dry-run]",
            )));
        }
        let number = |name: &str| -> Result<i64, Box<Started>> {
            let text = parsed.value(name).unwrap_or_default();
            text.parse().map_err(|_| {
                Box::new(usage_error(&format!(
                    "Cannot parse argument '{text}' of option {name}"
                )))
            })
        };
        let scenario = if parsed.has("to-earliest") {
            Scenario::Earliest
        } else if parsed.has("to-latest") {
            Scenario::Latest
        } else if parsed.has("to-current") {
            Scenario::Current
        } else if parsed.has("to-offset") {
            Scenario::Offset(number("to-offset")?)
        } else if parsed.has("shift-by") {
            Scenario::Shift(number("shift-by")?)
        } else if let Some(text) = parsed.value("to-datetime") {
            Scenario::DateTime(
                parse_datetime(text)
                    .map_err(|reason| Box::new(Started::Done(error(&reason), 1)))?,
            )
        } else if parsed.has("by-duration") || parsed.has("from-file") {
            return Err(Box::new(Started::Done(
                vec![err("--by-duration and --from-file are not in this console yet: use --to-datetime, --to-offset or --shift-by.")],
                1,
            )));
        } else {
            return Err(Box::new(usage_error("Option '[reset-offsets]' requires one of the following scenarios: [to-datetime], [by-duration], [to-earliest], [to-latest], [shift-by], [from-file], [to-current], [to-offset]")));
        };
        let mut topics = Vec::new();
        for spec in parsed.values("topic") {
            match spec.split_once(':') {
                None => topics.push((spec.to_owned(), None)),
                Some((topic, list)) => {
                    let ids: Result<Vec<i32>, _> =
                        list.split(',').map(|p| p.trim().parse()).collect();
                    match ids {
                        Ok(ids) => topics.push((topic.to_owned(), Some(ids))),
                        Err(_) => {
                            return Err(Box::new(usage_error(&format!(
                                "Invalid partitions in --topic {spec}"
                            ))))
                        }
                    }
                }
            }
        }
        if topics.is_empty() && !parsed.has("all-topics") {
            return Err(Box::new(usage_error(
                "One of the reset scopes should be defined: --all-topics, --topic.",
            )));
        }
        return Ok(Action::Reset {
            scenario,
            topics,
            execute: parsed.has("execute"),
        });
    }
    Err(Box::new(Started::Done(
        vec![err(
            "--delete-offsets and --validate-regex are not in this console yet.",
        )],
        1,
    )))
}

/// `Utils.getDateTime`: `YYYY-MM-DDTHH:mm:SS.sss` with an optional zone
/// (`Z`, `+HH:MM`, `-HHMM`; UTC without one), as epoch milliseconds.
fn parse_datetime(text: &str) -> Result<i64, String> {
    let Some((date, time)) = text.split_once('T') else {
        return Err(
            "Error parsing timestamp. It does not contain a 'T' according to ISO8601 format"
                .to_owned(),
        );
    };
    let bad = || format!("Error parsing timestamp with format 'yyyy-MM-dd'T'HH:mm:ss.SSS': {text}");
    let (clock, zone_minutes) = if let Some(clock) = time.strip_suffix('Z') {
        (clock, 0)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let (clock, zone) = time.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        let hours: i64 = digits
            .get(..2)
            .and_then(|h| h.parse().ok())
            .ok_or_else(bad)?;
        let minutes: i64 = digits
            .get(2..)
            .filter(|m| !m.is_empty())
            .map_or(Ok(0), |m| m.parse().map_err(|_| bad()))?;
        (clock, sign * (hours * 60 + minutes))
    } else {
        (time, 0)
    };
    let mut d = date.splitn(3, '-').map(str::parse::<i64>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) = (d.next(), d.next(), d.next()) else {
        return Err(bad());
    };
    let (hms, millis) = clock.split_once('.').ok_or_else(bad)?;
    let mut t = hms.splitn(3, ':').map(str::parse::<i64>);
    let (Some(Ok(hour)), Some(Ok(minute)), Some(Ok(second))) = (t.next(), t.next(), t.next())
    else {
        return Err(bad());
    };
    if millis.len() != 3
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(bad());
    }
    let millis: i64 = millis.parse().map_err(|_| bad())?;
    Ok(
        port::time::epoch_ms(year, month, day, hour, minute, second, millis)
            - zone_minutes * 60_000,
    )
}

impl Tool for Groups {
    fn on_reply(&mut self, result: Result<Reply, CommandError>) -> Next {
        let reply = match result {
            Ok(reply) => reply,
            Err(e) => {
                let mut lines = std::mem::take(&mut self.notes);
                lines.extend(error(&format!(
                    "Executing consumer group command failed due to {}",
                    e.message
                )));
                return Next::Done(lines, 1, None);
            }
        };
        match reply {
            Reply::GroupsDeleted { results } => Next::Done(deleted(&results), 0, None),
            Reply::GroupsDescribed { groups } => {
                let needs_topics = !matches!(
                    self.action,
                    Action::List { .. } | Action::Describe(Describe::Members)
                );
                self.described = Some(groups);
                if needs_topics {
                    Next::Send(Command::DescribeTopics { topics: Vec::new() })
                } else {
                    self.finish()
                }
            }
            Reply::TopicsDescribed { topics } => {
                self.topics = Some(topics);
                self.after_topics()
            }
            Reply::ListedOffset { offset } => {
                if let Some(tp) = self.asking.take() {
                    self.by_time.push((tp, offset));
                }
                self.ask_time()
            }
            Reply::Done => {
                // The reset's commit went through: print what it set.
                let planned = std::mem::take(&mut self.planned);
                let mut lines = std::mem::take(&mut self.notes);
                lines.extend(reset_table(&self.group(), &planned));
                Next::Done(lines, 0, None)
            }
            other => Next::Done(vec![err(format!("unexpected answer: {other:?}"))], 1, None),
        }
    }
}

impl Groups {
    fn group(&self) -> String {
        self.groups.first().cloned().unwrap_or_default()
    }

    fn after_topics(&mut self) -> Next {
        if let Action::Reset {
            scenario: Scenario::DateTime(_),
            ..
        } = &self.action
        {
            match self.reset_partitions() {
                Ok(partitions) => {
                    self.pending_times = partitions;
                    return self.ask_time();
                }
                Err(lines) => return Next::Done(lines, 1, None),
            }
        }
        self.finish()
    }

    fn ask_time(&mut self) -> Next {
        let Action::Reset {
            scenario: Scenario::DateTime(ms),
            ..
        } = &self.action
        else {
            return self.finish();
        };
        if self.pending_times.is_empty() {
            return self.finish();
        }
        let (topic, partition) = self.pending_times.remove(0);
        self.asking = Some((topic.clone(), partition));
        Next::Send(Command::ListOffsets {
            topic,
            partition,
            timestamp: *ms,
        })
    }

    /// The partitions a reset covers: `--topic`s (all their partitions, or
    /// those named), or with `--all-topics` the group's committed ones.
    fn reset_partitions(&self) -> Result<Vec<(String, i32)>, Vec<Effect>> {
        let Action::Reset { topics: scope, .. } = &self.action else {
            return Ok(Vec::new());
        };
        let topics = self.topics.as_deref().unwrap_or_default();
        let group = self
            .described
            .as_ref()
            .and_then(|g| g.iter().find(|g| g.group_id == self.group()));
        let mut out = Vec::new();
        if scope.is_empty() {
            if let Some(group) = group {
                out.extend(group.offsets.iter().map(|o| (o.topic.clone(), o.partition)));
            }
        }
        for (name, only) in scope {
            let Some(topic) = topics.iter().find(|t| &t.name == name) else {
                return Err(error(
                    "Executing consumer group command failed due to org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.",
                ));
            };
            for p in &topic.partitions {
                if only.as_ref().is_none_or(|ids| ids.contains(&p.partition)) {
                    out.push((name.clone(), p.partition));
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    fn finish(&mut self) -> Next {
        let groups = self.described.take().unwrap_or_default();
        let mut lines = std::mem::take(&mut self.notes);
        match &self.action {
            Action::List { state } => {
                lines.extend(list(&groups, state.as_deref()));
                Next::Done(lines, 0, None)
            }
            Action::Describe(mode) => {
                let mut status = 0;
                let chosen: Vec<&GroupModel> = if self.groups.is_empty() {
                    groups.iter().collect()
                } else {
                    let mut chosen = Vec::new();
                    for id in &self.groups {
                        match groups.iter().find(|g| &g.group_id == id) {
                            Some(g) => chosen.push(g),
                            None => {
                                lines.extend(error(&format!(
                                    "Executing consumer group command failed due to org.apache.kafka.common.errors.GroupIdNotFoundException: Group {id} not found."
                                )));
                                status = 1;
                            }
                        }
                    }
                    chosen
                };
                let topics = self.topics.as_deref().unwrap_or_default();
                for g in chosen {
                    lines.extend(match mode {
                        Describe::Offsets => describe_offsets(g, topics),
                        Describe::Members => describe_members(g),
                        Describe::State => describe_state(g, topics, &self.endpoints),
                    });
                }
                Next::Done(lines, status, None)
            }
            Action::Reset {
                scenario, execute, ..
            } => {
                let group_id = self.group();
                let state = groups
                    .iter()
                    .find(|g| g.group_id == group_id)
                    .map_or("Dead", |g| g.state.as_str());
                if !matches!(state, "Empty" | "Dead") {
                    lines.extend(error(&format!(
                        "Assignments can only be reset if the group '{group_id}' is inactive, but the current state is {state}."
                    )));
                    return Next::Done(lines, 1, None);
                }
                self.described = Some(groups);
                let planned = match self.plan(scenario) {
                    Ok(planned) => planned,
                    Err(mut refused) => {
                        lines.append(&mut refused);
                        return Next::Done(lines, 1, None);
                    }
                };
                if *execute {
                    self.planned = planned.clone();
                    self.notes = lines;
                    return Next::Send(Command::AlterGroupOffsets {
                        group: group_id,
                        offsets: planned,
                    });
                }
                lines.extend(reset_table(&group_id, &planned));
                Next::Done(lines, 0, None)
            }
            Action::Delete => Next::Done(lines, 0, None),
        }
    }

    /// The new offset of each partition the reset covers, clamped to the
    /// log as Kafka clamps it.
    fn plan(&self, scenario: &Scenario) -> Result<Vec<(String, i32, i64)>, Vec<Effect>> {
        let partitions = self.reset_partitions()?;
        let topics = self.topics.as_deref().unwrap_or_default();
        let group = self
            .described
            .as_ref()
            .and_then(|g| g.iter().find(|g| g.group_id == self.group()));
        let mut planned = Vec::new();
        for (topic, partition) in partitions {
            let bounds = topics
                .iter()
                .find(|t| t.name == topic)
                .and_then(|t| t.partitions.iter().find(|p| p.partition == partition))
                .map_or((0, 0), |p| (p.log_start_offset, p.high_watermark));
            let committed = group.and_then(|g| {
                g.offsets
                    .iter()
                    .find(|o| o.topic == topic && o.partition == partition)
                    .map(|o| o.committed)
            });
            let clamp = |o: i64| o.clamp(bounds.0, bounds.1);
            let offset = match scenario {
                Scenario::Earliest => bounds.0,
                Scenario::Latest => bounds.1,
                Scenario::Offset(o) => clamp(*o),
                Scenario::Current => committed.unwrap_or(bounds.1),
                Scenario::Shift(by) => match committed {
                    Some(c) => clamp(c.saturating_add(*by)),
                    None => {
                        return Err(error(&format!(
                            "Executing consumer group command failed due to Cannot shift offset for partition {topic}-{partition} since there is no current committed offset"
                        )))
                    }
                },
                Scenario::DateTime(_) => {
                    match self
                        .by_time
                        .iter()
                        .find(|(tp, _)| tp.0 == topic && tp.1 == partition)
                        .and_then(|(_, o)| *o)
                    {
                        Some(o) => o,
                        None => bounds.1,
                    }
                }
            };
            planned.push((topic, partition, offset));
        }
        Ok(planned)
    }
}

/// `--list`: ids, or with `--state` a table of ids and states (only the
/// states asked for, if any).
fn list(groups: &[GroupModel], states: Option<&[String]>) -> Vec<Effect> {
    let mut ids: Vec<&GroupModel> = groups.iter().collect();
    ids.sort_by(|a, b| a.group_id.cmp(&b.group_id));
    let Some(states) = states else {
        return ids.iter().map(|g| out_line(g.group_id.clone())).collect();
    };
    let chosen: Vec<&GroupModel> = ids
        .into_iter()
        .filter(|g| states.is_empty() || states.iter().any(|s| s.eq_ignore_ascii_case(&g.state)))
        .collect();
    let width = chosen
        .iter()
        .map(|g| g.group_id.len().max(15))
        .max()
        .unwrap_or(15)
        + 10;
    let mut lines = vec![out_line(format!("{:<width$} {:<20}", "GROUP", "STATE"))];
    lines.extend(
        chosen
            .iter()
            .map(|g| out_line(format!("{:<width$} {:<20}", g.group_id, g.state))),
    );
    lines
}

/// The notice `shouldPrintMemberState` prints before a group's table, on
/// stderr, and whether the table follows.
fn state_notice(g: &GroupModel, rows: usize) -> (Vec<Effect>, bool) {
    let notice = match g.state.as_str() {
        "Dead" => {
            return (
                error(&format!("Consumer group '{}' does not exist.", g.group_id)),
                false,
            )
        }
        "Empty" => vec![
            err(""),
            err(format!(
                "Consumer group '{}' has no active members.",
                g.group_id
            )),
        ],
        "PreparingRebalance" | "CompletingRebalance" | "Assigning" | "Reconciling" => {
            vec![
                err(""),
                err(format!(
                    "Warning: Consumer group '{}' is rebalancing.",
                    g.group_id
                )),
            ]
        }
        _ => Vec::new(),
    };
    (notice, rows > 0)
}

/// A partition's log-end offset (the high watermark consumers see).
fn log_end(topics: &[TopicDescription], topic: &str, partition: i32) -> Option<i64> {
    topics
        .iter()
        .find(|t| t.name == topic)?
        .partitions
        .iter()
        .find(|p| p.partition == partition)
        .map(|p| p.high_watermark)
}

/// `topic-3` → `("topic", 3)`.
fn split_partition(tp: &str) -> Option<(String, i32)> {
    let (topic, partition) = tp.rsplit_once('-')?;
    Some((topic.to_owned(), partition.parse().ok()?))
}

/// `--describe` (offsets): one row per assigned partition, members with
/// the most partitions first, then committed partitions no member holds.
fn describe_offsets(g: &GroupModel, topics: &[TopicDescription]) -> Vec<Effect> {
    let mut rows: Vec<[String; 9]> = Vec::new();
    let mut members: Vec<_> = g
        .members
        .iter()
        .filter(|m| !m.partitions.is_empty())
        .collect();
    members.sort_by_key(|m| std::cmp::Reverse(m.partitions.len()));
    let mut held = Vec::new();
    for m in members {
        let mut partitions: Vec<(String, i32)> = m
            .partitions
            .iter()
            .filter_map(|p| split_partition(p))
            .collect();
        partitions.sort();
        for (topic, partition) in partitions {
            held.push((topic.clone(), partition));
            rows.push(row(
                g,
                topics,
                &topic,
                partition,
                Some((&m.member_id, &m.client_id)),
            ));
        }
    }
    for o in &g.offsets {
        if !held.iter().any(|(t, p)| *t == o.topic && *p == o.partition) {
            rows.push(row(g, topics, &o.topic, o.partition, None));
        }
    }
    let (mut lines, table) = state_notice(g, rows.len());
    if !table {
        return lines;
    }
    let width = |i: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0).max(15);
    let (wg, wt, wc, wh) = (width(0), width(1), width(6), width(7));
    let line = |r: &[String; 9]| {
        format!(
            "{:<wg$} {:<wt$} {:<10} {:<15} {:<15} {:<15} {:<wc$} {:<wh$} {}",
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]
        )
    };
    let header = [
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ]
    .map(str::to_owned);
    lines.push(out_line(""));
    lines.push(out_line(line(&header)));
    lines.extend(rows.iter().map(|r| out_line(line(r))));
    lines
}

fn row(
    g: &GroupModel,
    topics: &[TopicDescription],
    topic: &str,
    partition: i32,
    member: Option<(&String, &String)>,
) -> [String; 9] {
    let committed = g
        .offsets
        .iter()
        .find(|o| o.topic == topic && o.partition == partition)
        .map(|o| o.committed);
    let end = log_end(topics, topic, partition);
    let lag = committed.zip(end).map(|(c, e)| (e - c).to_string());
    let text = |v: Option<i64>| v.map_or("-".to_owned(), |v| v.to_string());
    [
        g.group_id.clone(),
        topic.to_owned(),
        partition.to_string(),
        text(committed),
        text(end),
        lag.unwrap_or_else(|| "-".to_owned()),
        member.map_or("-".to_owned(), |(id, _)| id.clone()),
        member.map_or("-".to_owned(), |_| HOST.to_owned()),
        member.map_or("-".to_owned(), |(_, client)| client.clone()),
    ]
}

/// `--describe --members`: one row per member.
fn describe_members(g: &GroupModel) -> Vec<Effect> {
    let (mut lines, _) = state_notice(g, g.members.len());
    if g.state == "Dead" {
        return lines;
    }
    let instances = g.members.iter().any(|m| m.instance_id.is_some());
    let width = |f: &dyn Fn(&port::GroupMemberModel) -> usize, min: usize| {
        g.members.iter().map(f).max().unwrap_or(0).max(min)
    };
    let wg = g.group_id.len().max(15);
    let wc = width(&|m| m.member_id.len(), 15);
    let wi = width(&|m| m.instance_id.as_deref().map_or(1, str::len), 17);
    let wh = HOST.len().max(15);
    let wl = width(&|m| m.client_id.len(), 15);
    let line = |group: &str, id: &str, instance: &str, client: &str, count: &str, host: &str| {
        let instance = if instances {
            format!("{instance:<wi$} ")
        } else {
            String::new()
        };
        format!("{group:<wg$} {id:<wc$} {instance}{host:<wh$} {client:<wl$} {count:<15} ")
    };
    lines.push(out_line(""));
    lines.push(out_line(line(
        "GROUP",
        "CONSUMER-ID",
        "GROUP-INSTANCE-ID",
        "CLIENT-ID",
        "#PARTITIONS",
        "HOST",
    )));
    let mut members: Vec<_> = g.members.iter().collect();
    members.sort_by_key(|m| std::cmp::Reverse(m.partitions.len()));
    for m in members {
        lines.push(out_line(line(
            &g.group_id,
            &m.member_id,
            m.instance_id.as_deref().unwrap_or("-"),
            &m.client_id,
            &m.partitions.len().to_string(),
            HOST,
        )));
    }
    lines
}

/// `--describe --state`: the group's coordinator, assignor, state and size.
fn describe_state(
    g: &GroupModel,
    topics: &[TopicDescription],
    endpoints: &Endpoints,
) -> Vec<Effect> {
    let (mut lines, _) = state_notice(g, 1);
    if g.state == "Dead" {
        return lines;
    }
    let coordinator = coordinator_of(&g.group_id, topics, endpoints);
    let wg = g.group_id.len().max(15);
    let wc = coordinator.len().max(25);
    let line = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        format!("{a:<wg$} {b:<wc$} {c:<20} {d:<20} {e}")
    };
    lines.push(out_line(""));
    lines.push(out_line(line(
        "GROUP",
        "COORDINATOR (ID)",
        "ASSIGNMENT-STRATEGY",
        "STATE",
        "#MEMBERS",
    )));
    lines.push(out_line(""));
    lines.push(out_line(line(
        &g.group_id,
        &coordinator,
        g.assignor
            .as_deref()
            .filter(|a| !a.is_empty())
            .unwrap_or("-"),
        &g.state,
        &g.members.len().to_string(),
    )));
    lines
}

/// `host:port  (id)` of the broker leading the group's partition of
/// `__consumer_offsets` (`abs(groupId.hashCode()) % partitions`). Broker
/// `n` listens `n - 1` ports after the bootstrap broker, as
/// `make serve-native` lays them out.
fn coordinator_of(group: &str, topics: &[TopicDescription], endpoints: &Endpoints) -> String {
    let hash = group
        .encode_utf16()
        .fold(0_i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)));
    let offsets = topics.iter().find(|t| t.name == "__consumer_offsets");
    let count = offsets.map_or(50, |t| t.partitions.len().max(1));
    // Kafka's Utils.abs: Integer.MIN_VALUE maps to 0.
    let positive = if hash == i32::MIN { 0 } else { hash.abs() };
    let partition = usize::try_from(positive).unwrap_or(0) % count;
    let leader = offsets
        .and_then(|t| t.partitions.get(partition))
        .and_then(|p| p.leader)
        .unwrap_or(1);
    let (host, port) = endpoints
        .bootstrap
        .rsplit_once(':')
        .map_or(("localhost", 9092), |(h, p)| (h, p.parse().unwrap_or(9092)));
    format!("{host}:{}  ({leader})", port + leader - 1)
}

/// The reset's table: `%n%-30s %-30s %-10s %-15s` for the header and each
/// row.
fn reset_table(group: &str, planned: &[(String, i32, i64)]) -> Vec<Effect> {
    if planned.is_empty() {
        return Vec::new();
    }
    let line = |a: &str, b: &str, c: &str, d: &str| format!("{a:<30} {b:<30} {c:<10} {d:<15}");
    let mut lines = vec![
        out_line(""),
        out_line(line("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET")),
    ];
    for (topic, partition, offset) in planned {
        lines.push(out_line(line(
            group,
            topic,
            &partition.to_string(),
            &offset.to_string(),
        )));
    }
    lines
}

/// `--delete`'s report: Kafka 4.0 quotes the whole list once.
fn deleted(results: &[(String, Option<CommandError>)]) -> Vec<Effect> {
    let ok: Vec<&str> = results
        .iter()
        .filter(|(_, e)| e.is_none())
        .map(|(g, _)| g.as_str())
        .collect();
    let failed: Vec<(&String, &CommandError)> = results
        .iter()
        .filter_map(|(g, e)| e.as_ref().map(|e| (g, e)))
        .collect();
    if failed.is_empty() {
        return vec![out_line(format!(
            "Deletion of requested consumer groups ('{}') was successful.",
            ok.join(", ")
        ))];
    }
    let mut lines = error("Deletion of some consumer groups failed:");
    for (group, e) in failed {
        let exception = match &e.code {
            ErrorCode::Kafka(code) => exception_of(code),
            _ => "org.apache.kafka.common.KafkaException".to_owned(),
        };
        lines.push(out_line(format!(
            "* Group '{group}' could not be deleted due to: {exception}: {}",
            e.message
        )));
    }
    if !ok.is_empty() {
        lines.push(out_line(""));
        lines.push(out_line(format!(
            "These consumer groups were deleted successfully: '{}'",
            ok.join("', '")
        )));
    }
    lines
}
