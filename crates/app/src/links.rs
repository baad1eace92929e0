//! Short links: minted for sessions that ask for `short_link`, chosen by
//! the merchant for a product's static link, and resolved for the browser.

use std::collections::BTreeMap;

use kassa_core::id::{CheckoutSessionId, ProductId};
use kassa_core::link::{ShortLink, Slug};
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{Changes, Conflict, Records, StoreError, Table, filters};

use crate::{App, AppError};

/// Minted slugs are random; a clash is astronomically rare, but retried.
const MINT_ATTEMPTS: usize = 3;

/// A short link with its two absolute URLs.
pub struct LinkUrls {
    pub link: ShortLink,
    pub short_url: String,
    pub full_url: String,
}

impl App {
    /// A short link for the merchant's product, leading to its static link
    /// with `params` preset. `Conflict` when the slug is taken.
    pub async fn create_product_short_link(
        &self,
        scope: &Scope,
        product: &ProductId,
        slug: Slug,
        params: BTreeMap<String, String>,
    ) -> Result<LinkUrls, AppError> {
        self.product(scope, product).await?;
        let mut target = format!("/buy/{product}");
        if !params.is_empty() {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params.iter())
                .finish();
            target = format!("{target}?{query}");
        }
        let link = ShortLink {
            slug,
            business: scope.business.clone(),
            product: Some(product.clone()),
            target,
            created_at: self.now_in(scope).await?,
        };
        match self.store.insert(scope, &link).await {
            Ok(()) => Ok(self.link_urls(link)),
            Err(StoreError::Conflict(Conflict::Exists { .. })) => Err(AppError::Conflict {
                what: "short link",
                detail: format!("the slug `{}` is already taken", link.slug.as_str()),
            }),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn list_short_links(
        &self,
        scope: &Scope,
        product: Option<&ProductId>,
        page: Page,
    ) -> Result<Vec<LinkUrls>, AppError> {
        let links: Vec<ShortLink> = self
            .store
            .list(scope, &filters::product_links(product), Some(page))
            .await?;
        Ok(links.into_iter().map(|l| self.link_urls(l)).collect())
    }

    /// Where a short link leads (a path on this host), if it exists.
    pub async fn resolve_short_link(&self, slug: &Slug) -> Result<String, AppError> {
        self.store
            .find::<ShortLink>(slug.as_str())
            .await?
            .map(|(_, link)| link.target)
            .ok_or_else(|| AppError::not_found("short link", slug.as_str()))
    }

    /// Commits `changes` with a freshly minted short link to `session`'s
    /// page, minting again while the slug is taken; returns the link's URL.
    pub(crate) async fn commit_with_session_link(
        &self,
        scope: &Scope,
        session: &CheckoutSessionId,
        changes: Changes,
    ) -> Result<String, AppError> {
        let mut last = None;
        for _ in 0..MINT_ATTEMPTS {
            let link = ShortLink {
                slug: Slug::mint(),
                business: scope.business.clone(),
                product: None,
                target: format!("/session/{session}"),
                created_at: self.now_in(scope).await?,
            };
            match self.commit(scope, changes.clone().insert(&link)).await {
                Ok(()) => return Ok(self.link_urls(link).short_url),
                Err(
                    e @ StoreError::Conflict(Conflict::Exists {
                        table: Table::ShortLinks,
                        ..
                    }),
                ) => last = Some(e),
                Err(e) => return Err(e.into()),
            }
        }
        Err(last.expect("at least one attempt").into())
    }

    fn link_urls(&self, link: ShortLink) -> LinkUrls {
        let base = self.public_url();
        LinkUrls {
            short_url: format!("{base}{}", link.path()),
            full_url: format!("{base}{}", link.target),
            link,
        }
    }
}
