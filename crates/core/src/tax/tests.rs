use proptest::prelude::*;

use super::*;
use crate::catalog::TaxCategory::{DigitalProducts, EBook, Saas};
use crate::country::Country;

fn c(code: &str) -> Country {
    Country::parse(code).unwrap()
}

/// Published standard rates (see the sources in rates.csv), in percent × 1000.
#[test]
fn builtin_table_matches_published_rates_in_many_jurisdictions() {
    let table = TaxTable::builtin();
    let cases: &[(&str, Option<&str>, crate::catalog::TaxCategory, u32)] = &[
        ("DE", None, Saas, 190_000),
        ("DE", None, EBook, 70_000),
        ("FR", None, DigitalProducts, 200_000),
        ("FR", None, EBook, 55_000),
        ("HU", None, Saas, 270_000),
        ("FI", None, Saas, 255_000),
        ("IE", None, Saas, 230_000),
        ("LU", None, Saas, 170_000),
        ("GB", None, Saas, 200_000),
        ("IN", None, Saas, 180_000),
        ("AU", None, Saas, 100_000),
        ("NZ", None, Saas, 150_000),
        ("CA", None, Saas, 50_000),
        ("CA", Some("ON"), Saas, 130_000),
        ("CA", Some("BC"), Saas, 120_000),
        ("CA", Some("QC"), Saas, 149_750),
        ("US", Some("WA"), Saas, 65_000),
        ("US", Some("TX"), Saas, 62_500),
        ("US", Some("NY"), DigitalProducts, 40_000),
        ("US", Some("CA"), Saas, 0),
        ("US", None, Saas, 0),
    ];
    for (country, region, category, ppm) in cases {
        let got = table.rate(c(country), *region, *category).ppm();
        assert_eq!(got, *ppm, "{country} {region:?} {category:?}");
    }
    assert_eq!(table.as_of(), "2025-10-01");
}

#[test]
fn canadian_provinces_list_each_tax_they_stack() {
    let table = TaxTable::builtin();
    let names: Vec<String> = table
        .components(c("CA"), Some("bc"), Saas)
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["GST", "PST"]);
}

#[test]
fn a_country_outside_the_table_has_no_tax() {
    assert_eq!(TaxTable::builtin().rate(c("BR"), None, Saas), TaxRate::ZERO);
}

#[test]
fn an_operator_table_replaces_the_builtin_one_and_bad_rows_name_their_line() {
    let table = TaxTable::parse("@as_of,2026-01-01\nDE,*,*,160000,USt\n").unwrap();
    assert_eq!(table.rate(c("DE"), None, Saas).ppm(), 160_000);
    let err = TaxTable::parse("# x\nDE,*,*,abc,USt\n").unwrap_err();
    assert_eq!(err.field(), Some("line 2".into()));
    assert!(TaxTable::parse("DE,*,nonsense,1,X\n").is_err());
    assert!(TaxTable::parse("DE,*,*,1000001,X\n").is_err());
}

#[test]
fn exclusive_and_inclusive_tax_round_half_away_from_zero() {
    let vat = TaxRate::from_ppm(190_000).unwrap();
    assert_eq!(vat.on_net(1_000), 190);
    assert_eq!(vat.on_net(5), 1); // 0.95 -> 1
    assert_eq!(vat.within_gross(1_190), 190);
    assert_eq!(vat.within_gross(100), 16); // 100 / 1.19 = 84.03 -> 84
    assert_eq!(TaxRate::from_ppm(99_750).unwrap().basis_points(), 998);
    // True halves whose floor is even, where half-to-even would round down.
    assert_eq!(vat.on_net(150), 29); // 28.5 -> 29
    assert_eq!(vat.on_net(-150), -29); // -28.5 -> -29
    let ca_gst = TaxRate::from_ppm(50_000).unwrap();
    assert_eq!(ca_gst.on_net(50), 3); // 2.5 -> 3
    assert_eq!(ca_gst.on_net(-50), -3); // -2.5 -> -3
    let fr_e_book = TaxRate::from_ppm(55_000).unwrap();
    assert_eq!(fr_e_book.on_net(300), 17); // 16.5 -> 17
    // Inclusive: the net is what rounds. 15 / 1.2 = 12.5 -> 13, so the tax
    // is 2 (half-to-even: net 12, tax 3); 65 / 1.04 = 62.5 -> 63, tax 2.
    let gb_vat = TaxRate::from_ppm(200_000).unwrap();
    assert_eq!(gb_vat.within_gross(15), 2);
    assert_eq!(gb_vat.within_gross(-15), -2); // -12.5 -> -13
    let it_e_book = TaxRate::from_ppm(40_000).unwrap();
    assert_eq!(it_e_book.within_gross(65), 2);
}

#[test]
fn eu_vat_ids_are_checked_for_their_member_states_format() {
    for (raw, country) in [
        ("DE123456789", "DE"),
        ("de 123 456 789", "DE"),
        ("ATU12345678", "AT"),
        ("FRXX123456789", "FR"),
        ("NL123456789B01", "NL"),
        ("EL123456789", "GR"),
        ("ESX1234567X", "ES"),
        ("IE1234567WA", "IE"),
    ] {
        assert_eq!(
            EuVatId::parse(raw).unwrap().country().as_str(),
            country,
            "{raw}"
        );
    }
    for bad in [
        "DE12345678",
        "US123456789",
        "NL123456789X01",
        "AT12345678",
        "",
        "DE",
    ] {
        assert!(EuVatId::parse(bad).is_err(), "{bad}");
    }
}

proptest! {
    #[test]
    fn inclusive_tax_splits_gross_exactly(gross in 0i64..=i32::MAX as i64, ppm in 0i64..=1_000_000) {
        let rate = TaxRate::from_ppm(ppm).unwrap();
        let tax = rate.within_gross(gross);
        prop_assert!(tax >= 0 && tax <= gross);
        // Re-taxing the net lands within one minor unit of the gross.
        let net = gross - tax;
        prop_assert!((net + rate.on_net(net) - gross).abs() <= 1);
    }

    #[test]
    fn exclusive_tax_never_panics_or_goes_negative(net in 0i64..=i64::MAX / 2, ppm in 0i64..=1_000_000) {
        let tax = TaxRate::from_ppm(ppm).unwrap().on_net(net);
        prop_assert!(tax >= 0 && tax <= net);
    }
}
