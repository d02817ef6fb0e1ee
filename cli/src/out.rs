//! Output, one line at a time. Each line is written whole and flushed before the next, so that
//! stdout and stderr keep their order in a shared pipe (`2>&1`) (a [`Batch`] flushes only where
//! that order can be seen); and a reader that goes away
//! (`amt-hello decode … | head -1`) ends the program quietly, with exit status 0, instead of a
//! panic message.

use std::io::{self, BufWriter, ErrorKind, IsTerminal, Write};

use same_file::Handle;

/// Writes `text` and a newline to stdout, flushed.
pub fn stdout(text: &str) {
    end_if_failed(write_line(&mut io::stdout().lock(), text));
}

/// Writes `text` and a newline to stderr, flushed.
pub fn stderr(text: &str) {
    end_if_failed(write_line(&mut io::stderr().lock(), text));
}

/// A batch command's stdout (capture's reports). Each report is flushed where its order
/// against stderr can be seen or someone watches: stdout is stderr's file (`2>&1`) or a
/// terminal. Otherwise the reports are buffered, since a write per report costs more than
/// making it on a fleet's capture; [`Batch::finish`] writes the rest.
pub struct Batch(Option<BufWriter<io::Stdout>>);

impl Batch {
    pub fn stdout() -> Self {
        let apart = match (Handle::stdout(), Handle::stderr()) {
            (Ok(out), Ok(err)) => out != err,
            _ => false,
        };
        let buffered = apart && !io::stdout().is_terminal();
        Batch(buffered.then(|| BufWriter::with_capacity(1 << 16, io::stdout())))
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: &str) {
        match &mut self.0 {
            Some(out) => end_if_failed(
                out.write_all(text.as_bytes())
                    .and_then(|()| out.write_all(b"\n")),
            ),
            None => stdout(text),
        }
    }

    /// Writes what is buffered.
    pub fn finish(&mut self) {
        if let Some(out) = &mut self.0 {
            end_if_failed(out.flush());
        }
    }
}

fn write_line(to: &mut impl Write, text: &str) -> io::Result<()> {
    to.write_all(text.as_bytes())?;
    to.write_all(b"\n")?;
    to.flush()
}

/// A closed pipe means nobody reads any more: exit 0. Any other write error is said on stderr
/// if it can be (exit 1).
fn end_if_failed(written: io::Result<()>) {
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            let _ = writeln!(io::stderr(), "amt-hello: cannot write the output: {e}");
            std::process::exit(1);
        }
    }
}
