//! Products kept in memory between requests, so a checkout does not read and
//! parse the same product row from SQLite every time.
//!
//! Why it is needed: every commit of the writer empties the page cache of
//! each read connection (SQLite drops a connection's cache whenever the
//! database changed), so under load a product read always goes back to the
//! file and then through JSON. With checkouts committing thousands of times
//! a second, that read was the largest single cost of `POST /checkouts`.
//!
//! What must hold: this process is the only one that changes products in
//! the file. `kassa serve` guarantees it by locking the data dir (several
//! nodes share PostgreSQL, never one SQLite file), and the other commands
//! that open the file (`kassa keys`, `kassa migrate`) do not touch products.
//! Within the process, a reader can never put back a value older than a
//! write it raced with: every write of products bumps a generation after it
//! commits, and a read only fills the cache if the generation it started
//! under is still current.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use kassa_core::catalog::Product;
use kassa_core::tenancy::{Mode, Scope};

/// Beyond this many products the cache starts over rather than grow.
const CAPACITY: usize = 16_384;

/// Products by id, one map per mode (ids are unique across businesses; the
/// business is checked on the way out).
type Entries = [HashMap<String, Product>; 2];

#[derive(Default)]
pub struct ProductCache {
    entries: RwLock<Entries>,
    generation: AtomicU64,
}

/// What a reader must hand back to [`ProductCache::fill`]: the generation
/// its read from SQLite started under.
#[derive(Clone, Copy)]
pub struct Ticket(u64);

impl ProductCache {
    pub fn get(&self, scope: &Scope, id: &str) -> Result<Product, Ticket> {
        // The generation is read before the map: a write that commits after
        // this point invalidates whatever the caller then reads.
        let ticket = Ticket(self.generation.load(Ordering::Acquire));
        let entries = self.entries.read().expect("product cache");
        entries[slot(scope.mode)]
            .get(id)
            .filter(|p| p.business == scope.business)
            .cloned()
            .ok_or(ticket)
    }

    /// Remembers `product` as read from SQLite, unless a write of products
    /// committed since `ticket` was taken.
    pub fn fill(&self, scope: &Scope, product: &Product, ticket: Ticket) {
        let mut entries = self.entries.write().expect("product cache");
        if self.generation.load(Ordering::Acquire) != ticket.0 {
            return;
        }
        let map = &mut entries[slot(scope.mode)];
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(product.id.to_string(), product.clone());
    }

    /// Called after a write of products has committed (`None`: any number
    /// of products may have changed).
    pub fn invalidate(&self, scope: &Scope, id: Option<&str>) {
        let mut entries = self.entries.write().expect("product cache");
        self.generation.fetch_add(1, Ordering::AcqRel);
        let map = &mut entries[slot(scope.mode)];
        match id {
            Some(id) => {
                map.remove(id);
            }
            None => map.clear(),
        }
    }
}

fn slot(mode: Mode) -> usize {
    match mode {
        Mode::Test => 0,
        Mode::Live => 1,
    }
}
