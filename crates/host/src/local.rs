//! [`LocalEngine`]: the answerer of local mode, the engine inside the
//! page's Web Worker. It owns the clock: time runs at a speed while
//! playing, stands still while paused, and steps on request. The worker
//! feeds it wall-clock milliseconds ([`LocalEngine::tick`]); the engine
//! itself never reads a clock, so a run with the same seed, commands and
//! ticks replays exactly.
//!
//! It keeps that run as a journal — every command as the request text it
//! came in, every stretch of time the clock moved — which is the local
//! engine's whole state as a [`port::scenario::Scenario`]: exported to a
//! file or the page's storage, and imported by replaying it on a fresh
//! engine that replaces this one only if the whole replay succeeds.

use engine::clock::Millis;
use port::scenario::{Scenario, FORMAT, SCENARIO_VERSION};
use port::{
    decode, ClockCommand, ClockModel, Command, CommandError, EngineInfo, ErrorCode, FromEngine,
    Mode, Outcome, Query, Reply, ToEngine, ViewModel,
};

use crate::engine_ops::boot_local;
use crate::session::{Answerer, Session};
use crate::{models, Engine};

/// Engine time local mode starts at (2026-01-01T00:00:00Z), so record
/// timestamps look like real ones.
pub const LOCAL_START: Millis = Millis(1_767_225_600_000);

/// The slowest and fastest clock speeds.
pub const SPEEDS: (f64, f64) = (0.1, 100.0);

/// The longest wall-clock gap one tick turns into engine time (a tab in
/// the background is throttled; its clock should not leap minutes ahead).
const MAX_TICK_MS: f64 = 1_000.0;

/// The most journal text kept: beyond it the session is too long to save
/// (an exported scenario must fit in one port message).
pub const MAX_JOURNAL_BYTES: usize = 600_000;

/// The most entries a scenario may have.
pub const MAX_SCENARIO_ENTRIES: usize = 200_000;

/// The most engine time a scenario may replay: one hour.
pub const MAX_SCENARIO_MS: i64 = 3_600_000;

/// The most records a replay may leave in the cluster's logs.
pub const MAX_SCENARIO_RECORDS: i64 = 5_000_000;

/// The engine of local mode and its clock.
#[derive(Debug, Clone)]
pub struct LocalEngine {
    engine: Engine,
    seed: u64,
    running: bool,
    speed: f64,
    /// Engine milliseconds owed by past ticks but not yet whole.
    carry: f64,
    journal: Journal,
    /// While a scenario replays: importing or exporting one is refused.
    replaying: bool,
}

/// What happened since boot, as scenario entries.
#[derive(Debug, Clone, Default)]
struct Journal {
    entries: Vec<String>,
    /// The last entry's time run, if it is one: `(ms, times)`.
    run: Option<(i64, u64)>,
    bytes: usize,
    /// Too long to keep: nothing more is written.
    full: bool,
}

impl Journal {
    fn push(&mut self, entry: String) {
        if self.full {
            return;
        }
        self.bytes += entry.len() + 3;
        if self.bytes > MAX_JOURNAL_BYTES || self.entries.len() >= MAX_SCENARIO_ENTRIES {
            self.full = true;
            return;
        }
        self.entries.push(entry);
    }

    fn command(&mut self, text: &str) {
        self.run = None;
        self.push(text.to_owned());
    }

    /// Engine time moved by `ms`: `+MS`, or one more of the last `+MSxN`.
    fn advance(&mut self, ms: i64) {
        match &mut self.run {
            Some((last, times)) if *last == ms && !self.full => {
                *times += 1;
                if let Some(entry) = self.entries.last_mut() {
                    self.bytes -= entry.len();
                    *entry = format!("+{ms}x{times}");
                    self.bytes += entry.len();
                }
            }
            _ => {
                self.push(format!("+{ms}"));
                self.run = Some((ms, 1));
            }
        }
    }
}

impl LocalEngine {
    /// A fresh engine from `seed`, with its clock running at 1×.
    ///
    /// # Errors
    ///
    /// The engine's, if its registry or Connect worker cannot start.
    pub fn boot(seed: u64) -> Result<Self, CommandError> {
        Ok(Self {
            engine: boot_local(seed, LOCAL_START)?,
            seed,
            running: true,
            speed: 1.0,
            carry: 0.0,
            journal: Journal::default(),
            replaying: false,
        })
    }

    /// The engine.
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// `wall_ms` of real time passed: engine time moves by `wall_ms ×
    /// speed` while the clock runs.
    pub fn tick(&mut self, wall_ms: f64) {
        if !self.running || !wall_ms.is_finite() || wall_ms <= 0.0 {
            return;
        }
        self.carry += wall_ms.min(MAX_TICK_MS) * self.speed;
        let whole = self.carry.floor();
        if whole >= 1.0 {
            self.carry -= whole;
            // `whole` ≤ MAX_TICK_MS × the fastest speed: it fits.
            #[allow(clippy::cast_possible_truncation)]
            let ms = whole as i64;
            self.engine.advance(ms);
            self.engine.collect_events();
            self.journal.advance(ms);
        }
    }

    /// The clock as the port shows it.
    #[must_use]
    pub fn clock(&self) -> ClockModel {
        ClockModel {
            now: self.engine.playground().now().0,
            running: self.running,
            speed: self.speed,
            controllable: true,
            seed: Some(self.seed),
        }
    }

    /// This engine's state as a scenario file.
    ///
    /// # Errors
    ///
    /// When the session grew too long to keep.
    pub fn export(&self) -> Result<String, CommandError> {
        if self.journal.full {
            return Err(CommandError::invalid(format!(
                "this session is too long to save (over {} KB of commands and clock ticks): start a new scenario to record again",
                MAX_JOURNAL_BYTES / 1_000
            )));
        }
        let scenario = Scenario {
            format: FORMAT.to_owned(),
            version: SCENARIO_VERSION,
            seed: self.seed,
            running: self.running,
            speed: self.speed,
            entries: self.journal.entries.clone(),
        };
        let text = port::encode(&scenario);
        // The reply carries the text as a JSON string: quotes escaped.
        let escaped = text.len() + text.bytes().filter(|b| matches!(b, b'"' | b'\\')).count();
        if escaped + 1_024 > port::MAX_MESSAGE_BYTES {
            return Err(CommandError::invalid(format!(
                "this session is too long to save ({escaped} bytes, a message holds {}): start a new scenario to record again",
                port::MAX_MESSAGE_BYTES
            )));
        }
        Ok(text)
    }

    /// The engine a scenario replays to. `keep_going` is asked between
    /// entries; when it says no (the caller's time limit), the import is
    /// refused.
    ///
    /// # Errors
    ///
    /// Why the scenario is refused: it does not parse, names another
    /// format or version, is too large, replays too much, or ran out of
    /// time. Nothing of `self` changes either way.
    pub fn replay(text: &str, keep_going: &mut dyn FnMut() -> bool) -> Result<Self, CommandError> {
        Self::replay_with(text, MAX_SCENARIO_RECORDS, keep_going)
    }

    /// [`LocalEngine::replay`] with another bound on the records a replay
    /// may leave in the logs.
    ///
    /// # Errors
    ///
    /// As [`LocalEngine::replay`].
    pub fn replay_with(
        text: &str,
        max_records: i64,
        keep_going: &mut dyn FnMut() -> bool,
    ) -> Result<Self, CommandError> {
        let refuse =
            |why: String| CommandError::invalid(format!("this scenario cannot be opened: {why}"));
        let scenario: Scenario =
            decode(text).map_err(|e| refuse(format!("it is not a scenario file ({e})")))?;
        if scenario.format != FORMAT {
            return Err(refuse(format!(
                "its format is {:?}, not {FORMAT:?}",
                scenario.format
            )));
        }
        if scenario.version != SCENARIO_VERSION {
            return Err(refuse(format!(
                "it is version {}; this page reads version {SCENARIO_VERSION}",
                scenario.version
            )));
        }
        check_speed(scenario.speed).map_err(|e| refuse(e.message))?;
        if scenario.entries.len() > MAX_SCENARIO_ENTRIES {
            return Err(refuse(format!(
                "{} entries, at most {MAX_SCENARIO_ENTRIES}",
                scenario.entries.len()
            )));
        }
        // Each time entry read once: `Some((ms, times))`, `None` for a command.
        let times = scenario
            .entries
            .iter()
            .enumerate()
            .map(|(n, entry)| {
                entry
                    .strip_prefix('+')
                    .map(read_time)
                    .transpose()
                    .map_err(|why| refuse(format!("entry {} {why}", n + 1)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let total = times
            .iter()
            .flatten()
            .map(|(ms, times)| ms.saturating_mul(i64::try_from(*times).unwrap_or(i64::MAX)))
            .fold(0_i64, i64::saturating_add);
        if total > MAX_SCENARIO_MS {
            return Err(refuse(format!(
                "it replays {} s of engine time, at most {} s",
                total / 1_000,
                MAX_SCENARIO_MS / 1_000
            )));
        }
        let mut local = Self::boot(scenario.seed)?;
        local.replaying = true;
        let start = local.engine.playground().now();
        // Commands go through a session, as they came from the page.
        let mut session = Session::new();
        session.on_message(
            ToEngine::Hello {
                version: port::VERSION,
                client: "scenario".into(),
            },
            &mut local,
        );
        for (n, (entry, time)) in scenario.entries.iter().zip(times).enumerate() {
            if !keep_going() {
                return Err(refuse("its replay took too long".to_owned()));
            }
            if let Some((ms, times)) = time {
                for _ in 0..times {
                    local.engine.advance(ms);
                    local.engine.collect_events();
                    local.journal.advance(ms);
                }
            } else {
                let out = session.on_text(entry, &mut local);
                // A command that failed then fails again: it is part of what
                // happened. Anything but a command's reply is refused.
                match out.messages.first() {
                    Some(FromEngine::Reply {
                        outcome: Outcome::Err { error },
                        ..
                    }) if error.message == NESTED => {
                        return Err(refuse(format!(
                            "entry {} is not a command a scenario records",
                            n + 1
                        )));
                    }
                    Some(FromEngine::Reply { .. }) => {}
                    Some(FromEngine::ProtocolError { reason }) => {
                        return Err(refuse(format!(
                            "entry {} is not a port request ({reason})",
                            n + 1
                        )));
                    }
                    _ => {
                        return Err(refuse(format!(
                            "entry {} is not a command a scenario records",
                            n + 1
                        )))
                    }
                }
            }
            if local.engine.playground().now().since(start) > MAX_SCENARIO_MS {
                return Err(refuse(format!(
                    "it replays more than {} s of engine time",
                    MAX_SCENARIO_MS / 1_000
                )));
            }
            if records(&local.engine) > max_records {
                return Err(refuse(format!(
                    "its replay holds more than {max_records} records"
                )));
            }
        }
        local.replaying = false;
        local.running = scenario.running;
        local.speed = scenario.speed;
        Ok(local)
    }
}

/// Records in every partition's log.
fn records(engine: &Engine) -> i64 {
    models::cluster(engine)
        .topics
        .iter()
        .flat_map(|t| &t.partitions)
        .map(|p| p.log_end_offset - p.log_start_offset)
        .sum()
}

/// `MS` or `MSxN` (after the `+`): a stretch of engine time, `N` times.
fn read_time(time: &str) -> Result<(i64, u64), String> {
    let (ms, times) = time.split_once('x').unwrap_or((time, "1"));
    let bad = || format!("\"+{time}\" is not +MS or +MSxN");
    let ms: i64 = ms.parse().map_err(|_| bad())?;
    let times: u64 = times.parse().map_err(|_| bad())?;
    if !(1..=100_000).contains(&ms) || times == 0 {
        return Err(format!(
            "\"+{time}\" moves time by 1 to 100000 ms at least once"
        ));
    }
    Ok((ms, times))
}

/// What a replay answers a scenario inside a scenario.
const NESTED: &str = "a scenario cannot open or save a scenario while it replays";

/// Whether a command changes the engine (and so belongs in the journal).
fn journaled(command: &Command) -> bool {
    !matches!(
        command,
        Command::Clock(_)
            | Command::ExportScenario
            | Command::ImportScenario { .. }
            // Reads: nothing to replay.
            | Command::FindRecords { .. }
            | Command::ListOffsets { .. }
            | Command::DescribeProducerConfigs { .. }
            | Command::DescribeTopics { .. }
            | Command::Fetch { .. }
            | Command::DescribeGroups { .. }
            | Command::DescribeConfigs { .. }
    )
}

/// Whether `factor` is a clock speed the engine runs at ([`SPEEDS`]).
///
/// # Errors
///
/// The refusal, naming the range.
pub fn check_speed(factor: f64) -> Result<(), CommandError> {
    if factor.is_finite() && (SPEEDS.0..=SPEEDS.1).contains(&factor) {
        Ok(())
    } else {
        Err(CommandError::new(
            ErrorCode::InvalidRequest,
            format!("the speed is {}× to {}×", SPEEDS.0, SPEEDS.1),
        ))
    }
}

impl Answerer for LocalEngine {
    fn info(&self) -> EngineInfo {
        EngineInfo {
            mode: Mode::Local,
            name: concat!(
                "kafka-playground ",
                env!("CARGO_PKG_VERSION"),
                " in this browser tab"
            )
            .to_owned(),
            bootstrap: None,
            schema_registry: None,
            connect: None,
            clock_control: true,
        }
    }

    fn execute(&mut self, command: Command) -> Result<Reply, CommandError> {
        match command {
            Command::Step { ms } => {
                self.engine.check_step(ms)?;
                self.engine.advance(ms);
                self.engine.collect_events();
                Ok(Reply::Clock(self.clock()))
            }
            Command::Clock(clock) => {
                match clock {
                    ClockCommand::Play => self.running = true,
                    ClockCommand::Pause => self.running = false,
                    ClockCommand::Speed { factor } => {
                        check_speed(factor)?;
                        self.speed = factor;
                    }
                }
                Ok(Reply::Clock(self.clock()))
            }
            Command::ExportScenario | Command::ImportScenario { .. } if self.replaying => {
                Err(CommandError::invalid(NESTED))
            }
            Command::ExportScenario => self.export().map(|text| Reply::Scenario { text }),
            Command::ImportScenario { text } => {
                *self = Self::replay(&text, &mut || true)?;
                Ok(Reply::Clock(self.clock()))
            }
            other => self.engine.apply(other),
        }
    }

    fn execute_text(&mut self, command: Command, text: &str) -> Result<Reply, CommandError> {
        if journaled(&command) {
            self.journal.command(text);
        }
        self.execute(command)
    }

    fn answer(&self, query: &Query) -> ViewModel {
        match query {
            Query::Clock => ViewModel::Clock(self.clock()),
            other => models::answer(&self.engine, other),
        }
    }
}
