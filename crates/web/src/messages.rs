//! The message catalog: every user-visible string in all five languages.
//!
//! Each message is one row of `[en, de, fr, es, ja]`, so a message cannot
//! exist without all its translations. `{days}` in [`Msg::FreeTrial`] is
//! replaced by the caller. German uses the formal "Sie", Spanish "tú".

use crate::i18n::Lang;

/// A translatable message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Msg {
    Checkout,
    PayNow,
    OrderSummary,
    Subtotal,
    Discount,
    Tax,
    TaxIncluded,
    Total,
    Quantity,
    FreeTrial,
    Subscription,
    ContactInformation,
    Email,
    FullName,
    PhoneNumber,
    BillingAddress,
    Country,
    SelectCountry,
    Street,
    City,
    State,
    Zipcode,
    BusinessDetails,
    TaxId,
    BusinessName,
    AdditionalInformation,
    SelectOption,
    Optional,
    Payment,
    PaymentMethod,
    CardNumber,
    CardExpiry,
    CardCvc,
    CardholderName,
    UpiId,
    DiscountCode,
    Apply,
    AppliedCodes,
    Back,
    TestMode,
    TestCardHint,
    ErrorSummary,
    ExpiredTitle,
    ExpiredBody,
    ExpiredHint,
    SuccessTitle,
    SuccessBody,
    PaymentId,
    AmountPaid,
    ReceiptSentTo,
    Continue,
    ChallengeTitle,
    ChallengeBody,
    Amount,
    CompleteAuthentication,
    FailAuthentication,
    NotFoundTitle,
    NotFoundBody,
    LinkProblemTitle,
    Currency,
    ChangeCurrency,
    TroubleTitle,
    TroubleBody,
}

impl Msg {
    /// Every message, for tests that check the whole catalog.
    pub const ALL: [Msg; 63] = [
        Msg::Checkout,
        Msg::PayNow,
        Msg::OrderSummary,
        Msg::Subtotal,
        Msg::Discount,
        Msg::Tax,
        Msg::TaxIncluded,
        Msg::Total,
        Msg::Quantity,
        Msg::FreeTrial,
        Msg::Subscription,
        Msg::ContactInformation,
        Msg::Email,
        Msg::FullName,
        Msg::PhoneNumber,
        Msg::BillingAddress,
        Msg::Country,
        Msg::SelectCountry,
        Msg::Street,
        Msg::City,
        Msg::State,
        Msg::Zipcode,
        Msg::BusinessDetails,
        Msg::TaxId,
        Msg::BusinessName,
        Msg::AdditionalInformation,
        Msg::SelectOption,
        Msg::Optional,
        Msg::Payment,
        Msg::PaymentMethod,
        Msg::CardNumber,
        Msg::CardExpiry,
        Msg::CardCvc,
        Msg::CardholderName,
        Msg::UpiId,
        Msg::DiscountCode,
        Msg::Apply,
        Msg::AppliedCodes,
        Msg::Back,
        Msg::TestMode,
        Msg::TestCardHint,
        Msg::ErrorSummary,
        Msg::ExpiredTitle,
        Msg::ExpiredBody,
        Msg::ExpiredHint,
        Msg::SuccessTitle,
        Msg::SuccessBody,
        Msg::PaymentId,
        Msg::AmountPaid,
        Msg::ReceiptSentTo,
        Msg::Continue,
        Msg::ChallengeTitle,
        Msg::ChallengeBody,
        Msg::Amount,
        Msg::CompleteAuthentication,
        Msg::FailAuthentication,
        Msg::NotFoundTitle,
        Msg::NotFoundBody,
        Msg::LinkProblemTitle,
        Msg::Currency,
        Msg::ChangeCurrency,
        Msg::TroubleTitle,
        Msg::TroubleBody,
    ];
}

/// The text of `msg` in `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    let row = row(msg);
    match lang {
        Lang::En => row[0],
        Lang::De => row[1],
        Lang::Fr => row[2],
        Lang::Es => row[3],
        Lang::Ja => row[4],
    }
}

#[rustfmt::skip]
fn row(msg: Msg) -> [&'static str; 5] {
    match msg {
        Msg::Checkout => ["Checkout", "Kasse", "Paiement", "Pago", "チェックアウト"],
        Msg::PayNow => ["Pay now", "Jetzt bezahlen", "Payer maintenant", "Pagar ahora", "今すぐ支払う"],
        Msg::OrderSummary => ["Order summary", "Bestellübersicht", "Récapitulatif de la commande", "Resumen del pedido", "注文内容"],
        Msg::Subtotal => ["Subtotal", "Zwischensumme", "Sous-total", "Subtotal", "小計"],
        Msg::Discount => ["Discount", "Rabatt", "Remise", "Descuento", "割引"],
        Msg::Tax => ["Tax", "Steuer", "Taxes", "Impuestos", "税金"],
        Msg::TaxIncluded => ["Tax (included)", "Steuer (inbegriffen)", "Taxes (incluses)", "Impuestos (incluidos)", "税金（込み）"],
        Msg::Total => ["Total", "Gesamt", "Total", "Total", "合計"],
        Msg::Quantity => ["Qty", "Menge", "Qté", "Cant.", "数量"],
        Msg::FreeTrial => ["{days}-day free trial", "{days} Tage kostenlos testen", "Essai gratuit de {days} jours", "Prueba gratuita de {days} días", "{days}日間の無料トライアル"],
        Msg::Subscription => ["Subscription", "Abonnement", "Abonnement", "Suscripción", "サブスクリプション"],
        Msg::ContactInformation => ["Contact information", "Kontaktdaten", "Coordonnées", "Información de contacto", "連絡先情報"],
        Msg::Email => ["Email", "E-Mail", "E-mail", "Correo electrónico", "メールアドレス"],
        Msg::FullName => ["Full name", "Vollständiger Name", "Nom complet", "Nombre completo", "氏名"],
        Msg::PhoneNumber => ["Phone number", "Telefonnummer", "Numéro de téléphone", "Número de teléfono", "電話番号"],
        Msg::BillingAddress => ["Billing address", "Rechnungsadresse", "Adresse de facturation", "Dirección de facturación", "請求先住所"],
        Msg::Country => ["Country", "Land", "Pays", "País", "国"],
        Msg::SelectCountry => ["Select a country", "Land auswählen", "Sélectionnez un pays", "Selecciona un país", "国を選択してください"],
        Msg::Street => ["Street address", "Straße und Hausnummer", "Adresse", "Dirección", "番地"],
        Msg::City => ["City", "Stadt", "Ville", "Ciudad", "市区町村"],
        Msg::State => ["State / Province", "Bundesland / Region", "État / Province", "Estado / Provincia", "都道府県"],
        Msg::Zipcode => ["Postal code", "Postleitzahl", "Code postal", "Código postal", "郵便番号"],
        Msg::BusinessDetails => ["Business details", "Firmenangaben", "Informations sur l’entreprise", "Datos de la empresa", "事業者情報"],
        Msg::TaxId => ["Tax ID", "Steuer-ID", "Numéro d’identification fiscale", "Número de identificación fiscal", "税務ID"],
        Msg::BusinessName => ["Business name", "Firmenname", "Raison sociale", "Nombre de la empresa", "事業者名"],
        Msg::AdditionalInformation => ["Additional information", "Weitere Angaben", "Informations complémentaires", "Información adicional", "追加情報"],
        Msg::SelectOption => ["Select an option", "Option auswählen", "Sélectionnez une option", "Selecciona una opción", "選択してください"],
        Msg::Optional => ["optional", "optional", "facultatif", "opcional", "任意"],
        Msg::Payment => ["Payment", "Zahlung", "Paiement", "Pago", "お支払い"],
        Msg::PaymentMethod => ["Payment method", "Zahlungsmethode", "Moyen de paiement", "Método de pago", "お支払い方法"],
        Msg::CardNumber => ["Card number", "Kartennummer", "Numéro de carte", "Número de tarjeta", "カード番号"],
        Msg::CardExpiry => ["Expiry date (MM/YY)", "Ablaufdatum (MM/JJ)", "Date d’expiration (MM/AA)", "Fecha de caducidad (MM/AA)", "有効期限（MM/YY）"],
        Msg::CardCvc => ["Security code (CVC)", "Prüfnummer (CVC)", "Cryptogramme visuel (CVC)", "Código de seguridad (CVC)", "セキュリティコード（CVC）"],
        Msg::CardholderName => ["Name on card", "Name auf der Karte", "Nom sur la carte", "Nombre en la tarjeta", "カード名義人"],
        Msg::UpiId => ["UPI ID", "UPI-ID", "Identifiant UPI", "ID de UPI", "UPI ID"],
        Msg::DiscountCode => ["Discount code", "Rabattcode", "Code promo", "Código de descuento", "割引コード"],
        Msg::Apply => ["Apply", "Anwenden", "Appliquer", "Aplicar", "適用"],
        Msg::AppliedCodes => ["Applied codes", "Angewendete Codes", "Codes appliqués", "Códigos aplicados", "適用済みのコード"],
        Msg::Back => ["Back", "Zurück", "Retour", "Volver", "戻る"],
        Msg::TestMode => ["Test mode", "Testmodus", "Mode test", "Modo de prueba", "テストモード"],
        Msg::TestCardHint => [
            "Test mode: use card 4242 4242 4242 4242 with any future expiry date and any CVC.",
            "Testmodus: Verwenden Sie die Karte 4242 4242 4242 4242 mit einem beliebigen zukünftigen Ablaufdatum und einer beliebigen Prüfnummer.",
            "Mode test : utilisez la carte 4242 4242 4242 4242 avec n’importe quelle date d’expiration future et n’importe quel cryptogramme.",
            "Modo de prueba: usa la tarjeta 4242 4242 4242 4242 con cualquier fecha de caducidad futura y cualquier CVC.",
            "テストモード：カード番号 4242 4242 4242 4242 と、将来の任意の有効期限、任意のCVCをご使用ください。",
        ],
        Msg::ErrorSummary => ["Please check the following:", "Bitte prüfen Sie Folgendes:", "Veuillez vérifier les points suivants :", "Revisa lo siguiente:", "以下の内容をご確認ください："],
        Msg::ExpiredTitle => ["Checkout expired", "Bezahlvorgang abgelaufen", "Paiement expiré", "Pago caducado", "チェックアウトの有効期限切れ"],
        Msg::ExpiredBody => ["This checkout session has expired.", "Diese Checkout-Sitzung ist abgelaufen.", "Cette session de paiement a expiré.", "Esta sesión de pago ha caducado.", "このチェックアウトセッションは有効期限が切れています。"],
        Msg::ExpiredHint => ["Please return to the merchant to start again.", "Bitte kehren Sie zum Händler zurück, um neu zu beginnen.", "Veuillez retourner sur le site du marchand pour recommencer.", "Vuelve a la tienda para empezar de nuevo.", "最初からやり直すには、販売者のサイトに戻ってください。"],
        Msg::SuccessTitle => ["Payment successful", "Zahlung erfolgreich", "Paiement réussi", "Pago realizado", "お支払いが完了しました"],
        Msg::SuccessBody => ["Thank you! Your payment has been received.", "Vielen Dank! Ihre Zahlung ist eingegangen.", "Merci ! Votre paiement a bien été reçu.", "¡Gracias! Hemos recibido tu pago.", "ありがとうございます。お支払いを受け付けました。"],
        Msg::PaymentId => ["Payment ID", "Zahlungs-ID", "Identifiant du paiement", "ID del pago", "支払いID"],
        Msg::AmountPaid => ["Amount paid", "Gezahlter Betrag", "Montant payé", "Importe pagado", "お支払い金額"],
        Msg::ReceiptSentTo => ["Receipt sent to", "Beleg gesendet an", "Reçu envoyé à", "Recibo enviado a", "領収書の送信先"],
        Msg::Continue => ["Continue", "Weiter", "Continuer", "Continuar", "続ける"],
        Msg::ChallengeTitle => ["Confirm your payment", "Zahlung bestätigen", "Confirmez votre paiement", "Confirma tu pago", "お支払いの確認"],
        Msg::ChallengeBody => [
            "Simulated 3-D Secure authentication. Choose the outcome of the challenge.",
            "Simulierte 3-D-Secure-Authentifizierung. Wählen Sie das Ergebnis der Prüfung.",
            "Authentification 3-D Secure simulée. Choisissez le résultat de la vérification.",
            "Autenticación 3-D Secure simulada. Elige el resultado de la verificación.",
            "3-Dセキュア認証のシミュレーションです。認証の結果を選択してください。",
        ],
        Msg::Amount => ["Amount", "Betrag", "Montant", "Importe", "金額"],
        Msg::CompleteAuthentication => ["Complete authentication", "Authentifizierung abschließen", "Valider l’authentification", "Completar la autenticación", "認証を完了する"],
        Msg::FailAuthentication => ["Fail authentication", "Authentifizierung fehlschlagen lassen", "Faire échouer l’authentification", "Hacer fallar la autenticación", "認証を失敗させる"],
        Msg::NotFoundTitle => ["Page not found", "Seite nicht gefunden", "Page introuvable", "Página no encontrada", "ページが見つかりません"],
        Msg::Currency => ["Currency", "Währung", "Devise", "Moneda", "通貨"],
        Msg::ChangeCurrency => ["Change currency", "Währung ändern", "Changer de devise", "Cambiar moneda", "通貨を変更"],
        Msg::LinkProblemTitle => ["This link cannot be used", "Dieser Link kann nicht verwendet werden", "Ce lien ne peut pas être utilisé", "Este enlace no se puede usar", "このリンクは使用できません"],
        Msg::TroubleTitle => ["Something went wrong", "Etwas ist schiefgelaufen", "Une erreur s’est produite", "Algo salió mal", "問題が発生しました"],
        Msg::TroubleBody => [
            "This could not be finished just now. Nothing is charged twice: please try again in a moment.",
            "Das konnte gerade nicht abgeschlossen werden. Nichts wird doppelt belastet: Bitte versuchen Sie es gleich noch einmal.",
            "Cette opération n’a pas pu aboutir pour le moment. Rien n’est débité deux fois : veuillez réessayer dans un instant.",
            "No se pudo completar ahora mismo. No se cobra nada dos veces: vuelve a intentarlo en un momento.",
            "現在、処理を完了できませんでした。二重に請求されることはありません。しばらくしてからもう一度お試しください。",
        ],
        Msg::NotFoundBody => [
            "The page you are looking for does not exist or is no longer available.",
            "Die gesuchte Seite existiert nicht oder ist nicht mehr verfügbar.",
            "La page demandée n’existe pas ou n’est plus disponible.",
            "La página que buscas no existe o ya no está disponible.",
            "お探しのページは存在しないか、すでに利用できません。",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_translated_into_every_language() {
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                assert!(!t(lang, msg).trim().is_empty(), "{msg:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn translations_differ_from_english_except_for_shared_words() {
        let same_everywhere = [Msg::UpiId, Msg::Optional];
        for msg in Msg::ALL
            .into_iter()
            .filter(|m| !same_everywhere.contains(m))
        {
            for lang in [Lang::De, Lang::Ja] {
                assert_ne!(t(lang, msg), t(Lang::En, msg), "{msg:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn the_trial_message_has_a_days_placeholder_in_every_language() {
        for lang in Lang::ALL {
            assert!(t(lang, Msg::FreeTrial).contains("{days}"), "{lang:?}");
        }
    }

    #[test]
    fn key_phrases_are_the_expected_translations() {
        assert_eq!(t(Lang::De, Msg::PayNow), "Jetzt bezahlen");
        assert_eq!(t(Lang::De, Msg::OrderSummary), "Bestellübersicht");
        assert_eq!(t(Lang::De, Msg::Subtotal), "Zwischensumme");
        assert_eq!(t(Lang::De, Msg::Tax), "Steuer");
        assert_eq!(t(Lang::De, Msg::Discount), "Rabatt");
        assert_eq!(t(Lang::De, Msg::Total), "Gesamt");
        assert_eq!(t(Lang::Ja, Msg::PayNow), "今すぐ支払う");
        assert_eq!(t(Lang::Fr, Msg::PayNow), "Payer maintenant");
        assert_eq!(t(Lang::Es, Msg::PayNow), "Pagar ahora");
    }
}
