//! Page-number pagination as Dodo lists do it: 0-based, 10 by default, 100 at most.

use crate::DomainError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    pub const DEFAULT_SIZE: u32 = 10;
    pub const MAX_SIZE: u32 = 100;

    pub fn new(number: Option<i64>, size: Option<i64>) -> Result<Page, DomainError> {
        let number = number.unwrap_or(0);
        let size = size.unwrap_or(Self::DEFAULT_SIZE as i64);
        if !(0..=i32::MAX as i64).contains(&number) {
            return Err(DomainError::invalid("page_number", "must be 0 or more"));
        }
        if !(1..=Self::MAX_SIZE as i64).contains(&size) {
            return Err(DomainError::invalid(
                "page_size",
                format!("must be between 1 and {}", Self::MAX_SIZE),
            ));
        }
        Ok(Page {
            number: number as u32,
            size: size as u32,
        })
    }

    pub fn offset(self) -> u64 {
        self.number as u64 * self.size as u64
    }
}

impl Default for Page {
    fn default() -> Page {
        Page {
            number: 0,
            size: Self::DEFAULT_SIZE,
        }
    }
}
