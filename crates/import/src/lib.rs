#![forbid(unsafe_code)]
//! `gongkai import`: a county's existing notices into a gongkai feed.

pub mod dates;
pub mod docx;
pub mod fields;
pub mod gongwen;
pub mod html;
pub mod record;
pub mod text;
