//! The binary's modules: subcommands, timing harness, engines, tables and JSON.

pub mod commands;
pub mod engine;
pub mod interrupt;
pub mod jac;
pub mod json;
pub mod report;
pub mod table;
pub mod timing;
