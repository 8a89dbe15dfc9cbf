//! [`LocalEngine`]: the answerer of local mode, the engine inside the
//! page's Web Worker. It owns the clock: time runs at a speed while
//! playing, stands still while paused, and steps on request. The worker
//! feeds it wall-clock milliseconds ([`LocalEngine::tick`]); the engine
//! itself never reads a clock, so a run with the same seed, commands and
//! ticks replays exactly.

use engine::clock::Millis;
use port::{ClockCommand, ClockModel, Command, CommandError, EngineInfo, ErrorCode, Mode, Query, Reply, ViewModel};

use crate::engine_ops::boot_local;
use crate::session::Answerer;
use crate::{models, Engine};

/// Engine time local mode starts at (2026-01-01T00:00:00Z), so record
/// timestamps look like real ones.
pub const LOCAL_START: Millis = Millis(1_767_225_600_000);

/// The slowest and fastest clock speeds.
pub const SPEEDS: (f64, f64) = (0.1, 100.0);

/// The longest wall-clock gap one tick turns into engine time (a tab in
/// the background is throttled; its clock should not leap minutes ahead).
const MAX_TICK_MS: f64 = 1_000.0;

/// The engine of local mode and its clock.
#[derive(Debug, Clone)]
pub struct LocalEngine {
    engine: Engine,
    running: bool,
    speed: f64,
    /// Engine milliseconds owed by past ticks but not yet whole.
    carry: f64,
}

impl LocalEngine {
    /// A fresh engine from `seed`, with its clock running at 1×.
    ///
    /// # Errors
    ///
    /// The engine's, if its registry or Connect worker cannot start.
    pub fn boot(seed: u64) -> Result<Self, CommandError> {
        Ok(Self { engine: boot_local(seed, LOCAL_START)?, running: true, speed: 1.0, carry: 0.0 })
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
            self.engine.advance(whole as i64);
            self.engine.collect_events();
        }
    }

    /// The clock as the port shows it.
    #[must_use]
    pub fn clock(&self) -> ClockModel {
        ClockModel { now: self.engine.playground().now().0, running: self.running, speed: self.speed, controllable: true }
    }
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
        Err(CommandError::new(ErrorCode::InvalidRequest, format!("the speed is {}× to {}×", SPEEDS.0, SPEEDS.1)))
    }
}

impl Answerer for LocalEngine {
    fn info(&self) -> EngineInfo {
        EngineInfo {
            mode: Mode::Local,
            name: concat!("kafka-playground ", env!("CARGO_PKG_VERSION"), " in this browser tab").to_owned(),
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
            other => self.engine.apply(other),
        }
    }

    fn answer(&self, query: &Query) -> ViewModel {
        match query {
            Query::Clock => ViewModel::Clock(self.clock()),
            other => models::answer(&self.engine, other),
        }
    }
}
