//! The built-in `test` processor: deterministic outcomes by card number
//! (Dodo's documented test cards plus the usual 3DS and decline cards) and
//! by UPI address. Any other valid card succeeds.
//!
//! Like a real processor it keys every charge by the caller's reference
//! and remembers the outcome (in memory, for this process's life): a
//! reference that succeeded is never charged again, and
//! [`find_charge`](PaymentProcessor::find_charge) answers what became of
//! one, so a payment whose outcome Kassa failed to record can be
//! reconciled.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use kassa_core::id::random_base62;

use crate::{
    ChargeOutcome, ChargeRequest, DeclineReason, PaymentMethod, PaymentProcessor, ProcessorError,
};

/// What a test card does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Behaviour {
    Succeed,
    Decline(DeclineReason),
    /// Asks for a 3-D Secure challenge, then follows the customer's answer.
    Challenge,
    /// Succeeds with the customer present; declines off-session charges
    /// (renewals, plan changes).
    DeclineOffSession,
}

/// Card numbers with a fixed outcome (sources in shared test-cards.md:
/// Dodo's testing page first, then the common Stripe conventions).
const CARDS: &[(&str, Behaviour)] = &[
    ("4242424242424242", Behaviour::Succeed),
    ("5555555555554444", Behaviour::Succeed),
    ("4576238912771450", Behaviour::Succeed),
    ("5409162669381034", Behaviour::Succeed),
    (
        "4000000000000002",
        Behaviour::Decline(DeclineReason::CardDeclined),
    ),
    (
        "4000000000009995",
        Behaviour::Decline(DeclineReason::InsufficientFunds),
    ),
    (
        "4706131211212123",
        Behaviour::Decline(DeclineReason::CardDeclined),
    ),
    (
        "5105105105105100",
        Behaviour::Decline(DeclineReason::CardDeclined),
    ),
    ("4000000000000341", Behaviour::DeclineOffSession),
    ("4000002500003155", Behaviour::Challenge),
    ("4000002760003184", Behaviour::Challenge),
    ("4000000000003220", Behaviour::Challenge),
    (
        "4000000000009987",
        Behaviour::Decline(DeclineReason::LostCard),
    ),
    (
        "4000000000009979",
        Behaviour::Decline(DeclineReason::StolenCard),
    ),
    (
        "4000000000000069",
        Behaviour::Decline(DeclineReason::ExpiredCard),
    ),
    (
        "4000000000000127",
        Behaviour::Decline(DeclineReason::IncorrectCvc),
    ),
    (
        "4000000000000119",
        Behaviour::Decline(DeclineReason::ProcessingError),
    ),
];

/// Saved-card tokens carry their card's behaviour, as challenge references
/// carry theirs: `tok_<behaviour>_<random>`.
const TOKEN_PREFIX: &str = "tok_";

/// A behaviour's name inside a token, and back.
const BEHAVIOUR_NAMES: &[(&str, Behaviour)] = &[
    ("ok", Behaviour::Succeed),
    ("declined", Behaviour::Decline(DeclineReason::CardDeclined)),
    (
        "funds",
        Behaviour::Decline(DeclineReason::InsufficientFunds),
    ),
    ("lost", Behaviour::Decline(DeclineReason::LostCard)),
    ("stolen", Behaviour::Decline(DeclineReason::StolenCard)),
    ("expired", Behaviour::Decline(DeclineReason::ExpiredCard)),
    ("cvc", Behaviour::Decline(DeclineReason::IncorrectCvc)),
    ("error", Behaviour::Decline(DeclineReason::ProcessingError)),
    ("offsession", Behaviour::DeclineOffSession),
    ("3ds", Behaviour::Challenge),
];

/// Challenge references start so; each maps to the charge it belongs to.
const CHALLENGE_PREFIX: &str = "3ds_";

/// Outcomes by the caller's reference, and which reference a pending
/// challenge belongs to.
#[derive(Debug, Default)]
struct Ledger {
    charges: HashMap<String, ChargeOutcome>,
    challenges: HashMap<String, String>,
}

#[derive(Debug, Default)]
pub struct TestProcessor {
    ledger: Mutex<Ledger>,
}

impl TestProcessor {
    fn behaviour(method: &PaymentMethod) -> Behaviour {
        match method {
            PaymentMethod::Card(card) => CARDS
                .iter()
                .find(|(number, _)| *number == card.pan())
                .map_or(Behaviour::Succeed, |(_, b)| *b),
            PaymentMethod::Upi { vpa } => match vpa.as_str() {
                "failure@upi" => Behaviour::Decline(DeclineReason::CardDeclined),
                _ => Behaviour::Succeed,
            },
            PaymentMethod::Saved { token } => token
                .strip_prefix(TOKEN_PREFIX)
                .and_then(|rest| rest.split_once('_'))
                .and_then(|(name, _)| BEHAVIOUR_NAMES.iter().find(|(n, _)| *n == name))
                .map_or(
                    Behaviour::Decline(DeclineReason::ProcessingError),
                    |(_, b)| *b,
                ),
        }
    }

    fn succeeded() -> ChargeOutcome {
        ChargeOutcome::Succeeded {
            processor_reference: format!("test_{}", random_base62(21)),
        }
    }
}

#[async_trait]
impl PaymentProcessor for TestProcessor {
    fn name(&self) -> &'static str {
        "test"
    }

    fn takes_live_payments(&self) -> bool {
        false
    }

    async fn charge(&self, request: &ChargeRequest) -> Result<ChargeOutcome, ProcessorError> {
        let mut ledger = self.ledger.lock().map_err(|_| poisoned())?;
        if let Some(done @ ChargeOutcome::Succeeded { .. }) = ledger.charges.get(&request.reference)
        {
            return Ok(done.clone());
        }
        let behaviour = Self::behaviour(&request.method);
        let outcome = match behaviour {
            Behaviour::Decline(reason) => ChargeOutcome::Declined { reason },
            Behaviour::DeclineOffSession if request.off_session => ChargeOutcome::Declined {
                reason: DeclineReason::CardDeclined,
            },
            // A saved card that wants 3-D Secure cannot be charged unattended.
            Behaviour::Challenge if request.off_session => ChargeOutcome::Declined {
                reason: DeclineReason::AuthenticationFailed,
            },
            Behaviour::Challenge => ChargeOutcome::RequiresAction {
                challenge: format!("{CHALLENGE_PREFIX}{}", random_base62(21)),
            },
            _ if request.force_3ds && !request.off_session => ChargeOutcome::RequiresAction {
                challenge: format!("{CHALLENGE_PREFIX}{}", random_base62(21)),
            },
            Behaviour::Succeed | Behaviour::DeclineOffSession => Self::succeeded(),
        };
        if let ChargeOutcome::RequiresAction { challenge } = &outcome {
            ledger
                .challenges
                .insert(challenge.clone(), request.reference.clone());
        }
        ledger
            .charges
            .insert(request.reference.clone(), outcome.clone());
        Ok(outcome)
    }

    async fn find_charge(&self, reference: &str) -> Result<Option<ChargeOutcome>, ProcessorError> {
        let ledger = self.ledger.lock().map_err(|_| poisoned())?;
        Ok(ledger.charges.get(reference).cloned())
    }

    fn reusable(&self, method: &PaymentMethod) -> Option<String> {
        match method {
            PaymentMethod::Card(_) | PaymentMethod::Saved { .. } => {
                let behaviour = Self::behaviour(method);
                let (name, _) = BEHAVIOUR_NAMES.iter().find(|(_, b)| *b == behaviour)?;
                Some(format!("{TOKEN_PREFIX}{name}_{}", random_base62(16)))
            }
            PaymentMethod::Upi { .. } => None,
        }
    }

    async fn complete_challenge(
        &self,
        challenge: &str,
        passed: bool,
    ) -> Result<ChargeOutcome, ProcessorError> {
        let mut ledger = self.ledger.lock().map_err(|_| poisoned())?;
        let reference = match ledger.challenges.get(challenge) {
            Some(reference) if challenge.starts_with(CHALLENGE_PREFIX) => reference.clone(),
            _ => return Err(ProcessorError::UnknownChallenge(challenge.to_owned())),
        };
        // Answered once: a second answer gets the first one's outcome.
        if let Some(done) = ledger.charges.get(&reference)
            && !matches!(done, ChargeOutcome::RequiresAction { .. })
        {
            return Ok(done.clone());
        }
        let outcome = if passed {
            Self::succeeded()
        } else {
            ChargeOutcome::Declined {
                reason: DeclineReason::AuthenticationFailed,
            }
        };
        ledger.charges.insert(reference, outcome.clone());
        Ok(outcome)
    }
}

fn poisoned() -> ProcessorError {
    ProcessorError::Unavailable("the test processor's ledger was poisoned".to_owned())
}

#[cfg(test)]
mod tests {
    use kassa_core::money::{Currency, Money};

    use super::*;
    use crate::{Card, CardInput};

    fn card(number: &str) -> PaymentMethod {
        let input = CardInput {
            number,
            exp_month: 12,
            exp_year: 34,
            cvc: "123",
            holder: Some("Ada"),
        };
        PaymentMethod::Card(Card::parse(&input, (2026, 11)).unwrap())
    }

    async fn charge(method: PaymentMethod, off_session: bool) -> ChargeOutcome {
        let request = ChargeRequest {
            reference: "pay_x".into(),
            amount: Money::new(1_000, Currency::parse("USD").unwrap()),
            method,
            off_session,
            force_3ds: false,
        };
        TestProcessor::default().charge(&request).await.unwrap()
    }

    #[tokio::test]
    async fn documented_cards_have_their_documented_outcomes() {
        assert!(matches!(
            charge(card("4242424242424242"), false).await,
            ChargeOutcome::Succeeded { .. }
        ));
        assert_eq!(
            charge(card("4000000000000002"), false).await,
            ChargeOutcome::Declined {
                reason: DeclineReason::CardDeclined
            }
        );
        assert_eq!(
            charge(card("4000000000009995"), false).await,
            ChargeOutcome::Declined {
                reason: DeclineReason::InsufficientFunds
            }
        );
        assert!(matches!(
            charge(card("4000002500003155"), false).await,
            ChargeOutcome::RequiresAction { .. }
        ));
    }

    #[tokio::test]
    async fn the_renewal_failure_card_declines_only_off_session() {
        assert!(matches!(
            charge(card("4000000000000341"), false).await,
            ChargeOutcome::Succeeded { .. }
        ));
        assert!(matches!(
            charge(card("4000000000000341"), true).await,
            ChargeOutcome::Declined { .. }
        ));
    }

    #[tokio::test]
    async fn upi_addresses_decide_by_name() {
        let upi = |vpa: &str| PaymentMethod::Upi { vpa: vpa.into() };
        assert!(matches!(
            charge(upi("success@upi"), false).await,
            ChargeOutcome::Succeeded { .. }
        ));
        assert!(matches!(
            charge(upi("failure@upi"), false).await,
            ChargeOutcome::Declined { .. }
        ));
    }

    fn request(reference: &str, method: PaymentMethod) -> ChargeRequest {
        ChargeRequest {
            reference: reference.into(),
            amount: Money::new(1_000, Currency::USD),
            method,
            off_session: false,
            force_3ds: false,
        }
    }

    #[tokio::test]
    async fn a_challenge_follows_the_customers_first_answer() {
        let p = TestProcessor::default();
        let challenge_of = |outcome| match outcome {
            ChargeOutcome::RequiresAction { challenge } => challenge,
            other => panic!("expected a challenge, got {other:?}"),
        };
        let passed = challenge_of(
            p.charge(&request("pay_a", card("4000000000003220")))
                .await
                .unwrap(),
        );
        assert!(matches!(
            p.complete_challenge(&passed, true).await.unwrap(),
            ChargeOutcome::Succeeded { .. }
        ));
        assert!(
            matches!(
                p.complete_challenge(&passed, false).await.unwrap(),
                ChargeOutcome::Succeeded { .. }
            ),
            "a second answer changes nothing"
        );
        let failed = challenge_of(
            p.charge(&request("pay_b", card("4000000000003220")))
                .await
                .unwrap(),
        );
        assert_eq!(
            p.complete_challenge(&failed, false).await.unwrap(),
            ChargeOutcome::Declined {
                reason: DeclineReason::AuthenticationFailed
            }
        );
        assert!(p.complete_challenge("nope", true).await.is_err());
        assert!(
            TestProcessor::default()
                .complete_challenge(&passed, true)
                .await
                .is_err(),
            "a challenge is known only to the processor that issued it"
        );
    }

    #[tokio::test]
    async fn a_reference_that_succeeded_is_never_charged_again_and_can_be_looked_up() {
        let p = TestProcessor::default();
        assert_eq!(p.find_charge("pay_a").await.unwrap(), None);
        let first = p
            .charge(&request("pay_a", card("4242424242424242")))
            .await
            .unwrap();
        assert!(matches!(first, ChargeOutcome::Succeeded { .. }));
        let again = p
            .charge(&request("pay_a", card("4000000000000002")))
            .await
            .unwrap();
        assert_eq!(again, first, "the second charge returns the first");
        assert_eq!(p.find_charge("pay_a").await.unwrap(), Some(first));
        let declined = p
            .charge(&request("pay_b", card("4000000000000002")))
            .await
            .unwrap();
        assert_eq!(p.find_charge("pay_b").await.unwrap(), Some(declined));
    }

    #[tokio::test]
    async fn a_saved_card_keeps_its_behaviour_and_wants_no_card_number() {
        let p = TestProcessor::default();
        let charge = |method, off_session| ChargeRequest {
            reference: kassa_core::id::PaymentId::generate().to_string(),
            amount: Money::new(100, Currency::USD),
            method,
            off_session,
            force_3ds: false,
        };
        let ok = p.reusable(&card("4242424242424242")).unwrap();
        assert!(ok.starts_with("tok_ok_") && !ok.contains("4242"));
        let saved = |token: &str| PaymentMethod::Saved {
            token: token.to_owned(),
        };
        assert!(matches!(
            p.charge(&charge(saved(&ok), true)).await.unwrap(),
            ChargeOutcome::Succeeded { .. }
        ));
        let funds = p.reusable(&card("4000000000009995")).unwrap();
        assert_eq!(
            p.charge(&charge(saved(&funds), true)).await.unwrap(),
            ChargeOutcome::Declined {
                reason: DeclineReason::InsufficientFunds
            }
        );
        let three_ds = p.reusable(&card("4000000000003220")).unwrap();
        assert_eq!(
            p.charge(&charge(saved(&three_ds), true)).await.unwrap(),
            ChargeOutcome::Declined {
                reason: DeclineReason::AuthenticationFailed
            },
            "unattended, a 3-D Secure card cannot pass its challenge"
        );
        assert!(
            p.reusable(&PaymentMethod::Upi {
                vpa: "success@upi".into()
            })
            .is_none()
        );
    }
}
