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
#[error("`{text}` is not a valid date: {reason}")]
pub struct DateError {
    text: String,
    /// What is wrong, in words: the layout, the month, or the day of that month.
    reason: String,
}

/// The English name of a month, for messages.
fn month_name(month: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(usize::from(month.saturating_sub(1)))
        .copied()
        .unwrap_or("that month")
}

/// Why `year-month-day` (each a valid number) is not on the calendar.
fn calendar_reason(year: u16, month: u8, day: u8) -> String {
    if !(1..=12).contains(&month) {
        return format!("there is no month {month}; dates are written YYYY-MM-DD");
    }
    let last = (28..=31)
        .rev()
        .find(|d| Date::new(year, month, *d).is_some())
        .unwrap_or(28);
    format!(
        "{day} is not a day of {} {year}, which has {last} days (dates are written YYYY-MM-DD)",
        month_name(month)
    )
}

impl Date {
    /// The earliest year a written date may have: births, incorporations and instruments of the
    /// 19th century still appear on lists; an earlier year is a typo.
    pub const FIRST_PLAUSIBLE_YEAR: u16 = 1800;
    /// The latest year a written date may have: licences and contracts run decades, not
    /// centuries.
    pub const LAST_PLAUSIBLE_YEAR: u16 = 2199;

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

    /// Days since 0000-03-01 of the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
    fn day_number(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era
    }

    /// The date of a day number (the inverse of `day_number`), if its year fits.
    fn from_day_number(number: i64) -> Option<Date> {
        let era = number.div_euclid(146_097);
        let day_of_era = number - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// The date `days` days later (earlier when negative), if it is on the calendar.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_day_number(self.day_number().checked_add(days)?)
    }

    /// The date `months` months later (earlier when negative): the same day of the month, or the
    /// month's last day when it is shorter (31 January plus one month is 28 or 29 February).
    pub fn add_months(self, months: i64) -> Option<Date> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        let year = u16::try_from(index.div_euclid(12)).ok()?;
        let month = u8::try_from(index.rem_euclid(12) + 1).ok()?;
        (1..=self.day)
            .rev()
            .find_map(|day| Date::new(year, month, day))
    }

    /// Days from `earlier` to this date (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.day_number() - earlier.day_number()
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Date, DateError> {
        let error = || DateError {
            text: text.to_owned(),
            reason: String::from("write it as YYYY-MM-DD, e.g. 2024-03-01"),
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
        let (month, day) = (month as u8, day as u8);
        let date = Date::new(year, month, day).ok_or_else(|| DateError {
            text: text.to_owned(),
            reason: calendar_reason(year, month, day),
        })?;
        if !(Date::FIRST_PLAUSIBLE_YEAR..=Date::LAST_PLAUSIBLE_YEAR).contains(&year) {
            return Err(DateError {
                text: text.to_owned(),
                reason: format!(
                    "it is outside the years {}–{}: probably a typo (a year written `0024` for \
                     `2024`), or a placeholder such as 9999-12-31 for \"no end\", which is written \
                     by leaving the date out",
                    Date::FIRST_PLAUSIBLE_YEAR,
                    Date::LAST_PLAUSIBLE_YEAR
                ),
            });
        }
        Ok(date)
    }
}

impl Date {
    /// `YYYY-MM-DD` as ASCII digits, for any year below 10,000 (every year a date parses to).
    fn digits(self) -> Option<[u8; 10]> {
        let (year, month, day) = (self.year, u16::from(self.month), u16::from(self.day));
        if year > 9999 || month > 99 || day > 99 {
            return None;
        }
        let digit = |n: u16| b'0' + (n % 10) as u8;
        Some([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ])
    }

    /// Appends the date as [`fmt::Display`] writes it: decisions write several dates into
    /// sentences they build, and this skips the formatting machinery (the same text).
    pub(crate) fn push_to(self, out: &mut String) {
        match self.digits() {
            Some(text) => out.extend(text.iter().map(|&digit| char::from(digit))),
            None => {
                use fmt::Write as _;
                let _ = write!(out, "{self}");
            }
        }
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`. Every decision writes several dates, so the digits are laid out directly
    /// rather than through the formatting machinery (the same text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.digits() {
            Some(text) => f.write_str(std::str::from_utf8(&text).unwrap_or_default()),
            None => write!(
                f,
                "{:04}-{:02}-{:02}",
                self.year,
                u16::from(self.month),
                u16::from(self.day)
            ),
        }
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
    fn writes_every_date_as_four_two_and_two_digits() {
        for (year, month, day) in [(24, 3, 4), (999, 12, 31), (2024, 1, 9), (9999, 10, 10)] {
            let date = Date::new(year, month, day).unwrap();
            let expected = format!("{year:04}-{month:02}-{day:02}");
            assert_eq!(date.to_string(), expected);
        }
        assert_eq!(Date::new(12345, 6, 7).unwrap().to_string(), "12345-06-07");
    }

    #[test]
    fn rejects_implausible_years() {
        for text in [
            "0024-03-04",
            "0000-01-01",
            "9999-12-31",
            "1799-12-31",
            "2200-01-01",
        ] {
            let error = text.parse::<Date>().unwrap_err();
            assert!(
                error.to_string().contains("outside the years 1800–2199"),
                "{error}"
            );
        }
        assert!("1800-01-01".parse::<Date>().is_ok());
        assert!("2199-12-31".parse::<Date>().is_ok());
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

    #[test]
    fn moves_by_days_and_months_across_month_ends_and_leap_years() {
        let date = |text: &str| text.parse::<Date>().unwrap();
        assert_eq!(date("2024-02-28").add_days(1), Some(date("2024-02-29")));
        assert_eq!(date("2024-03-01").add_days(-1), Some(date("2024-02-29")));
        assert_eq!(date("2025-03-24").add_days(-30), Some(date("2025-02-22")));
        assert_eq!(date("2024-12-31").add_days(1), Some(date("2025-01-01")));
        assert_eq!(date("2024-01-31").add_months(1), Some(date("2024-02-29")));
        assert_eq!(date("2025-03-31").add_months(-1), Some(date("2025-02-28")));
        assert_eq!(date("2024-02-29").add_months(12), Some(date("2025-02-28")));
        assert_eq!(date("2025-03-24").days_since(date("2025-03-03")), 21);
        assert_eq!(date("2000-03-01").days_since(date("1999-03-01")), 366);
        assert_eq!(Date::new(0, 1, 1).and_then(|d| d.add_days(-1)), None);
    }

    #[test]
    fn says_which_day_or_month_does_not_exist() {
        let message = |text: &str| text.parse::<Date>().unwrap_err().to_string();
        assert_eq!(
            message("2025-02-30"),
            "`2025-02-30` is not a valid date: 30 is not a day of February 2025, which has 28 days (dates are written YYYY-MM-DD)"
        );
        assert!(message("2024-02-30").contains("February 2024, which has 29 days"));
        assert!(message("2024-04-31").contains("31 is not a day of April 2024"));
        assert!(message("2024-13-01").contains("there is no month 13"));
        assert!(message("2024-3-1").contains("write it as YYYY-MM-DD"));
    }
}
