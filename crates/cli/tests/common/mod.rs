//! What the CLI's integration tests share: a temporary directory for each
//! test, and the built `gongkai` run with a fixed build time.
// Each test file uses a part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `gongkai` executable under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

/// The build time the tests give (`SOURCE_DATE_EPOCH`), so outputs repeat.
pub const EPOCH: &str = "1700000000";

/// A fresh temporary directory for one test, removed when dropped; named
/// after the test file and `name`, so test files running at once never
/// share one.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// An empty directory (an old one of the same name is removed first).
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "gongkai-{}-{name}-{}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes `content` to `name` in the directory; returns its path.
    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    /// The path of `name` in the directory, as an argument.
    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `gongkai` with `args`, built at [`EPOCH`].
pub fn gongkai(args: &[&str]) -> Output {
    gongkai_at(EPOCH, args)
}

/// Runs `gongkai` with `args`, built at `epoch` (`SOURCE_DATE_EPOCH`).
pub fn gongkai_at(epoch: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .expect("run gongkai")
}

/// Standard output, which must be UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 on standard output")
}

/// Standard error, which must be UTF-8.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 on standard error")
}

/// Standard output then standard error.
pub fn text(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// A path as an argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
