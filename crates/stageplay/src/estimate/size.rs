//! A size with its uncertainty: a central figure and a [low, high] range, in bytes.

use std::ops::{Add, AddAssign};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub bytes: u64,
    pub low: u64,
    pub high: u64,
}

pub const KB: u64 = 1_000;
pub const MB: u64 = 1_000_000;

impl Size {
    pub const ZERO: Size = Size {
        bytes: 0,
        low: 0,
        high: 0,
    };

    pub fn new(bytes: u64, low: u64, high: u64) -> Size {
        Size {
            bytes,
            low: low.min(bytes),
            high: high.max(bytes),
        }
    }

    pub fn exact(bytes: u64) -> Size {
        Size {
            bytes,
            low: bytes,
            high: bytes,
        }
    }

    /// `bytes` with a relative range: `[bytes·(1−down), bytes·(1+up)]`.
    pub fn rel(bytes: u64, down: f64, up: f64) -> Size {
        let b = bytes as f64;
        Size::new(
            bytes,
            (b * (1.0 - down)).max(0.0) as u64,
            (b * (1.0 + up)) as u64,
        )
    }

    /// Megabytes with a range in megabytes.
    pub fn mb(mid: f64, low: f64, high: f64) -> Size {
        let f = |v: f64| (v.max(0.0) * MB as f64) as u64;
        Size::new(f(mid), f(low), f(high))
    }

    pub fn scale(self, factor: f64) -> Size {
        let f = |v: u64| (v as f64 * factor.max(0.0)) as u64;
        Size {
            bytes: f(self.bytes),
            low: f(self.low),
            high: f(self.high),
        }
    }

    pub fn is_zero(&self) -> bool {
        self.high == 0
    }
}

impl Add for Size {
    type Output = Size;
    fn add(self, o: Size) -> Size {
        Size {
            bytes: self.bytes.saturating_add(o.bytes),
            low: self.low.saturating_add(o.low),
            high: self.high.saturating_add(o.high),
        }
    }
}

impl AddAssign for Size {
    fn add_assign(&mut self, o: Size) {
        *self = *self + o;
    }
}

/// `12.3 MB`, `950 kB`, `0 B` (decimal units, as Docker prints sizes).
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes >= 1_000_000_000 {
        format!("{:.2} GB", b / 1e9)
    } else if bytes >= 10_000_000 {
        format!("{:.0} MB", b / 1e6)
    } else if bytes >= 1_000_000 {
        format!("{:.1} MB", b / 1e6)
    } else if bytes >= 1_000 {
        format!("{:.0} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}
