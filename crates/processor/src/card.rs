//! Card input checks (Luhn, expiry, CVC, brand) and the summary Kassa keeps.

use std::fmt;

/// What a customer typed. Dropped as soon as it is checked.
pub struct CardInput<'a> {
    pub number: &'a str,
    pub exp_month: u32,
    /// Two or four digits.
    pub exp_year: u32,
    pub cvc: &'a str,
    pub holder: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardBrand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    Jcb,
    Diners,
    Rupay,
}

impl CardBrand {
    /// Dodo's `card_network` spelling.
    pub fn network(self) -> &'static str {
        match self {
            CardBrand::Visa => "Visa",
            CardBrand::Mastercard => "Mastercard",
            CardBrand::Amex => "AmericanExpress",
            CardBrand::Discover => "Discover",
            CardBrand::Jcb => "JCB",
            CardBrand::Diners => "DinersClub",
            CardBrand::Rupay => "RuPay",
        }
    }

    /// By issuer identification number prefix.
    fn of(digits: &str) -> Option<CardBrand> {
        let p = |n: usize| digits.get(..n).and_then(|s| s.parse::<u32>().ok());
        Some(match (p(1)?, p(2)?, p(3)?, p(4)?) {
            (4, ..) => CardBrand::Visa,
            (_, 34 | 37, ..) => CardBrand::Amex,
            (_, 51..=55, ..) | (.., 2221..=2720) => CardBrand::Mastercard,
            (_, 60, ..) if digits.starts_with("6011") => CardBrand::Discover,
            (_, 65, ..) | (_, _, 644..=649, _) => CardBrand::Discover,
            (_, 60 | 81 | 82, ..) | (_, _, 508, _) => CardBrand::Rupay,
            (_, 35, ..) => CardBrand::Jcb,
            (_, 36 | 38 | 30, ..) => CardBrand::Diners,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Funding {
    Credit,
    Debit,
}

/// Why a card cannot be charged at all (shown next to the field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("Your card number is invalid.")]
    InvalidNumber,
    #[error("This card brand is not supported.")]
    UnsupportedBrand,
    #[error("Your card's expiration date is invalid.")]
    InvalidExpiry,
    #[error("Your card has expired.")]
    Expired,
    #[error("Your card's security code is invalid.")]
    InvalidCvc,
}

impl CardError {
    /// The form field the error belongs to.
    pub fn field(self) -> &'static str {
        match self {
            CardError::InvalidNumber | CardError::UnsupportedBrand => "card_number",
            CardError::InvalidExpiry | CardError::Expired => "card_expiry",
            CardError::InvalidCvc => "card_cvc",
        }
    }
}

/// A checked card, PAN included, alive only for the charge. Its `Debug`
/// shows the last four digits and nothing more.
pub struct Card {
    pan: String,
    summary: StoredCard,
}

/// All Kassa keeps of a card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCard {
    pub brand: CardBrand,
    pub last_four: String,
    pub exp_month: u32,
    pub exp_year: u32,
    pub holder: Option<String>,
}

impl Card {
    /// Checks a typed card against `today` (year, month).
    pub fn parse(input: &CardInput<'_>, today: (i32, u32)) -> Result<Card, CardError> {
        let digits: String = input
            .number
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if !(12..=19).contains(&digits.len())
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || !luhn(&digits)
        {
            return Err(CardError::InvalidNumber);
        }
        let brand = CardBrand::of(&digits).ok_or(CardError::UnsupportedBrand)?;
        let year = match input.exp_year {
            y @ 0..=99 => 2000 + y,
            y @ 2000..=2100 => y,
            _ => return Err(CardError::InvalidExpiry),
        };
        if !(1..=12).contains(&input.exp_month) {
            return Err(CardError::InvalidExpiry);
        }
        if (year as i32, input.exp_month) < today {
            return Err(CardError::Expired);
        }
        let cvc_len = if brand == CardBrand::Amex { 4 } else { 3 };
        if input.cvc.len() != cvc_len || !input.cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CardError::InvalidCvc);
        }
        Ok(Card {
            summary: StoredCard {
                brand,
                last_four: digits[digits.len() - 4..].to_owned(),
                exp_month: input.exp_month,
                exp_year: year,
                holder: input.holder.map(str::to_owned),
            },
            pan: digits,
        })
    }

    /// Only processors read the full number.
    pub(crate) fn pan(&self) -> &str {
        &self.pan
    }

    pub fn summary(&self) -> &StoredCard {
        &self.summary
    }

    pub fn into_summary(self) -> StoredCard {
        self.summary
    }
}

impl fmt::Debug for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Card({:?} •••• {})",
            self.summary.brand, self.summary.last_four
        )
    }
}

/// The Luhn checksum used by every card network.
pub fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(number: &str) -> CardInput<'_> {
        CardInput {
            number,
            exp_month: 6,
            exp_year: 32,
            cvc: "123",
            holder: None,
        }
    }

    #[test]
    fn brands_and_luhn_of_the_documented_test_cards() {
        for (number, brand) in [
            ("4242 4242 4242 4242", CardBrand::Visa),
            ("5555 5555 5555 4444", CardBrand::Mastercard),
            ("5409 1626 6938 1034", CardBrand::Mastercard),
            ("4576 2389 1277 1450", CardBrand::Visa),
            ("2223 0031 2200 3222", CardBrand::Mastercard),
        ] {
            let card = Card::parse(&input(number), (2026, 11)).unwrap();
            assert_eq!(card.summary().brand, brand, "{number}");
        }
        assert_eq!(
            Card::parse(&input("4242 4242 4242 4241"), (2026, 11)).unwrap_err(),
            CardError::InvalidNumber
        );
    }

    #[test]
    fn expiry_and_cvc_are_checked() {
        let mut card = input("4242424242424242");
        card.exp_year = 2026;
        card.exp_month = 10;
        assert_eq!(
            Card::parse(&card, (2026, 11)).unwrap_err(),
            CardError::Expired
        );
        card.exp_month = 11;
        assert!(Card::parse(&card, (2026, 11)).is_ok());
        card.cvc = "12";
        assert_eq!(
            Card::parse(&card, (2026, 11)).unwrap_err(),
            CardError::InvalidCvc
        );
        card.cvc = "123";
        card.exp_month = 13;
        assert_eq!(
            Card::parse(&card, (2026, 11)).unwrap_err(),
            CardError::InvalidExpiry
        );
    }

    #[test]
    fn only_the_last_four_digits_are_kept_or_shown() {
        let card = Card::parse(&input("4242 4242 4242 4242"), (2026, 1)).unwrap();
        assert_eq!(format!("{card:?}"), "Card(Visa •••• 4242)");
        let kept = card.into_summary();
        assert_eq!(kept.last_four, "4242");
        assert!(!format!("{kept:?}").contains("42424242"));
    }
}
