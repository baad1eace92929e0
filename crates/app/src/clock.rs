//! Time per scope. Live mode runs on the wall clock, always. A test-mode
//! business has a test clock: wall time plus an offset that only grows,
//! moved by [`App::advance_clock`], which steps through every job that
//! falls due on the way, in due order, so trials, expiries and webhook
//! retries can be walked in seconds.
//!
//! Offsets are read from the store and kept for [`FRESH_FOR`]; this
//! process updates its copy whenever it moves a clock, so only another
//! node's advance can be seen that much late.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Instant;

use kassa_core::id::BusinessId;
use kassa_core::tenancy::{Mode, Scope};
use time::{Duration, OffsetDateTime};

use crate::{App, AppError};

/// How long a read offset is trusted.
const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(1);
/// How long one step of an advance waits for the jobs due at it.
const STEP_PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

/// Known test-clock offsets by business.
#[derive(Default)]
pub(crate) struct Offsets(RwLock<HashMap<BusinessId, (Duration, Instant)>>);

impl Offsets {
    fn get(&self, business: &BusinessId) -> Option<Duration> {
        let map = self.0.read().expect("offsets lock");
        map.get(business)
            .filter(|(_, at)| at.elapsed() < FRESH_FOR)
            .map(|(offset, _)| *offset)
    }

    fn put(&self, business: &BusinessId, offset: Duration) {
        let mut map = self.0.write().expect("offsets lock");
        map.insert(business.clone(), (offset, Instant::now()));
    }
}

/// A test clock as `GET /kassa/test-clock` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockState {
    pub now: OffsetDateTime,
    pub offset: Duration,
}

/// Where an advance goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advance {
    By(Duration),
    To(OffsetDateTime),
}

impl App {
    /// Now, by the scope's clock.
    pub async fn now_in(&self, scope: &Scope) -> Result<OffsetDateTime, AppError> {
        let wall = self.now();
        if scope.mode == Mode::Live {
            return Ok(wall);
        }
        Ok(wall + self.offset(&scope.business).await?)
    }

    async fn offset(&self, business: &BusinessId) -> Result<Duration, AppError> {
        if let Some(offset) = self.offsets.get(business) {
            return Ok(offset);
        }
        let offset = self.store.clock_offset(business).await?;
        self.offsets.put(business, offset);
        Ok(offset)
    }

    /// The scope's test clock (test mode only).
    pub async fn test_clock(&self, scope: &Scope) -> Result<ClockState, AppError> {
        test_only(scope)?;
        let offset = self.store.clock_offset(&scope.business).await?;
        self.offsets.put(&scope.business, offset);
        Ok(ClockState {
            now: self.now() + offset,
            offset,
        })
    }

    /// Moves the scope's test clock forward, stopping at each job that
    /// falls due on the way until the workers have run it (and whatever it
    /// scheduled that falls due before the target): `(clock, jobs run)`.
    /// A target before the clock's now is refused.
    pub async fn advance_clock(
        &self,
        scope: &Scope,
        advance: Advance,
    ) -> Result<(ClockState, u64), AppError> {
        let start = self.test_clock(scope).await?;
        let target = match advance {
            Advance::By(by) if by.is_negative() => return Err(backwards()),
            Advance::By(by) => start.now + by,
            Advance::To(to) if to < start.now => return Err(backwards()),
            Advance::To(to) => to,
        };
        let mut runs = 0;
        while let Some((due, _)) = self.store.next_due(scope, target).await? {
            // Counted before the clock moves: once it has, a worker may run
            // and reschedule a job before a second look could see it.
            if let Some((_, n)) = self.store.next_due(scope, due).await? {
                runs += n;
            }
            self.move_clock(scope, due).await?;
            self.wake_deliveries();
            let waited = Instant::now();
            while self.store.next_due(scope, due).await?.is_some() {
                if waited.elapsed() > STEP_PATIENCE {
                    tracing::warn!(business = %scope.business, "jobs due on a test clock did not run in time");
                    return Ok((self.test_clock(scope).await?, runs));
                }
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        }
        self.move_clock(scope, target).await?;
        Ok((self.test_clock(scope).await?, runs))
    }

    /// Sets the clock to `to` unless it is already past it.
    async fn move_clock(&self, scope: &Scope, to: OffsetDateTime) -> Result<(), AppError> {
        let offset = to - self.now();
        let now = self.store.advance_clock(&scope.business, offset).await?;
        self.offsets.put(&scope.business, now);
        Ok(())
    }
}

fn test_only(scope: &Scope) -> Result<(), AppError> {
    match scope.mode {
        Mode::Test => Ok(()),
        Mode::Live => Err(AppError::TestModeOnly("the test clock")),
    }
}

fn backwards() -> AppError {
    AppError::unusable("by", "a test clock never runs backwards")
}
