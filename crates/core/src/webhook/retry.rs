//! When a failed delivery is tried again.

use time::Duration;

use crate::DomainError;

/// Delays before each attempt, the first counted from the event and each
/// later one from the failure before it. Each dialect has its own; an
/// operator or a test may configure one for all.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RetrySchedule(Vec<Duration>);

impl RetrySchedule {
    /// A schedule of these delays; the first attempt is immediate
    /// whatever `delays` starts with.
    pub fn new(delays: &[Duration]) -> RetrySchedule {
        let mut all = vec![Duration::ZERO];
        all.extend(delays.iter().copied().skip_while(|d| d.is_zero()));
        RetrySchedule(all)
    }

    /// A comma-separated list of delays like `0,5s,5m,30m,2h` (units ms, s,
    /// m, h; a bare number is seconds). The first must be 0.
    pub fn parse(text: &str) -> Result<RetrySchedule, DomainError> {
        let bad = |why: String| DomainError::invalid("webhook retry schedule", why);
        let delays = text
            .split(',')
            .map(|part| {
                let part = part.trim();
                let (digits, unit) = part
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or((part, ""), |at| part.split_at(at));
                let n: i64 = digits
                    .parse()
                    .map_err(|_| bad(format!("`{part}` is not a delay")))?;
                Ok(match unit {
                    "ms" => Duration::milliseconds(n),
                    "" | "s" => Duration::seconds(n),
                    "m" => Duration::minutes(n),
                    "h" => Duration::hours(n),
                    other => return Err(bad(format!("unknown unit `{other}` in `{part}`"))),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if delays.first() != Some(&Duration::ZERO) {
            return Err(bad("the first attempt must be immediate (0)".into()));
        }
        Ok(RetrySchedule(delays))
    }

    /// How many attempts a delivery gets before it is marked failed.
    pub fn attempts(&self) -> u32 {
        self.0.len() as u32
    }

    /// The wait after the `made`-th failed attempt, or `None` when it was
    /// the last one.
    pub fn after_failure(&self, made: u32) -> Option<Duration> {
        self.0.get(made as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_counts_its_immediate_first_attempt_and_ends_after_the_last_delay() {
        let s = RetrySchedule::new(&[Duration::seconds(5), Duration::minutes(5)]);
        assert_eq!(s.attempts(), 3);
        assert_eq!(s.after_failure(1), Some(Duration::seconds(5)));
        assert_eq!(s.after_failure(2), Some(Duration::minutes(5)));
        assert_eq!(s.after_failure(3), None);
        assert_eq!(s, RetrySchedule::parse("0,5s,5m").unwrap());
        assert_eq!(
            s,
            RetrySchedule::new(&[Duration::ZERO, Duration::seconds(5), Duration::minutes(5)])
        );
    }

    #[test]
    fn a_schedule_must_start_immediately_and_name_known_units() {
        assert!(RetrySchedule::parse("5s,10s").is_err());
        assert!(RetrySchedule::parse("0,5d").is_err());
        assert!(RetrySchedule::parse("0,x").is_err());
        let fast = RetrySchedule::parse("0,100ms,100ms").unwrap();
        assert_eq!(fast.after_failure(1), Some(Duration::milliseconds(100)));
    }
}
