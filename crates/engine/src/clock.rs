//! The injected clock every part of the engine reads time from.
//!
//! `SystemTime::now()` panics on `wasm32-unknown-unknown`, and a clock that
//! moves by itself would make scenarios impossible to replay, so engine time
//! is a plain number of milliseconds since the Unix epoch that only the
//! caller moves forward: the UI from `performance.now()` or a step button,
//! the native server from the system clock, tests by hand.

use std::fmt;

/// Milliseconds since the Unix epoch, the unit Kafka uses for record
/// timestamps, `retention.ms`, `session.timeout.ms` and the like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(pub i64);

impl Millis {
    /// The time `ms` milliseconds after this one, saturating instead of
    /// overflowing so a huge user-entered delay cannot panic the engine.
    #[must_use]
    pub fn plus(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }

    /// Milliseconds elapsed from `earlier` to `self` (negative if `earlier`
    /// is in fact later).
    #[must_use]
    pub fn since(self, earlier: Self) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

/// A monotonic clock advanced only by its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    now: Millis,
}

impl Clock {
    /// A clock that starts at `start`.
    #[must_use]
    pub fn starting_at(start: Millis) -> Self {
        Self { now: start }
    }

    /// The current engine time.
    #[must_use]
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Moves time forward by `ms` milliseconds. Negative steps are ignored:
    /// engine time never runs backwards, whatever the caller's clock does.
    pub fn advance(&mut self, ms: i64) -> Millis {
        if ms > 0 {
            self.now = self.now.plus(ms);
        }
        self.now
    }

    /// Moves time forward to `to`, or leaves it where it is if `to` is in
    /// the past (a host clock that stepped back must not rewind the engine).
    pub fn advance_to(&mut self, to: Millis) -> Millis {
        if to > self.now {
            self.now = to;
        }
        self.now
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::starting_at(Millis(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_only_forward() {
        let mut clock = Clock::starting_at(Millis(1_000));
        assert_eq!(clock.advance(250), Millis(1_250));
        assert_eq!(clock.advance(-500), Millis(1_250));
        assert_eq!(clock.advance_to(Millis(900)), Millis(1_250));
        assert_eq!(clock.advance_to(Millis(2_000)), Millis(2_000));
        assert_eq!(clock.now().since(Millis(1_000)), 1_000);
    }

    #[test]
    fn saturates_instead_of_overflowing() {
        let mut clock = Clock::starting_at(Millis(i64::MAX - 1));
        assert_eq!(clock.advance(10), Millis(i64::MAX));
        assert_eq!(Millis(i64::MIN).since(Millis(1)), i64::MIN);
    }
}
