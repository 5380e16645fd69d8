//! The Polar SDK generator: spec JSON → normalize → IR → emit → format → write.

pub mod catalog;
pub mod diff;
pub mod ir;
pub mod names;
pub mod overlay;
pub mod overlay_check;
pub mod spec_source;
