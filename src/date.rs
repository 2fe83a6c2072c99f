//! Calendar dates, the only notion of time a sanctions decision needs.
//!
//! Designations, delistings, relations and licences are dated to the day, and a decision is taken
//! as of one day; no time zones or clocks are involved, so a small validated type does the job.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A proleptic Gregorian date, ordered chronologically.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid date; write it as YYYY-MM-DD, e.g. 2024-03-01")]
pub struct DateError {
    text: String,
}

impl Date {
    /// The date `year-month-day`, if it exists on the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The day after this one (the same day at the end of year 65535, which no list reaches).
    pub fn next_day(self) -> Date {
        Date::new(self.year, self.month, self.day + 1)
            .or_else(|| Date::new(self.year, self.month + 1, 1))
            .or_else(|| Date::new(self.year.checked_add(1)?, 1, 1))
            .unwrap_or(self)
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Date, DateError> {
        let error = || DateError {
            text: text.to_owned(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return Err(error());
        }
        let field = |range: std::ops::Range<usize>| {
            text.get(range)
                .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|digits| digits.parse::<u16>().ok())
        };
        let (Some(year), Some(month), Some(day)) = (field(0..4), field(5..7), field(8..10)) else {
            return Err(error());
        };
        Date::new(year, month as u8, day as u8).ok_or_else(error)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders_real_dates() {
        let listed: Date = "2018-09-13".parse().unwrap();
        let paid: Date = "2024-03-01".parse().unwrap();
        assert!(listed < paid);
        assert_eq!(listed.to_string(), "2018-09-13");
        assert!("2024-02-29".parse::<Date>().is_ok());
    }

    #[test]
    fn rejects_impossible_dates() {
        for text in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "24-03-01",
            "2024-3-1",
            "2024-03-01x",
        ] {
            assert!(text.parse::<Date>().is_err(), "{text} should be rejected");
        }
    }
}
