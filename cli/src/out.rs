//! Output, one line at a time. Each line is written whole and flushed before the next, so that
//! stdout and stderr keep their order in a shared pipe (`2>&1`); and a reader that goes away
//! (`amt-hello decode … | head -1`) ends the program quietly, with exit status 0, instead of a
//! panic message.

use std::io::{self, ErrorKind, Write};

/// Writes `text` and a newline to stdout, flushed.
pub fn stdout(text: &str) {
    end_if_failed(write_line(&mut io::stdout().lock(), text));
}

/// Writes `text` and a newline to stderr, flushed.
pub fn stderr(text: &str) {
    end_if_failed(write_line(&mut io::stderr().lock(), text));
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
