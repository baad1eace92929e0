//! The rate table: parsing the CSV and choosing the rows for a sale.

use crate::DomainError;
use crate::catalog::TaxCategory;
use crate::country::Country;

use super::TaxRate;

const BUILTIN: &str = include_str!("rates.csv");

/// One named tax of a sale (Canada's GST and PST are two components).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TaxComponent {
    pub name: String,
    pub rate: TaxRate,
}

#[derive(Clone, Debug)]
struct Row {
    country: Country,
    /// `None` for the whole country.
    region: Option<String>,
    /// `None` for every category.
    category: Option<TaxCategory>,
    component: TaxComponent,
}

/// A parsed rate table. Lookups pick the most specific rows that match:
/// region and category, then region, then category, then the country.
#[derive(Clone, Debug)]
pub struct TaxTable {
    as_of: String,
    rows: Vec<Row>,
}

impl TaxTable {
    /// The table compiled into Kassa (`rates.csv`, with its sources).
    pub fn builtin() -> TaxTable {
        TaxTable::parse(BUILTIN).expect("the built-in tax table parses")
    }

    /// The date the table's rates were checked (`@as_of` line).
    pub fn as_of(&self) -> &str {
        &self.as_of
    }

    /// Parses `country,region,category,rate_ppm,name` lines; `#` comments,
    /// one `@as_of,YYYY-MM-DD` line.
    pub fn parse(text: &str) -> Result<TaxTable, DomainError> {
        let mut as_of = String::new();
        let mut rows = Vec::new();
        for (n, line) in data_lines(text, &mut as_of) {
            let at = |reason: String| DomainError::invalid(format!("line {n}"), reason);
            let cols: Vec<&str> = line.splitn(5, ',').map(str::trim).collect();
            let [country, region, category, ppm, name] = cols[..] else {
                return Err(at("expected country,region,category,rate_ppm,name".into()));
            };
            let category = match category {
                "*" => None,
                c => Some(parse_category(c).ok_or_else(|| at(format!("unknown category `{c}`")))?),
            };
            let ppm: i64 = ppm
                .parse()
                .map_err(|_| at(format!("`{ppm}` is not an integer")))?;
            rows.push(Row {
                country: Country::parse(country).map_err(|e| at(e.to_string()))?,
                region: (region != "*").then(|| region.to_owned()),
                category,
                component: TaxComponent {
                    name: name.to_owned(),
                    rate: TaxRate::from_ppm(ppm).map_err(|e| at(e.to_string()))?,
                },
            });
        }
        Ok(TaxTable { as_of, rows })
    }

    /// The taxes on a sale of `category` to a consumer in `country`
    /// (`region`: ISO 3166-2 suffix such as `ON` or `CA`). Empty when the
    /// table knows no tax there.
    pub fn components(
        &self,
        country: Country,
        region: Option<&str>,
        category: TaxCategory,
    ) -> Vec<TaxComponent> {
        let in_country: Vec<&Row> = self.rows.iter().filter(|r| r.country == country).collect();
        let region = region.map(str::to_ascii_uppercase);
        let tiers: [(Option<&str>, bool); 4] = [
            (region.as_deref(), true),
            (region.as_deref(), false),
            (None, true),
            (None, false),
        ];
        for (want_region, want_category) in tiers {
            let chosen: Vec<TaxComponent> = in_country
                .iter()
                .filter(|r| r.region.as_deref() == want_region)
                .filter(|r| match (want_category, r.category) {
                    (true, Some(c)) => c == category,
                    (false, None) => true,
                    _ => false,
                })
                .map(|r| r.component.clone())
                .collect();
            if !chosen.is_empty() {
                return chosen;
            }
        }
        Vec::new()
    }

    /// The combined rate of [`components`](Self::components).
    pub fn rate(&self, country: Country, region: Option<&str>, category: TaxCategory) -> TaxRate {
        self.components(country, region, category)
            .iter()
            .try_fold(TaxRate::ZERO, |sum, c| sum.checked_add(c.rate))
            .unwrap_or(TaxRate::ZERO)
    }
}

fn parse_category(s: &str) -> Option<TaxCategory> {
    Some(match s {
        "digital_products" => TaxCategory::DigitalProducts,
        "saas" => TaxCategory::Saas,
        "e_book" => TaxCategory::EBook,
        "edtech" => TaxCategory::Edtech,
        "live_tutoring" => TaxCategory::LiveTutoring,
        _ => return None,
    })
}

/// The data lines of an operator's CSV table, trimmed, with their 1-based
/// line numbers: blank and `#` lines skipped, an `@as_of,YYYY-MM-DD` line
/// stored in `as_of`. Shared by the tax table and the exchange rates.
pub(crate) fn data_lines<'a>(text: &'a str, as_of: &mut String) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_prefix("@as_of,") {
            Some(date) => *as_of = date.trim().to_owned(),
            None => out.push((n + 1, line)),
        }
    }
    out
}
