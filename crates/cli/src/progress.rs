//! `gongkai build`'s progress on a terminal: the step under way, how long it
//! has taken and, for the steps that go page by page, a count. A
//! build of a province's 10^5–10^6 notices runs for minutes; this says it is
//! alive and where.
//!
//! Drawn on standard error, and only when both standard output and standard
//! error are terminals: in a CI log, a cron mail or a pipe the build prints
//! exactly its report lines, nothing else. Each step's line is cleared when
//! the step ends, so the report lines printed between steps stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// The build's progress line (hidden when not on a terminal).
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// Shown on standard error if standard output and standard error are
    /// both terminals, else hidden.
    pub fn for_terminal() -> Progress {
        if std::io::stdout().is_terminal() && std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            // Nothing drawn before the first step names itself.
            bar.set_style(
                ProgressStyle::with_template("")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_draw_target(ProgressDrawTarget::stderr());
            Progress { bar }
        } else {
            Progress::hidden()
        }
    }

    /// Draws nothing.
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
        }
    }

    /// Starts the step `what` (`reading and checking the feed`): its name
    /// and the time it has taken.
    pub fn step(&self, what: &str) {
        self.start(what, "{spinner} {msg} ({elapsed})");
    }

    /// Starts a step that goes one thing at a time (`rendering the static
    /// pages`): its name, the count so far and the time; [`Progress::inc`]
    /// counts.
    pub fn counted(&self, what: &str) {
        self.start(what, "{spinner} {msg}: {human_pos} ({elapsed})");
    }

    /// One more thing done in a counted step.
    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// Ends the step: its line is cleared, for the lines the build prints.
    pub fn done(&self) {
        self.bar.finish_and_clear();
    }

    fn start(&self, what: &str, template: &str) {
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        // The new style and name first: `reset` draws the line.
        self.bar.set_style(style);
        self.bar.set_message(what.to_owned());
        self.bar.reset();
        if !self.bar.is_hidden() {
            // The spinner and the time move while a step runs uncounted
            // (the ticker stops when a step is done).
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_progress_counts_and_draws_nothing() {
        let p = Progress::hidden();
        assert!(p.bar.is_hidden());
        p.counted("rendering the static pages");
        p.inc();
        p.inc();
        assert_eq!(p.bar.position(), 2);
        p.done();
        p.step("switching to the new files");
        assert_eq!(p.bar.position(), 0);
    }
}
