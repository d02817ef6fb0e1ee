//! The protocol page: what a Hello is, how this crate validates and frames it, and the retry model.
#![doc = include_str!("protocol.md")]
