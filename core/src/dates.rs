//! Postgres day numbers (days since 2000-01-01) to and from civil dates, for the
//! summaries' text form. Proleptic Gregorian (H. Hinnant's algorithm).

const PG_EPOCH_FROM_UNIX: i64 = 10957;

pub fn civil_from_pg_days(d: i32) -> (i64, u32, u32) {
    let z = d as i64 + PG_EPOCH_FROM_UNIX + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, day)
}

pub fn pg_days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468 - PG_EPOCH_FROM_UNIX
}

pub fn format_pg_date(d: i32) -> String {
    let (y, m, day) = civil_from_pg_days(d);
    format!("{y:04}-{m:02}-{day:02}")
}

pub fn parse_pg_date(s: &str) -> Option<i32> {
    let mut it = s.splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = pg_days_from_civil(y, m, d);
    // reject dates like 2026-02-30 that do not round-trip
    (civil_from_pg_days(days as i32) == (y, m, d)).then_some(days as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(format_pg_date(0), "2000-01-01");
        assert_eq!(format_pg_date(59), "2000-02-29"); // leap year
        assert_eq!(format_pg_date(-1), "1999-12-31");
        assert_eq!(parse_pg_date("2026-06-30"), Some(9677));
        assert_eq!(parse_pg_date("2026-02-30"), None);
        for d in -700_000..800_000 {
            if d % 997 == 0 {
                assert_eq!(parse_pg_date(&format_pg_date(d)), Some(d));
            }
        }
    }
}
